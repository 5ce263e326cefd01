"""The directory API: HSDS-shaped services, 400 with a message for bad input, 404 when hidden."""

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from .public_data import make_directory
from .test_params import INJECTIONS

pytestmark = pytest.mark.django_db
LIST = reverse("directory_api:services")


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()  # the throttle counts requests in the cache
    yield
    cache.clear()


@pytest.fixture
def directory():
    return make_directory()


def get(url: str, status: int = 200) -> dict:
    response = Client().get(url)
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def test_it_pages_services_like_hsds(directory):
    page = get(LIST + "?q=schulden&place=Zwolle&proximity_km=25&page_size=1")
    assert set(page) >= {
        "total_items",
        "total_pages",
        "page_number",
        "size",
        "first_page",
        "last_page",
        "empty",
        "contents",
    }
    assert page["page_number"] == 1 and page["size"] == 1 and page["first_page"] is True
    assert page["total_items"] == page["total_pages"] >= 2 and page["last_page"] is False
    assert len(page["contents"]) == 1 and page["empty"] is False


def test_a_service_has_its_organisation_locations_and_terms(directory):
    offer = directory.debt_buddy_offer
    service = get(reverse("directory_api:service", args=[offer.pk]))
    assert service["id"] == str(offer.pk) and service["name"] == "Schuldhulpmaatje Zwolle"
    assert service["status"] == "active" and service["email"] == "info@schuldhulpmaatje.example"
    assert service["url"] == "https://schuldhulpmaatje.example"
    assert service["fees_description"] == "Gratis" and service["free_of_charge"] is True
    assert service["organization"]["name"] == "Welzijn Zwolle"
    location = service["service_at_locations"][0]["location"]
    assert location["latitude"] == directory.zwolle.latitude
    assert location["addresses"][0]["address_1"] == "Grote Markt 1"
    assert location["addresses"][0]["city"] == "Zwolle"
    assert service["phones"] == [{"number": "038 123 45 67", "type": "voice"}]
    assert service["schedules"][0]["description"].startswith("Maandag")
    assert {"name": "Arabisch", "code": "ar"} in service["languages"]
    terms = {(a["label"], a["taxonomy_term"]["code"]) for a in service["attributes"]}
    assert ("theme", "thema-armoede-schulden") in terms
    assert ("intervention_type", "interventie-schuldhulpmaatje") in terms
    theme = next(a["taxonomy_term"] for a in service["attributes"] if a["label"] == "theme")
    assert theme["taxonomy"] == "themes" and theme["name"] == "Armoede en schulden"
    assert service["evidence"]["level"] == "well_founded"
    assert service["evidence"]["expires_on"] == "2029-03-01"
    assert service["directory_url"].endswith(reverse("directory:offer", args=[offer.pk]))


def test_it_gives_the_distance_and_area_of_area_offers(directory):
    page = get(LIST + "?q=thuisadministratie&place=Kampen")
    service = page["contents"][0]
    assert service["distance_km"] == 0
    assert service["service_areas"][0]["extent_type"] == "municipality"


def test_it_searches_by_coordinates_and_filters(directory):
    page = get(LIST + "?lat=52.5125&lon=6.0944&theme=thema-eenzaamheid&age=70")
    assert [s["name"] for s in page["contents"]] == ["Maatje voor ouderen"]


def test_an_empty_page_is_still_a_page(directory):
    page = get(LIST + "?q=schulden&page=50")
    assert page["contents"] == [] and page["empty"] is True


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("q=" + "a" * 1000, "q"),
        ("place=Atlantis", "place"),
        ("place=Hengelo", "place"),
        ("proximity_km=7", "proximity_km"),
        ("proximity_km=1e9", "proximity_km"),
        ("lat=48&lon=2", "lat"),
        ("lat=52", "lon"),
        ("theme=thema-niet", "theme"),
        ("age=121", "age"),
        ("page=0", "page"),
        ("page_size=1000", "page_size"),
        ("free=perhaps", "free"),
    ],
)
def test_invalid_parameters_get_400_with_a_message(directory, query, parameter):
    body = get(f"{LIST}?{query}", status=400)
    assert body["parameter"] == parameter and body["detail"]


def test_an_ambiguous_place_suggests_the_choices(directory):
    body = get(LIST + "?place=Hengelo", status=400)
    assert set(body["suggestions"]) == {"Hengelo (Overijssel)", "Hengelo (Gelderland)"}


@pytest.mark.parametrize("value", INJECTIONS)
@pytest.mark.parametrize("name", ["q", "place", "theme", "age", "page", "page_size", "lat"])
def test_injection_attempts_give_200_or_400(db, name, value):
    response = Client().get(LIST, {name: value})
    assert response.status_code in (200, 400)


def test_hidden_offers_are_not_found(directory):
    for offer in (directory.paused_offer, directory.stale_offer):
        body = get(reverse("directory_api:service", args=[offer.pk]), status=404)
        assert "sociale kaart" in body["detail"]
    ids = {s["id"] for s in get(LIST + "?q=schulden&page_size=100")["contents"]}
    assert str(directory.paused_offer.pk) not in ids and str(directory.stale_offer.pk) not in ids


def test_the_api_is_read_only(directory):
    assert Client().post(LIST, {}).status_code == 405


def test_the_api_is_throttled(directory, settings):
    from rest_framework.throttling import AnonRateThrottle

    client = Client()
    original = AnonRateThrottle.THROTTLE_RATES
    AnonRateThrottle.THROTTLE_RATES = {"anon": "3/minute"}
    try:
        statuses = [client.get(LIST).status_code for _ in range(5)]
    finally:
        AnonRateThrottle.THROTTLE_RATES = original
    assert statuses[:3] == [200, 200, 200] and statuses[-1] == 429


def test_the_openapi_document_validates_without_warnings(capsys):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null")
    assert "Warning" not in capsys.readouterr().err


def test_the_schema_and_docs_are_served_without_a_cdn():
    schema = Client().get(reverse("api-schema")).content.decode()
    assert "/api/v1/directory/services" in schema and "Meerwaarde API" in schema
    docs = Client().get(reverse("api-docs")).content.decode()
    assert "drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in docs
    assert "cdn" not in docs and "<style" not in docs and "<script>" not in docs
    script = Client().get(reverse("api-docs") + "?script=").content.decode()
    assert "SwaggerUIBundle" in script
