import pytest
from django.urls import reverse

from meerwaarde.places.tests.factories import PlaceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def places(db):
    return {
        "assen": PlaceFactory(name="Assen", province="DR"),
        "hengelo_ov": PlaceFactory(name="Hengelo", province="OV"),
        "hengelo_ge": PlaceFactory(name="Hengelo", province="GE"),
    }


def _form(**overrides):
    data = {
        "name": "Welzijn Alfa",
        "kind": "social_work",
        "kvk_number": "12345678",
        "place": "Assen",
        "website": "www.welzijnalfa.nl",
        "description": "Sociaal werk in Assen.",
    }
    data.update(overrides)
    return data


def test_it_saves_the_profile_with_place_and_province(org_a, alice_client, places):
    url = reverse("organisations:edit", kwargs={"slug": org_a.slug})
    response = alice_client.post(url, _form(is_member="on", member_since="2019-01-01"))
    assert response.status_code == 302
    org_a.refresh_from_db()
    assert org_a.place == places["assen"]
    assert org_a.province == "Drenthe"
    assert org_a.website == "https://www.welzijnalfa.nl"
    assert str(org_a.member_since) == "2019-01-01"


def test_it_rejects_a_kvk_number_that_is_not_eight_digits_and_keeps_the_input(
    org_a, alice_client, places
):
    url = reverse("organisations:edit", kwargs={"slug": org_a.slug})
    response = alice_client.post(url, _form(kvk_number="12345", description="Mijn tekst"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Een KvK-nummer bestaat uit precies 8 cijfers." in html
    assert 'value="12345"' in html
    assert "Mijn tekst" in html
    assert 'aria-invalid="true"' in html


def test_it_asks_for_the_province_when_a_place_name_is_ambiguous(org_a, alice_client, places):
    url = reverse("organisations:edit", kwargs={"slug": org_a.slug})
    response = alice_client.post(url, _form(place="Hengelo"))
    assert "meerdere plaatsen met deze naam" in response.content.decode()
    response = alice_client.post(url, _form(place="Hengelo (Gelderland)"))
    assert response.status_code == 302
    org_a.refresh_from_db()
    assert org_a.place == places["hengelo_ge"]


def test_it_rejects_an_unknown_place(org_a, alice_client, places):
    url = reverse("organisations:edit", kwargs={"slug": org_a.slug})
    response = alice_client.post(url, _form(place="Atlantis"))
    html = response.content.decode()
    assert "Deze plaats kennen we niet" in html
    assert 'value="Atlantis"' in html


def test_it_refuses_member_since_for_a_non_member(org_a, alice_client, places):
    url = reverse("organisations:edit", kwargs={"slug": org_a.slug})
    response = alice_client.post(url, _form(member_since="2019-01-01"))
    assert "alleen bij een lid" in response.content.decode()


def test_it_refuses_a_kvk_number_another_organisation_has(org_a, org_b, alice_client, places):
    url = reverse("organisations:edit", kwargs={"slug": org_a.slug})
    response = alice_client.post(url, _form(kvk_number=org_b.kvk_number))
    assert "al een organisatie met dit KvK-nummer" in response.content.decode()


def test_it_lets_only_the_admin_edit(org_a, bob_client, carol_client):
    url = reverse("organisations:edit", kwargs={"slug": org_a.slug})
    assert bob_client.get(url).status_code == 403
    assert carol_client.get(url).status_code == 403


def test_it_shows_the_saved_place_by_name_and_province(org_a, alice_client, places):
    org_a.place = places["hengelo_ge"]
    org_a.save()
    html = alice_client.get(reverse("organisations:edit", kwargs={"slug": org_a.slug})).content
    assert 'value="Hengelo (Gelderland)"' in html.decode()


def test_it_gives_organisations_with_the_same_name_their_own_address(places):
    from meerwaarde.organisations.services import organisation_create

    first = organisation_create(name="Welzijn Oost", kind="social_work", place=places["assen"])
    second = organisation_create(name="Welzijn Oost", kind="social_work", place=places["assen"])
    assert (first.slug, second.slug) == ("welzijn-oost", "welzijn-oost-2")
