import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from meerwaarde.places.models import Place
from meerwaarde.places.services import normalise_place_name

URL = reverse("places:autocomplete")


@pytest.fixture(scope="module")
def all_places(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_places", verbosity=0)
        yield
        Place.objects.all().delete()


@pytest.mark.django_db
def test_it_loads_all_dutch_places_with_500_plus_inhabitants_in_twelve_provinces(all_places):
    assert 1900 <= Place.objects.count() <= 2100
    assert Place.objects.values("province").distinct().count() == 12
    zwolle = Place.objects.get(name="Zwolle")
    assert zwolle.province == "OV"
    assert round(zwolle.latitude, 1) == 52.5


@pytest.mark.django_db
def test_it_loads_twice_without_duplicates(all_places):
    before = Place.objects.count()
    call_command("load_places", verbosity=0)
    assert Place.objects.count() == before


@pytest.mark.django_db
def test_it_completes_ass_to_assen_then_assendelft(all_places):
    response = Client().get(URL, {"q": "Ass"}, headers={"accept": "application/json"})
    names = [r["name"] for r in response.json()["results"]]
    assert names[:2] == ["Assen", "Assendelft"]


@pytest.mark.django_db
def test_it_serves_datalist_options_with_the_province(all_places):
    html = Client().get(URL, {"q": "hengelo"}).content.decode()
    assert '<option value="Hengelo (Overijssel)">' in html
    assert '<option value="Hengelo (Gelderland)">' in html


@pytest.mark.django_db
def test_it_finds_places_by_the_names_people_use(all_places):
    def first(q):
        return (
            Client()
            .get(URL, {"q": q}, headers={"accept": "application/json"})
            .json()["results"][0]["name"]
        )

    assert first("Den Haag") == "Den Haag"
    assert first("den bosch") == "'s-Hertogenbosch"
    assert first("s-Hertogenbosch") == "'s-Hertogenbosch"


@pytest.mark.django_db
def test_it_returns_nothing_for_an_empty_query():
    response = Client().get(URL, {"q": "  "}, headers={"accept": "application/json"})
    assert response.json() == {"results": []}


def test_it_normalises_accents_hyphens_and_apostrophes():
    assert normalise_place_name("'s-Hertogenbosch") == "s hertogenbosch"
    assert normalise_place_name("Wâlterswâld") == "walterswald"


@pytest.mark.django_db
def test_it_reads_the_query_under_the_fields_own_name_as_htmx_sends_it(all_places):
    html = Client().get(URL, {"place": "Ass"}).content.decode()
    assert '<option value="Assen (Drenthe)">' in html
