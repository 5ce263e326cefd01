import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from meerwaarde.sharing import services
from meerwaarde.sharing.models import ApiToken, GrantKind
from meerwaarde.sharing.tests.factories import AccessGrantFactory, report_for

pytestmark = pytest.mark.django_db


def _key(organisation, **overrides) -> str:
    values = {
        "organisation": organisation,
        "created_by": None,
        "name": "Datawarehouse",
        "expires_on": timezone.localdate() + datetime.timedelta(days=30),
    }
    _token, key = services.api_token_create(**(values | overrides))
    return key


def _client(key: str | None = None) -> APIClient:
    client = APIClient()
    if key is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


LIST = "/api/v1/shared/"


@pytest.fixture
def grant(org_a, municipality, small_and_big):
    small, _big = small_and_big
    return AccessGrantFactory(
        organisation=org_a, partner=municipality, filters={"aanbod": str(small.pk)}
    )


def test_it_lists_what_was_shared_with_the_keys_organisation(municipality, grant):
    response = _client(_key(municipality)).get(LIST)

    assert response.status_code == 200
    data = response.json()
    assert data["partner"] == {"name": "Gemeente Gamma", "slug": "gemeente-gamma"}
    [item] = data["results"]
    assert item["id"] == grant.pk and item["kind"] == "dashboard"
    assert item["organisation"]["name"] == "Welzijn Alfa"
    assert item["filters"] == [{"label": "Aanbod", "value": "Kleine groep"}]
    assert item["figures_url"].endswith(f"/api/v1/shared/{grant.pk}/")


def test_it_notes_when_a_key_was_last_used(municipality):
    key = _key(municipality)

    _client(key).get(LIST)

    assert ApiToken.objects.get().last_used_at is not None


def test_it_asks_for_a_key_with_401(grant):
    response = _client().get(LIST)

    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Token")
    assert "API-sleutel" in response.json()["detail"]


@pytest.mark.parametrize("case", ["expired", "revoked", "wrong", "malformed"])
def test_it_refuses_a_bad_key_with_401_in_dutch(case, municipality, grant):
    key = _key(municipality)
    token = ApiToken.objects.get()
    header = f"Token {key}"
    if case == "expired":
        token.expires_on = timezone.localdate() - datetime.timedelta(days=1)
        token.save()
    elif case == "revoked":
        services.api_token_revoke(token=token)
    elif case == "wrong":
        header = f"Token {key[:-2]}xx"
    else:
        header = f"Token {key} extra"
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)

    response = client.get(LIST)

    assert response.status_code == 401
    assert response.json()["detail"].startswith(("Deze API-sleutel", "Geef de sleutel"))


def test_it_accepts_a_key_on_its_last_day(municipality, grant, monkeypatch):
    key = _key(municipality)
    last_day = ApiToken.objects.get().expires_on
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: last_day)

    assert _client(key).get(LIST).status_code == 200


def test_it_gives_the_suppressed_figures_with_hidden_values_as_null(municipality, grant):
    response = _client(_key(municipality)).get(f"/api/v1/shared/{grant.pk}/")

    assert response.status_code == 200
    figures = response.json()["figures"]
    [month] = figures["activity"]
    assert month["participants_reached"] == 40 and month["hidden"] is False
    [instrument] = figures["instruments"]
    hidden = [scale for scale in instrument["scales"] if scale["hidden"]]
    assert hidden and all(scale["n"] is None for scale in hidden)
    assert all(scale["mean_change"] is None for scale in hidden)


def test_it_answers_404_for_grants_the_key_may_not_read(org_a, org_b, municipality, grant):
    key = _key(municipality)
    report_grant = AccessGrantFactory(
        organisation=org_a, partner=municipality, kind=GrantKind.REPORT, report=report_for(org_a)
    )
    other = AccessGrantFactory(organisation=org_a, partner=org_b)
    ended = AccessGrantFactory(
        organisation=org_a,
        partner=municipality,
        ends_on=timezone.localdate() - datetime.timedelta(1),
    )
    revoked = AccessGrantFactory(
        organisation=org_a, partner=municipality, revoked_at=timezone.now()
    )

    for pk in (report_grant.pk, other.pk, ended.pk, revoked.pk, 999999):
        assert _client(key).get(f"/api/v1/shared/{pk}/").status_code == 404, pk
    # The owner's own key reads nothing of what it gave.
    assert _client(_key(org_a)).get(f"/api/v1/shared/{grant.pk}/").status_code == 404


def test_it_serves_a_published_impact_page_without_a_key(org_a, small_and_big):
    small, _big = small_and_big
    url = f"/api/v1/impact/{org_a.slug}/"
    services.impact_page_update(
        organisation=org_a,
        introduction="",
        sections=["uitkomsten"],
        filters={"aanbod": str(small.pk)},
    )
    assert _client().get(url).status_code == 404

    services.impact_page_publish(organisation=org_a)
    response = _client().get(url)

    assert response.status_code == 200
    data = response.json()
    assert data["sections"] == ["uitkomsten"]
    assert set(data["figures"]) == {"instruments"}
    assert any(s["hidden"] for i in data["figures"]["instruments"] for s in i["scales"])


def test_it_refuses_a_bad_key_also_on_public_endpoints(org_a):
    services.impact_page_update(organisation=org_a, introduction="", sections=["activiteit"])
    services.impact_page_publish(organisation=org_a)

    assert _client("mw_onzin").get(f"/api/v1/impact/{org_a.slug}/").status_code == 401


def test_it_describes_the_key_in_the_openapi_document(client):
    schema = client.get(reverse("api-schema"), {"format": "json"}).json()

    scheme = schema["components"]["securitySchemes"]["partnerToken"]
    assert scheme == scheme | {"type": "apiKey", "in": "header", "name": "Authorization"}
    operation = schema["paths"]["/api/v1/shared/"]["get"]
    assert {"partnerToken": []} in operation["security"]
