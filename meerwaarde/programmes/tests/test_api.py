"""/api/v1/programmes/: public programmes for everyone, shared ones with the partner's key;
values below k are null with "hidden": true; everything else is a 404."""

import datetime

import pytest
from django.urls import reverse

from meerwaarde.activities.tests.factories import ActivityRecordFactory
from meerwaarde.organisations.tests.factories import OrganisationFactory
from meerwaarde.programmes import services
from meerwaarde.programmes.constants import ActivityMeasure, DataSource, Level
from meerwaarde.sharing.models import GrantKind
from meerwaarde.sharing.services import api_token_create, grant_create, grant_revoke

pytestmark = pytest.mark.django_db

THIS_YEAR = datetime.date.today().year
LIST = "/api/v1/programmes/"
SOON = datetime.date.today() + datetime.timedelta(days=30)


def _programme(organisation, name, *, public=False):
    return services.programme_create(
        organisation=organisation,
        created_by=None,
        name=name,
        start_year=THIS_YEAR - 1,
        end_year=THIS_YEAR + 1,
        is_public=public,
    )


@pytest.fixture
def public(org_a, offers):
    programme = _programme(org_a, "Openbaar programma", public=True)
    for number, reached in ((1, 40), (2, 3)):
        ActivityRecordFactory(
            offer=offers["maatjes" if number == 1 else "huiskamer"],
            month=datetime.date(THIS_YEAR - 1, number, 1),
            participants_reached=reached,
            new_participants=1,
            meetings_held=6,
        )
    for title, offer in (("Maatjes", offers["maatjes"]), ("Huiskamer", offers["huiskamer"])):
        services.node_create(
            programme=programme,
            level=Level.ACTIVITY,
            title=title,
            indicator="Bijeenkomsten per jaar.",
            source=DataSource.ACTIVITY,
            activity_measure=ActivityMeasure.MEETINGS,
            offers=[offer],
        )
    return programme


@pytest.fixture
def private(org_a):
    return _programme(org_a, "Besloten programma")


@pytest.fixture
def partner_key(org_a, org_b, private):
    grant_create(
        organisation=org_a,
        created_by=None,
        partner=org_b,
        kind=GrantKind.PROGRAMME,
        programme=private,
        ends_on=datetime.date.today() + datetime.timedelta(days=10),
    )
    _token, key = api_token_create(
        organisation=org_b, created_by=None, name="Gemeentesysteem", expires_on=SOON
    )
    return key


def _names(response) -> list[str]:
    return [item["name"] for item in response.json()["results"]]


def test_without_a_key_it_lists_only_public_programmes(client, public, private):
    response = client.get(LIST)
    assert response.status_code == 200
    assert _names(response) == ["Openbaar programma"]
    assert client.get(f"{LIST}{private.pk}/").status_code == 404


def test_a_partner_key_adds_the_programmes_shared_with_the_partner(
    client, public, private, partner_key
):
    auth = {"HTTP_AUTHORIZATION": f"Token {partner_key}"}
    assert _names(client.get(LIST, **auth)) == ["Besloten programma", "Openbaar programma"]
    response = client.get(f"{LIST}{private.pk}/", **auth)
    assert response.status_code == 200
    assert response.json()["name"] == "Besloten programma"


def test_another_partners_key_or_a_revoked_grant_gets_404(client, org_a, private, partner_key):
    other = OrganisationFactory()
    _token, other_key = api_token_create(
        organisation=other, created_by=None, name="Ander", expires_on=SOON
    )
    assert (
        client.get(f"{LIST}{private.pk}/", HTTP_AUTHORIZATION=f"Token {other_key}").status_code
        == 404
    )
    grant_revoke(grant=private.grants.get())
    response = client.get(f"{LIST}{private.pk}/", HTTP_AUTHORIZATION=f"Token {partner_key}")
    assert response.status_code == 404


def test_a_bad_key_is_a_401(client, public):
    assert client.get(LIST, HTTP_AUTHORIZATION="Token verzonnen").status_code == 401


def test_values_below_k_are_null_and_marked_hidden(client, public):
    data = client.get(f"{LIST}{public.pk}/").json()
    by_title = {node["title"]: node for node in data["nodes"]}
    last_year = {
        n: next(y for y in node["years"] if y["year"] == THIS_YEAR - 1)
        for n, node in by_title.items()
    }
    assert last_year["Maatjes"] == last_year["Maatjes"] | {"value": 6.0, "hidden": False}
    assert last_year["Huiskamer"]["value"] is None
    assert last_year["Huiskamer"]["hidden"] is True
    assert last_year["Huiskamer"]["status"] == "hidden"
    assert data["k"] == 10
    assert by_title["Maatjes"]["level_concept"] == "keten-activiteit"


def test_the_openapi_document_describes_the_programmes(client):
    schema = client.get(reverse("api-schema"), HTTP_ACCEPT="application/json").json()
    assert "/api/v1/programmes/" in schema["paths"]
    assert "/api/v1/programmes/{id}/" in schema["paths"]
