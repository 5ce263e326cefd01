from io import StringIO

import pytest
from django.core.management import call_command

from meerwaarde.organisations.constants import OrganisationKind
from meerwaarde.organisations.tests.factories import OrganisationFactory
from meerwaarde.programmes.constants import Level
from meerwaarde.programmes.demo import NAME, demo_programmes
from meerwaarde.programmes.models import Programme
from meerwaarde.sharing.models import AccessGrant

pytestmark = pytest.mark.django_db


def test_the_demo_programme_has_a_whole_chain_is_public_and_shared_once(shipped_instruments):
    call_command("load_vocabulary", stdout=StringIO())
    organisations = {
        "Welzijn Zwolle": OrganisationFactory(name="Welzijn Zwolle"),
        "Gemeente Zwolle": OrganisationFactory(
            name="Gemeente Zwolle", kind=OrganisationKind.MUNICIPALITY
        ),
    }
    assert demo_programmes(organisations=organisations) == 1
    assert demo_programmes(organisations=organisations) == 0
    programme = Programme.objects.get(name=NAME)
    assert programme.is_public
    assert set(programme.nodes.values_list("level", flat=True)) == set(Level.values)
    assert programme.partners.filter(organisation=organisations["Gemeente Zwolle"]).exists()
    assert programme.partners.count() == 3
    assert AccessGrant.objects.filter(programme=programme).count() == 1
    impact = programme.nodes.get(level=Level.IMPACT)
    assert impact.manual_values.get().source.startswith("Zwolse Peiling")
