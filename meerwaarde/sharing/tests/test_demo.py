import pytest

from meerwaarde.organisations.tests.factories import OrganisationFactory
from meerwaarde.sharing.demo import demo_sharing
from meerwaarde.sharing.models import AccessGrant, ImpactPage

pytestmark = pytest.mark.django_db


def test_it_shares_the_demo_dashboard_and_publishes_an_impact_page_once():
    organisations = {
        "Welzijn Zwolle": OrganisationFactory(name="Welzijn Zwolle"),
        "Gemeente Zwolle": OrganisationFactory(name="Gemeente Zwolle", kind="municipality"),
    }

    assert demo_sharing(organisations=organisations) == 1
    assert demo_sharing(organisations=organisations) == 0

    grant = AccessGrant.objects.get()
    assert grant.partner == organisations["Gemeente Zwolle"]
    page = ImpactPage.objects.get()
    assert page.is_published and page.organisation == organisations["Welzijn Zwolle"]
