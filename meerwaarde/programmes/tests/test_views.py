"""The owner's pages, the partner's page and the public one."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from meerwaarde.accounts.constants import OrgRole
from meerwaarde.accounts.tests.factories import UserFactory
from meerwaarde.activities.tests.factories import ActivityRecordFactory
from meerwaarde.organisations.tests.factories import MembershipFactory, OrganisationFactory
from meerwaarde.programmes import selectors, services
from meerwaarde.programmes.constants import ActivityMeasure, DataSource, Level
from meerwaarde.programmes.models import ManualValue, Programme, ResultNode
from meerwaarde.sharing.models import AccessGrant, GrantKind

pytestmark = pytest.mark.django_db

THIS_YEAR = datetime.date.today().year


def _url(name, programme=None, **kwargs):
    if programme is not None:
        kwargs = {"slug": programme.organisation.slug, "pk": programme.pk, **kwargs}
    return reverse(f"programmes:{name}", kwargs=kwargs)


@pytest.fixture
def running(org_a, offers):
    """A programme running this year with a step over a small offer (3 reached a month)."""
    programme = services.programme_create(
        organisation=org_a,
        created_by=None,
        name="Samen tegen eenzaamheid",
        start_year=THIS_YEAR - 1,
        end_year=THIS_YEAR + 2,
    )
    ActivityRecordFactory(
        offer=offers["huiskamer"],
        month=datetime.date(THIS_YEAR - 1, 3, 1),
        participants_reached=3,
        new_participants=2,
        meetings_held=7,
    )
    services.node_create(
        programme=programme,
        level=Level.ACTIVITY,
        title="Bijeenkomsten in de huiskamer",
        indicator="Aantal bijeenkomsten per jaar.",
        source=DataSource.ACTIVITY,
        activity_measure=ActivityMeasure.MEETINGS,
        offers=[offers["huiskamer"]],
    )
    return programme


def test_the_list_has_an_empty_state(carol_client, org_a):
    html = carol_client.get(reverse("programmes:list", kwargs={"slug": org_a.slug})).content
    assert b'data-empty="programmes"' in html


def test_a_worker_may_not_see_programmes_and_an_outsider_gets_404(
    bob_client, charlie_client, running
):
    assert bob_client.get(_url("detail", running)).status_code == 403
    assert charlie_client.get(_url("detail", running)).status_code == 404
    assert charlie_client.get(_url("edit", running)).status_code == 404
    node = running.nodes.get()
    assert charlie_client.get(_url("node_values", running, node_pk=node.pk)).status_code == 404
    url = reverse("programmes:detail", kwargs={"slug": "sociaal-werk-beta", "pk": running.pk})
    assert charlie_client.get(url).status_code == 404


def test_a_coordinator_creates_a_programme(carol_client, org_a, carol):
    response = carol_client.post(
        reverse("programmes:create", kwargs={"slug": org_a.slug}),
        {"name": "Samen sterk", "start_year": "2025", "end_year": "2028", "province": "OV"},
    )
    programme = Programme.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _url("detail", programme)
    assert (programme.organisation, programme.created_by, programme.is_public) == (
        org_a,
        carol,
        False,
    )


def test_the_form_keeps_what_was_typed_and_links_each_error(carol_client, org_a):
    response = carol_client.post(
        reverse("programmes:create", kwargs={"slug": org_a.slug}),
        {
            "name": "Te lang programma",
            "start_year": "2025",
            "end_year": "2040",
            "places": "Nergenshuizen",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert not Programme.objects.exists()
    assert 'value="Te lang programma"' in html
    assert "Nergenshuizen" in html
    assert 'href="#id_places_error"' in html
    assert "Een programma loopt hooguit 10 jaar." in html


def test_the_owner_sees_its_own_small_values_marked_and_partners_do_not(carol_client, running):
    html = carol_client.get(_url("detail", running)).content.decode()
    assert "Verborgen voor partners en publiek" in html
    assert ">7<" in html
    as_partner = carol_client.get(_url("detail", running) + "?als=partner").content.decode()
    assert "te weinig deelnemers" in as_partner
    assert ">7<" not in as_partner


def test_a_partner_with_a_grant_sees_the_suppressed_programme(running, org_a, org_b, charlie):
    grant = AccessGrant.objects.create(
        organisation=org_a,
        partner=org_b,
        kind=GrantKind.PROGRAMME,
        programme=running,
        ends_on=datetime.date.today() + datetime.timedelta(days=30),
    )
    client = Client()
    client.force_login(charlie)
    response = client.get(reverse("sharing:shared_detail", kwargs={"pk": grant.pk}))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Bijeenkomsten in de huiskamer" in html
    assert "te weinig deelnemers" in html
    assert ">7<" not in html
    assert "Verborgen voor partners" not in html


def test_the_public_page_exists_only_for_public_programmes(client, running):
    assert client.get(_url("public_detail", pk=running.pk)).status_code == 404
    running.is_public = True
    running.save()
    html = client.get(_url("public_detail", pk=running.pk)).content.decode()
    assert "te weinig deelnemers" in html and ">7<" not in html
    assert running.name in client.get(reverse("programmes:public_list")).content.decode()


def test_a_step_with_an_error_keeps_its_input(carol_client, running, offers):
    response = carol_client.post(
        _url("node_create", running),
        {
            "level": Level.OUTCOME,
            "title": "Minder eenzaam",
            "indicator": "De Jong Gierveld",
            "direction": "lower",
            "source": DataSource.ACTIVITY,
            "baseline_value": "3,5",
            "offers": [offers["maatjes"].pk],
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Kies welke telling de waarde geeft." in html
    assert 'value="Minder eenzaam"' in html and 'value="3,5"' in html
    assert "Vul bij een nulmeting zowel de waarde als het jaar in." in html


def test_a_coordinator_adds_a_step_its_targets_and_manual_values(carol_client, running, carol):
    response = carol_client.post(
        _url("node_create", running),
        {
            "level": Level.IMPACT,
            "title": "Minder eenzame ouderen",
            "indicator": "Aandeel 65-plussers dat zich sterk eenzaam voelt",
            "unit": "procent",
            "direction": "lower",
            "source": DataSource.MANUAL,
            "baseline_value": "12,5",
            "baseline_year": str(THIS_YEAR - 2),
        },
    )
    node = ResultNode.objects.get(title="Minder eenzame ouderen")
    assert response["Location"] == _url("node_values", running, node_pk=node.pk)
    year = running.start_year
    response = carol_client.post(
        _url("node_values", running, node_pk=node.pk),
        {"onderdeel": "doelen", f"target_{year}": "11,5"},
    )
    assert response.status_code == 302
    assert str(node.targets.get(year=year).value) == "11.50"
    response = carol_client.post(
        _url("node_values", running, node_pk=node.pk),
        {"onderdeel": "waarden", f"value_{year}": "11"},
    )
    assert "Geef de bron van de waarde" in response.content.decode()
    assert not ManualValue.objects.exists()
    carol_client.post(
        _url("node_values", running, node_pk=node.pk),
        {"onderdeel": "waarden", f"value_{year}": "11", f"source_{year}": "GGD-monitor"},
    )
    manual = ManualValue.objects.get()
    assert (manual.source, manual.entered_by) == ("GGD-monitor", carol)


def test_partners_are_added_by_name_or_as_an_organisation(carol_client, running, org_b):
    carol_client.post(_url("partners", running), {"organisation": org_b.pk, "role": "partner"})
    response = carol_client.post(
        _url("partners", running), {"name": "Gemeente Alfa", "kind": "municipality"}
    )
    assert response.status_code == 302
    assert sorted(running.partners.values_list("name", flat=True)) == [
        "Gemeente Alfa",
        org_b.name,
    ]
    response = carol_client.post(_url("partners", running), {"name": "Zonder soort"})
    assert "Kies wat voor organisatie de partner is." in response.content.decode()


def test_a_member_of_a_partner_without_a_grant_gets_404(running, org_b):
    user = UserFactory(email="w@example.org")
    MembershipFactory(user=user, organisation=org_b, role=OrgRole.WORKER)
    client = Client()
    client.force_login(user)
    assert client.get(_url("detail", running)).status_code == 404


def test_a_grant_from_anyone_but_the_owner_shows_nothing(running, org_b):
    """A grant row naming A's programme but given by B (never made by the services) is a 404
    on the page and absent from the API."""
    third = OrganisationFactory(name="Gemeente Gamma")
    user = UserFactory(email="g@example.org")
    MembershipFactory(user=user, organisation=third, role=OrgRole.WORKER)
    grant = AccessGrant.objects.create(
        organisation=org_b,
        partner=third,
        kind=GrantKind.PROGRAMME,
        programme=running,
        ends_on=datetime.date.today() + datetime.timedelta(days=30),
    )
    client = Client()
    client.force_login(user)
    assert client.get(reverse("sharing:shared_detail", kwargs={"pk": grant.pk})).status_code == 404
    assert list(selectors.programme_list_visible(partner=third)) == []
