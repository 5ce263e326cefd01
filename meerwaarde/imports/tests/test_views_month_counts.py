"""The guided import of referral and early-signal counts: the kinds are offered, their own
names for referral sources and themes are asked per list, and the preview checks the rows."""

import datetime
import re

import pytest
from django.urls import reverse

from meerwaarde.activities.tests.factories import (
    ActivityRecordFactory,
    ReferralSourceFactory,
    ThemeFactory,
)
from meerwaarde.imports.models import ConceptMapping
from meerwaarde.offers.tests.factories import OfferFactory

from .test_views import mapped, url

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"


@pytest.fixture
def march(org_a):
    offer = OfferFactory(organisation=org_a, name="Maatjes")
    return ActivityRecordFactory(offer=offer, month=datetime.date(2025, 3, 1))


def _name_index(page: str, name: str) -> str:
    names = re.findall(
        r'<label class="utrecht-form-label" for="id_naam_(\d+)">([^<]+)</label>', page
    )
    return next(index for index, label in names if label == name)


def test_the_start_page_offers_referrals_and_signals_with_their_templates(carol_client, org_a):
    page = carol_client.get(reverse("imports:start", args=[org_a.slug])).content.decode()
    assert "Verwijzingen per maand" in page and "Vroegsignalen per maand" in page
    for kind, header in [
        ("verwijzingen", ["aanbod_naam", "maand", "richting", "verwijzer", "aantal"]),
        ("signalen", ["aanbod_naam", "maand", "thema", "aantal"]),
    ]:
        template = carol_client.get(reverse("imports:template", args=[org_a.slug, kind]))
        assert template.content.decode("utf-8-sig").strip().split(";") == header


def test_an_unknown_referral_source_is_asked_and_the_preview_counts_the_row(
    alice_client, org_a, march
):
    source = ReferralSourceFactory(code="verwijzer-huisarts", pref_label_nl="Huisarts")
    text = "Project;maand;richting;Bron;aantal\nMaatjes;03-2025;in;Dokter;3\n"
    item = mapped(
        alice_client,
        org_a,
        text,
        {
            "Project": "aanbod_naam",
            "maand": "maand",
            "richting": "richting",
            "Bron": "verwijzer",
            "aantal": "aantal",
        },
        kind="verwijzingen",
    )

    page = alice_client.get(url("names", item)).content.decode()
    assert 'data-scheme="referral_sources"' in page and ">Verwijzers</legend>" in page
    alice_client.post(url("names", item), {f"naam_{_name_index(page, 'Dokter')}": str(source.pk)})
    preview = alice_client.get(url("preview", item)).content.decode()

    mapping = ConceptMapping.objects.get(scheme="referral_sources")
    assert (mapping.local_name, mapping.concept) == ("Dokter", source)
    assert 'data-count="created">1<' in preview and 'data-count="skipped">0<' in preview
    assert not march.referrals.exists()  # a dry run


def test_the_preview_of_signals_names_a_month_that_is_not_there_yet(alice_client, org_a, march):
    ThemeFactory(code="thema-eenzaamheid", pref_label_nl="Eenzaamheid")
    text = "aanbod_naam;maand;thema;aantal\nMaatjes;04-2025;thema-eenzaamheid;2\n"
    item = mapped(
        alice_client,
        org_a,
        text,
        {name: name for name in ("aanbod_naam", "maand", "thema", "aantal")},
        kind="signalen",
    )

    preview = alice_client.get(url("preview", item)).content.decode()

    assert "Deze maand van dit aanbod staat nog niet in Meerwaarde" in preview
    assert 'data-count="skipped">1<' in preview
