"""The offer pages: who may see and change what, the form, the list's flags and filters."""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from meerwaarde.offers.constants import EvidenceLevel, OfferStatus
from meerwaarde.offers.models import Offer
from meerwaarde.offers.tests.factories import OfferFactory
from meerwaarde.vocabulary.tests.factories import LocalNameMappingFactory

pytestmark = pytest.mark.django_db


def _url(name: str, org, **kwargs) -> str:
    return reverse(f"offers:{name}", kwargs={"slug": org.slug, **kwargs})


@pytest.fixture
def offer(org_a, concepts):
    return OfferFactory(
        organisation=org_a, name="Maatjes Zwolle", intervention_type=concepts["maatjes"]
    )


def _form_data(concepts, zwolle, **overrides) -> dict:
    data = {
        "name": "Maatjes Zwolle",
        "intervention_type": concepts["maatjes"].pk,
        "description": "Een vrijwilliger komt wekelijks op bezoek.",
        "themes": [concepts["eenzaamheid"].pk],
        "target_groups": [concepts["ouderen"].pk],
        "languages": ["nl", "ar"],
        "service_area": "locations",
        "accessibility": "accessible",
        "cost": "free",
        "access": "walk_in",
        "evidence_level": "none",
        "phone": "0381234567",
        "locaties-TOTAL_FORMS": "2",
        "locaties-INITIAL_FORMS": "0",
        "locaties-MIN_NUM_FORMS": "0",
        "locaties-MAX_NUM_FORMS": "50",
        "locaties-0-place": zwolle.label,
        "locaties-0-name": "Buurthuis De Boog",
        "locaties-0-address": "Boogstraat 1",
        "locaties-0-postcode": "8011ab",
        "locaties-1-place": "",
    }
    data.update(overrides)
    return data


def _selected_option(html: str) -> str | None:
    match = re.search(r'<option value="(\d+)" selected>', html)
    return match.group(1) if match else None


# Who may do what -------------------------------------------------------------------------


def _all_urls(org, offer) -> list[tuple[str, str]]:
    pk = offer.pk
    return [
        ("get", _url("list", org)),
        ("get", _url("create", org)),
        ("get", _url("suggestions", org) + "?name=maatjes"),
        ("get", _url("detail", org, pk=pk)),
        ("get", _url("edit", org, pk=pk)),
        ("get", _url("delete", org, pk=pk)),
        ("post", _url("pause", org, pk=pk)),
        ("post", _url("resume", org, pk=pk)),
        ("post", _url("archive", org, pk=pk)),
        ("post", _url("confirm", org, pk=pk)),
        ("post", _url("places", org, pk=pk)),
        ("post", _url("delete", org, pk=pk)),
    ]


def test_it_sends_anonymous_visitors_to_the_login_page(org_a, offer):
    client = Client()
    for method, url in _all_urls(org_a, offer):
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert reverse("accounts:login") in response["Location"], url


def test_it_gives_another_organisation_404_on_every_offer_page(org_a, offer, charlie_client):
    for method, url in _all_urls(org_a, offer):
        assert getattr(charlie_client, method)(url).status_code == 404, url
    assert Offer.objects.get(pk=offer.pk).status == OfferStatus.ACTIVE


def test_it_gives_404_for_an_offer_of_a_through_the_address_of_b(org_b, offer, charlie_client):
    assert charlie_client.get(_url("detail", org_b, pk=offer.pk)).status_code == 404
    assert charlie_client.post(_url("archive", org_b, pk=offer.pk)).status_code == 404
    assert Offer.objects.get(pk=offer.pk).status == OfferStatus.ACTIVE


def test_a_worker_sees_the_offers_but_gets_403_on_every_change(org_a, offer, bob_client):
    html = bob_client.get(_url("list", org_a)).content.decode()
    assert "Maatjes Zwolle" in html
    assert _url("create", org_a) not in html
    html = bob_client.get(_url("detail", org_a, pk=offer.pk)).content.decode()
    assert _url("edit", org_a, pk=offer.pk) not in html
    readable = {_url("list", org_a), _url("detail", org_a, pk=offer.pk)}
    for method, url in _all_urls(org_a, offer):
        if url not in readable:
            assert getattr(bob_client, method)(url).status_code == 403, url
    assert Offer.objects.get(pk=offer.pk).status == OfferStatus.ACTIVE


@pytest.mark.parametrize("who", ["carol_client", "alice_client"])
def test_coordinators_and_admins_may_change_offers(request, org_a, offer, who):
    client = request.getfixturevalue(who)
    assert client.get(_url("edit", org_a, pk=offer.pk)).status_code == 200
    client.post(_url("pause", org_a, pk=offer.pk))
    assert Offer.objects.get(pk=offer.pk).status == OfferStatus.PAUSED


# The form --------------------------------------------------------------------------------


def test_a_coordinator_adds_an_offer(org_a, carol, carol_client, concepts, zwolle):
    response = carol_client.post(_url("create", org_a), _form_data(concepts, zwolle))
    offer = Offer.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _url("detail", org_a, pk=offer.pk)
    assert offer.organisation == org_a
    assert offer.created_by == carol
    assert offer.phone == "038 123 4567"
    assert offer.languages == ["nl", "ar"]
    location = offer.locations.get()
    assert (location.name, location.address, location.postcode) == (
        "Buurthuis De Boog",
        "Boogstraat 1",
        "8011 AB",
    )


def test_the_form_keeps_everything_typed_on_an_error(org_a, carol_client, concepts, zwolle):
    data = _form_data(
        concepts,
        zwolle,
        phone="12",
        **{"locaties-1-place": zwolle.label, "locaties-1-name": "Tweede plek"},
    )
    response = carol_client.post(_url("create", org_a), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert not Offer.objects.exists()
    assert "Dit is geen geldig telefoonnummer" in html
    assert 'value="12"' in html
    assert "Een vrijwilliger komt wekelijks op bezoek." in html
    assert _selected_option(html) == str(concepts["maatjes"].pk)
    assert re.search(rf'value="{concepts["eenzaamheid"].pk}"[^>]*checked', html)
    assert 'value="ar"' in html and re.search(r'value="ar"[^>]*checked', html)
    assert html.count(f'value="{zwolle.label}"') == 2
    assert 'value="Buurthuis De Boog"' in html and 'value="Tweede plek"' in html
    assert 'aria-describedby="id_phone_helptext id_phone_error"' in html


def test_a_service_rule_shows_on_its_field(org_a, carol_client, concepts, zwolle):
    data = _form_data(concepts, zwolle, cost="free", cost_amount="5")
    html = carol_client.post(_url("create", org_a), data).content.decode()
    assert 'id="id_cost_amount_error"' in html
    assert "Bij gratis aanbod hoort geen bedrag" in html


def test_the_form_asks_for_at_least_one_location(org_a, carol_client, concepts, zwolle):
    empty_row = {f"locaties-0-{name}": "" for name in ("place", "name", "address", "postcode")}
    data = _form_data(concepts, zwolle, **empty_row)
    html = carol_client.post(_url("create", org_a), data).content.decode()
    assert not Offer.objects.exists()
    assert "Geef minstens één locatie of plaats op." in html


def test_an_unknown_place_is_an_error_on_its_row(org_a, carol_client, concepts, zwolle):
    data = _form_data(concepts, zwolle, **{"locaties-0-place": "Atlantis"})
    html = carol_client.post(_url("create", org_a), data).content.decode()
    assert "Deze plaats kennen we niet" in html
    assert 'value="Atlantis"' in html


def test_the_edit_form_shows_the_offer_and_saving_confirms_it(
    org_a, carol_client, concepts, zwolle
):
    offer = OfferFactory(
        organisation=org_a,
        intervention_type=concepts["maatjes"],
        last_confirmed_on=datetime.date(2020, 1, 1),
        location__place=zwolle,
        location__name="De Boog",
    )
    html = carol_client.get(_url("edit", org_a, pk=offer.pk)).content.decode()
    assert f'value="{zwolle.label}"' in html
    assert 'value="De Boog"' in html
    assert _selected_option(html) == str(concepts["maatjes"].pk)
    data = _form_data(concepts, zwolle, name="Nieuwe naam", **{"locaties-TOTAL_FORMS": "1"})
    response = carol_client.post(_url("edit", org_a, pk=offer.pk), data)
    assert response.status_code == 302
    offer.refresh_from_db()
    assert offer.name == "Nieuwe naam"
    assert offer.last_confirmed_on == timezone.localdate()


def test_a_location_can_be_removed_in_the_edit_form(org_a, carol_client, concepts, zwolle):
    offer = OfferFactory(organisation=org_a, intervention_type=concepts["maatjes"])
    data = _form_data(
        concepts,
        zwolle,
        **{
            "locaties-TOTAL_FORMS": "2",
            "locaties-INITIAL_FORMS": "1",
            "locaties-0-DELETE": "on",
            "locaties-1-place": zwolle.label,
            "locaties-1-name": "Nieuwe plek",
        },
    )
    assert carol_client.post(_url("edit", org_a, pk=offer.pk), data).status_code == 302
    assert [loc.name for loc in offer.locations.all()] == ["Nieuwe plek"]


# Suggestions for the intervention type -------------------------------------------------------


def test_the_suggestions_fragment_offers_intervention_types_for_the_typed_name(
    org_a, carol_client, concepts, zwolle
):
    response = carol_client.get(_url("suggestions", org_a), {"name": "Maatjes Zwolle"})
    html = response.content.decode()
    assert response.status_code == 200
    assert '<div id="mw-intervention-type">' in html
    assert 'label="Voorgesteld bij ‘Maatjes Zwolle’"' in html
    assert "Maatjesproject (" in html
    assert 'hx-swap-oob="innerHTML"' in html
    # A suggestion is offered, not chosen: the user picks.
    assert _selected_option(html) is None


def test_the_fragment_preselects_the_organisations_earlier_choice(org_a, carol_client, concepts):
    LocalNameMappingFactory(organisation=org_a, local_name="De Soepbus", concept=concepts["opvang"])
    html = carol_client.get(_url("suggestions", org_a), {"name": "de soepbus"}).content.decode()
    assert _selected_option(html) == str(concepts["opvang"].pk)
    assert "eerder gekoppeld" in html


def test_the_fragment_keeps_a_choice_already_made(org_a, carol_client, concepts):
    LocalNameMappingFactory(organisation=org_a, local_name="De Soepbus", concept=concepts["opvang"])
    html = carol_client.get(
        _url("suggestions", org_a),
        {"name": "De Soepbus", "intervention_type": concepts["maatjes"].pk},
    ).content.decode()
    assert _selected_option(html) == str(concepts["maatjes"].pk)


def test_the_fragment_does_not_suggest_another_organisations_mapping(
    org_a, org_b, carol_client, concepts
):
    LocalNameMappingFactory(organisation=org_b, local_name="De Soepbus", concept=concepts["opvang"])
    html = carol_client.get(_url("suggestions", org_a), {"name": "De Soepbus"}).content.decode()
    assert "eerder gekoppeld" not in html
    assert _selected_option(html) is None


def test_the_name_field_asks_for_suggestions_with_htmx(org_a, carol_client, concepts):
    html = carol_client.get(_url("create", org_a)).content.decode()
    assert f'hx-get="{_url("suggestions", org_a)}"' in html
    assert 'hx-target="#mw-intervention-type"' in html


# The list and the detail page ------------------------------------------------------------


def test_the_list_flags_offers_past_the_warning_and_the_hide_period(org_a, bob_client):
    today = timezone.localdate()
    OfferFactory(organisation=org_a, name="Vers", last_confirmed_on=today)
    OfferFactory(
        organisation=org_a, name="Oud", last_confirmed_on=today - datetime.timedelta(days=400)
    )
    OfferFactory(
        organisation=org_a,
        name="Heel oud",
        last_confirmed_on=today - datetime.timedelta(days=600),
    )
    html = bob_client.get(_url("list", org_a)).content.decode()
    rows = {
        name: row
        for row in html.split('<tr class="utrecht-table__row" data-offer=')[1:]
        for name in ["Vers", "Oud", "Heel oud"]
        if f">{name}</a>" in row
    }
    assert "Bevestigd op" in rows["Vers"]
    assert "Niet bevestigd sinds" in rows["Oud"]
    assert "Niet zichtbaar op de sociale kaart" not in rows["Oud"]
    assert "Niet zichtbaar op de sociale kaart" in rows["Heel oud"]


def test_the_list_filters_by_status_name_and_confirmation(org_a, bob_client):
    today = timezone.localdate()
    OfferFactory(organisation=org_a, name="Taalcafé", status=OfferStatus.PAUSED)
    OfferFactory(organisation=org_a, name="Maatjes", last_confirmed_on=today)
    OfferFactory(
        organisation=org_a,
        name="Buurtkamer",
        last_confirmed_on=today - datetime.timedelta(days=400),
    )

    def names(**params):
        html = bob_client.get(_url("list", org_a), params).content.decode()
        return re.findall(
            r'class="utrecht-link" href="/organisaties/[^"]+/aanbod/\d+/">([^<]+)<', html
        )

    assert names() == ["Buurtkamer", "Maatjes", "Taalcafé"]
    assert names(status="paused") == ["Taalcafé"]
    assert names(q="maat") == ["Maatjes"]
    assert names(bevestigen="on") == ["Buurtkamer"]
    assert (
        "Geen aanbod gevonden" in bob_client.get(_url("list", org_a), {"q": "xyz"}).content.decode()
    )


def test_the_list_and_the_detail_show_when_a_recognition_expires(org_a, bob_client):
    offer = OfferFactory(
        organisation=org_a,
        evidence_level=EvidenceLevel.WELL_DESCRIBED,
        evidence_assessed_on=datetime.date(2025, 3, 1),
    )
    for url in (_url("list", org_a), _url("detail", org_a, pk=offer.pk)):
        assert "Erkenning verloopt op 1 maart 2028" in bob_client.get(url).content.decode()


def test_the_list_pages_keep_the_filters(org_a, bob_client):
    for n in range(30):
        OfferFactory(organisation=org_a, name=f"Maatjes {n:02}", location=None)
    html = bob_client.get(_url("list", org_a), {"q": "maatjes"}).content.decode()
    assert "?q=maatjes&amp;pagina=2" in html


def test_a_coordinator_confirms_a_stale_offer_from_the_list(org_a, carol_client):
    offer = OfferFactory(organisation=org_a, last_confirmed_on=datetime.date(2020, 1, 1))
    response = carol_client.post(_url("confirm", org_a, pk=offer.pk), {"terug": "lijst"})
    assert response["Location"] == _url("list", org_a)
    offer.refresh_from_db()
    assert offer.last_confirmed_on == timezone.localdate()


def test_the_detail_page_shows_places_only_for_a_shelter(org_a, carol_client, concepts):
    shelter = OfferFactory(organisation=org_a, intervention_type=concepts["opvang"])
    other = OfferFactory(organisation=org_a, intervention_type=concepts["maatjes"])
    assert (
        "Vrije plaatsen" in carol_client.get(_url("detail", org_a, pk=shelter.pk)).content.decode()
    )
    assert (
        "Vrije plaatsen"
        not in carol_client.get(_url("detail", org_a, pk=other.pk)).content.decode()
    )

    response = carol_client.post(_url("places", org_a, pk=shelter.pk), {"places_available": "4"})
    assert response.status_code == 302
    shelter.refresh_from_db()
    assert shelter.places_available == 4

    html = carol_client.post(
        _url("places", org_a, pk=other.pk), {"places_available": "4"}, follow=True
    ).content.decode()
    assert "Alleen opvang kan vrije plaatsen doorgeven." in html
    other.refresh_from_db()
    assert other.places_available is None


def test_an_archived_offer_cannot_be_paused_and_says_why(org_a, carol_client):
    offer = OfferFactory(organisation=org_a, status=OfferStatus.ARCHIVED)
    response = carol_client.post(_url("pause", org_a, pk=offer.pk), follow=True)
    assert "kan niet gepauzeerd worden" in response.content.decode()
    offer.refresh_from_db()
    assert offer.status == OfferStatus.ARCHIVED


def test_deleting_asks_first(org_a, carol_client):
    offer = OfferFactory(organisation=org_a)
    assert (
        "Ja, verwijderen" in carol_client.get(_url("delete", org_a, pk=offer.pk)).content.decode()
    )
    assert Offer.objects.filter(pk=offer.pk).exists()
    response = carol_client.post(_url("delete", org_a, pk=offer.pk))
    assert response["Location"] == _url("list", org_a)
    assert not Offer.objects.filter(pk=offer.pk).exists()


def test_an_offer_that_ran_is_not_deleted_but_its_coordinator_is_told_to_archive(
    org_a, carol_client
):
    from meerwaarde.activities.tests.factories import ActivityRecordFactory

    record = ActivityRecordFactory(offer=OfferFactory(organisation=org_a))
    response = carol_client.post(_url("delete", org_a, pk=record.offer.pk), follow=True)
    assert "Archiveer het" in response.content.decode()
    assert Offer.objects.filter(pk=record.offer.pk).exists()
    record.refresh_from_db()


# The start page -------------------------------------------------------------------------


def test_the_dashboard_shows_coordinators_how_many_offers_need_confirming(
    org_a, carol_client, bob_client
):
    OfferFactory(organisation=org_a)
    OfferFactory(organisation=org_a, last_confirmed_on=datetime.date(2020, 1, 1))
    OfferFactory(
        organisation=org_a, last_confirmed_on=datetime.date(2020, 1, 1), status=OfferStatus.ARCHIVED
    )
    html = carol_client.get(reverse("core:dashboard")).content.decode()
    assert 'data-panel="offers"' in html
    assert "Actief of gepauzeerd: 2" in html
    assert "Niet recent bevestigd: 1" in html
    assert f'href="{_url("list", org_a)}?bevestigen=on"' in html
    assert 'data-panel="offers"' not in bob_client.get(reverse("core:dashboard")).content.decode()


def test_a_bad_postcode_is_explained_on_its_row(org_a, carol_client, concepts, zwolle):
    data = _form_data(concepts, zwolle, **{"locaties-0-postcode": "B-1000"})
    html = carol_client.post(_url("create", org_a), data).content.decode()
    assert 'id="id_locaties-0-postcode_error"' in html
    assert "Dit is geen Nederlandse postcode" in html
    assert not Offer.objects.exists()


def test_the_list_costs_the_same_number_of_queries_for_more_offers(
    org_a, bob_client, django_assert_max_num_queries
):
    for n in range(10):
        OfferFactory(organisation=org_a, name=f"Aanbod {n}")
    with django_assert_max_num_queries(12):
        bob_client.get(_url("list", org_a))
