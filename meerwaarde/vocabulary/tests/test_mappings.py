"""An organisation's local names: tenancy, roles, remembering, and working without JavaScript."""

import pytest
from django.urls import reverse

from meerwaarde.places.tests.factories import PlaceFactory
from meerwaarde.vocabulary.models import Concept, LocalNameMapping
from meerwaarde.vocabulary.services import mapping_save

pytestmark = pytest.mark.django_db

# What the form sends for "Soort begrip" unless the user changes it.
OFFERS = "intervention_types"


@pytest.fixture
def mapping_a(vocabulary, org_a):
    return mapping_save(
        organisation=org_a,
        local_name="Maatjes Alfa",
        concept=Concept.objects.get(code="interventie-maatjesproject"),
        created_by=None,
    )


def _urls(slug: str, pk: int) -> list[str]:
    return [
        reverse("vocabulary:mapping_list", kwargs={"org_slug": slug}),
        reverse("vocabulary:mapping_create", kwargs={"org_slug": slug}),
        reverse("vocabulary:mapping_suggestions", kwargs={"org_slug": slug})
        + "?local_name=Maatjesproject",
        reverse("vocabulary:mapping_delete", kwargs={"org_slug": slug, "pk": pk}),
    ]


def test_outsiders_get_404_on_every_mapping_page_of_another_organisation(
    org_a, alice, mapping_a, charlie_client
):
    for url in _urls(org_a.slug, mapping_a.pk):
        assert charlie_client.get(url).status_code == 404, url
        assert charlie_client.post(url, {"local_name": "x", "opslaan": "1"}).status_code in (
            404,
            405,
        ), url
    assert LocalNameMapping.objects.filter(pk=mapping_a.pk).exists()


def test_an_outsider_cannot_delete_a_mapping_through_their_own_slug(
    org_b, mapping_a, charlie_client
):
    url = reverse("vocabulary:mapping_delete", kwargs={"org_slug": org_b.slug, "pk": mapping_a.pk})
    assert charlie_client.get(url).status_code == 404
    assert charlie_client.post(url).status_code == 404
    assert LocalNameMapping.objects.filter(pk=mapping_a.pk).exists()


def test_anonymous_visitors_are_sent_to_log_in(client, org_a, mapping_a):
    for url in _urls(org_a.slug, mapping_a.pk):
        assert client.get(url).status_code == 302, url


def test_a_worker_can_view_but_not_change_mappings(org_a, mapping_a, bob_client):
    list_url, create_url, suggestions_url, delete_url = _urls(org_a.slug, mapping_a.pk)
    html = bob_client.get(list_url).content.decode()
    assert "Maatjes Alfa" in html and "Lokale naam koppelen" not in html
    assert "Verwijderen" not in html
    for url in (create_url, suggestions_url, delete_url):
        assert bob_client.get(url).status_code == 403, url
    assert bob_client.post(delete_url).status_code == 403
    assert LocalNameMapping.objects.filter(pk=mapping_a.pk).exists()


def test_the_list_has_an_empty_state(org_a, carol_client, vocabulary):
    html = carol_client.get(_urls(org_a.slug, 0)[0]).content.decode()
    assert "nog geen lokale namen gekoppeld" in html


def test_a_coordinator_maps_a_name_without_javascript(org_a, carol, carol_client, vocabulary):
    PlaceFactory(name="Zwolle")
    url = reverse("vocabulary:mapping_create", kwargs={"org_slug": org_a.slug})
    page = carol_client.get(url).content.decode()
    assert "Zoek suggesties" in page and 'hx-get="' in page
    assert f'<option value="{OFFERS}" selected>' in page

    # Step 1: "Zoek suggesties" shows suggestions as radio buttons.
    response = carol_client.post(
        url, {"scheme": OFFERS, "local_name": "Maatjesproject Zwolle", "zoek": "1"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'type="radio" name="concept"' in html
    assert 'value="interventie-maatjesproject"' in html and "goede match" in html

    # Step 2: choose and save.
    response = carol_client.post(
        url,
        {
            "scheme": OFFERS,
            "local_name": "Maatjesproject Zwolle",
            "concept": "interventie-maatjesproject",
            "opslaan": "1",
        },
    )
    assert response.status_code == 302
    mapping = LocalNameMapping.objects.get(organisation=org_a)
    assert (mapping.concept.code, mapping.created_by) == ("interventie-maatjesproject", carol)
    follow = carol_client.get(response["Location"]).content.decode()
    assert "is gekoppeld aan" in follow and "Maatjesproject Zwolle" in follow


def test_the_same_name_again_updates_the_remembered_mapping(org_a, carol_client, mapping_a):
    url = reverse("vocabulary:mapping_create", kwargs={"org_slug": org_a.slug})
    html = carol_client.post(
        url, {"scheme": OFFERS, "local_name": "maatjes alfa", "zoek": "1"}
    ).content.decode()
    assert "Eerder gekoppeld" in html
    response = carol_client.post(
        url,
        {
            "scheme": OFFERS,
            "local_name": "maatjes alfa",
            "other_concept": "interventie-taalmaatje",
            "opslaan": "1",
        },
    )
    assert response.status_code == 302
    assert LocalNameMapping.objects.get(organisation=org_a).concept.code == "interventie-taalmaatje"


def test_saving_without_a_choice_shows_a_dutch_error_and_keeps_the_name(
    org_a, carol_client, vocabulary
):
    url = reverse("vocabulary:mapping_create", kwargs={"org_slug": org_a.slug})
    response = carol_client.post(
        url, {"scheme": OFFERS, "local_name": "Taalcafé De Wereld", "opslaan": "1"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Kies een begrip uit de suggesties of uit de lijst." in html
    assert 'value="Taalcafé De Wereld"' in html
    response = carol_client.post(url, {"scheme": OFFERS, "local_name": "", "opslaan": "1"})
    assert response.context["form"].errors["local_name"] == ["Dit veld is verplicht."]


def test_the_suggestions_fragment_is_a_partial(org_a, carol_client, vocabulary):
    url = reverse("vocabulary:mapping_suggestions", kwargs={"org_slug": org_a.slug})
    response = carol_client.get(url, {"local_name": "SchuldHulpMaatje Deventer"})
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert 'value="interventie-schuldhulpmaatje" aria-describedby' in html
    assert "Typ een lokale naam" in carol_client.get(url).content.decode()


def test_the_suggestions_fragment_follows_the_list_and_redraws_the_select(
    org_a, carol_client, vocabulary
):
    url = reverse("vocabulary:mapping_suggestions", kwargs={"org_slug": org_a.slug})
    response = carol_client.get(
        url,
        {"local_name": "Wijkteam Breda", "scheme": "referral_sources", "other_concept": ""},
    )
    html = response.content.decode()
    assert response.context["suggestions"][0].concept.code == "verwijzer-wijkteam"
    # The select of the chosen list replaces the one on the page (htmx out-of-band swap).
    assert '<div id="mw-other-concept" hx-swap-oob="true">' in html
    assert 'value="verwijzer-wijkteam"' in html and 'value="interventie-maatjesproject"' not in html
    response = carol_client.get(url, {"local_name": "Wijkteam Breda", "scheme": OFFERS})
    assert response.context["suggestions"][0].concept.code == "interventie-sociaal-wijkteam"


def test_the_chosen_list_limits_suggestions_and_the_select_without_javascript(
    org_a, carol_client, vocabulary
):
    url = reverse("vocabulary:mapping_create", kwargs={"org_slug": org_a.slug})
    response = carol_client.post(
        url, {"scheme": "target_groups", "local_name": "Maatjes voor ouderen", "zoek": "1"}
    )
    form = response.context["form"]
    assert {s.concept.scheme.code for s in response.context["suggestions"]} == {"target_groups"}
    assert {c.scheme.code for c in form.fields["other_concept"].queryset} == {"target_groups"}
    assert '<option value="target_groups" selected>' in response.content.decode()

    # The default list, intervention types, puts the offer first.
    response = carol_client.post(
        url, {"scheme": OFFERS, "local_name": "Maatjes voor ouderen", "zoek": "1"}
    )
    assert response.context["suggestions"][0].concept.code == "interventie-maatjesproject"


def test_a_concept_chosen_before_the_list_changed_is_kept_and_saved(
    org_a, carol_client, vocabulary
):
    """Without JavaScript the select is not redrawn when the list changes: the choice stands."""
    url = reverse("vocabulary:mapping_create", kwargs={"org_slug": org_a.slug})
    data = {"local_name": "Zilveren Kracht", "other_concept": "doelgroep-ouderen"}
    html = carol_client.post(url, {**data, "scheme": OFFERS, "zoek": "1"}).content.decode()
    assert '<option value="doelgroep-ouderen" selected>' in html
    response = carol_client.post(url, {**data, "scheme": OFFERS, "opslaan": "1"})
    assert response.status_code == 302
    assert LocalNameMapping.objects.get(organisation=org_a).concept.code == "doelgroep-ouderen"


def test_an_unknown_list_falls_back_to_the_intervention_types(org_a, carol_client, vocabulary):
    url = reverse("vocabulary:mapping_suggestions", kwargs={"org_slug": org_a.slug})
    response = carol_client.get(url, {"local_name": "Maatjesproject", "scheme": "bestaat-niet"})
    assert response.context["suggestions"][0].concept.code == "interventie-maatjesproject"
    create = reverse("vocabulary:mapping_create", kwargs={"org_slug": org_a.slug})
    response = carol_client.post(
        create, {"scheme": "bestaat-niet", "local_name": "Maatjesproject", "opslaan": "1"}
    )
    assert response.status_code == 200 and response.context["form"].errors["scheme"]


def test_a_coordinator_deletes_a_mapping_after_confirming(org_a, carol_client, mapping_a):
    url = reverse("vocabulary:mapping_delete", kwargs={"org_slug": org_a.slug, "pk": mapping_a.pk})
    assert "Weet u zeker" in carol_client.get(url).content.decode()
    assert carol_client.post(url).status_code == 302
    assert not LocalNameMapping.objects.filter(pk=mapping_a.pk).exists()


def test_the_dashboard_counts_the_mappings(org_a, alice_client, mapping_a):
    from meerwaarde.vocabulary.selectors import mapping_count

    assert mapping_count(organisation=org_a) == 1
    assert alice_client.get(reverse("core:dashboard")).status_code == 200
