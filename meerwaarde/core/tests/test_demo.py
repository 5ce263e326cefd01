import time

import pytest
from django.core.management import call_command

from meerwaarde.accounts.models import User
from meerwaarde.core.demo import MAPPINGS, ORGANISATIONS
from meerwaarde.offers.corpus import read_offer_corpus
from meerwaarde.offers.models import Offer
from meerwaarde.organisations.models import Membership, Organisation
from meerwaarde.vocabulary.models import LocalNameMapping


@pytest.fixture
def loaded(db):
    call_command("load_places", verbosity=0)
    call_command("load_vocabulary", verbosity=0)


def test_it_fills_a_believable_sector_quickly_and_twice_without_duplicates(loaded, capsys):
    started = time.monotonic()
    call_command("load_demo")
    call_command("load_demo")
    assert time.monotonic() - started < 60
    assert Organisation.objects.count() >= 30
    assert Organisation.objects.values("place__province").distinct().count() == 12
    kinds = set(Organisation.objects.values_list("kind", flat=True))
    assert {"social_work", "municipality"} <= kinds and len(kinds) >= 5
    roles = set(User.objects.values_list("platform_role", flat=True)) | set(
        Membership.objects.values_list("role", flat=True)
    )
    assert {
        "worker",
        "coordinator",
        "org_admin",
        "editor",
        "sector_analyst",
        "platform_admin",
    } <= roles
    assert LocalNameMapping.objects.count() == sum(len(v) for v in MAPPINGS.values())
    # Every corpus offer belongs to a demo organisation, so the sociale kaart shows them all.
    assert Offer.objects.public().count() == len(read_offer_corpus())
    assert Organisation.objects.count() == len(ORGANISATIONS)
    output = capsys.readouterr().out
    assert "Meerwaarde-demo-2026" in output
    assert "werker@welzijnzwolle.demo" in output
