"""The vocabulary pages per role in Chromium: axe-core, keyboard, Dutch errors, htmx under CSP."""

import pytest
from django.urls import reverse

from meerwaarde.organisations.models import Membership
from meerwaarde.vocabulary.constants import ConceptStatus
from meerwaarde.vocabulary.models import Concept, ConceptScheme, LocalNameMapping
from meerwaarde.vocabulary.services import mapping_save

from .helpers import ACTIVE_MATCHES, assert_tab_reaches_everything, tab_to
from .test_bad_input import assert_dutch, assert_field_error

pytestmark = pytest.mark.browser

# axe-core no longer reports duplicate ids (deprecated rule); a swapped-in fragment could add one.
_DUPLICATE_IDS = """() => {
  const ids = [...document.querySelectorAll("[id]")].map((el) => el.id);
  return ids.filter((id, i) => ids.indexOf(id) !== i);
}"""
_SUGGESTIONS = "/lokale-namen/suggesties/"


def _url(name: str, **kwargs) -> str:
    return reverse(f"vocabulary:{name}", kwargs=kwargs)


@pytest.fixture
def child_concept(vocabulary) -> Concept:
    """An accepted concept with a broader one, so the page shows its place in the tree."""
    return (
        Concept.objects.filter(status=ConceptStatus.ACCEPTED, broader__isnull=False)
        .order_by("code")
        .first()
    )


@pytest.fixture
def mapping(vocabulary, cast, org_a) -> LocalNameMapping:
    concept = Concept.objects.get(code="interventie-maatjesproject")
    return mapping_save(
        organisation=org_a,
        local_name="Maatje in de wijk",
        concept=concept,
        created_by=cast["coordinator"],
    )


def test_the_public_vocabulary_pages(watch, vocabulary, child_concept):
    page = watch.page
    watch.visit(_url("scheme_list"))
    # Every list uses one template: the first list and the one with a hierarchy stand for all.
    for scheme in {ConceptScheme.objects.order_by("position").first(), child_concept.scheme}:
        watch.visit(_url("scheme_detail", scheme=scheme.code))
    watch.visit(_url("scheme_detail", scheme=child_concept.scheme.code) + "?q=ouder")
    watch.visit(_url("scheme_list") + "?q=maatje")
    watch.visit(_url("scheme_list") + "?q=bestaat-niet-xyz")
    watch.visit(_url("concept_detail", code=child_concept.code))
    assert page.get_by_text(child_concept.broader.pref_label_nl).first.is_visible()
    # Error pages and the log-in page are checked with axe in test_pages.
    watch.visit(_url("concept_detail", code="bestaat-niet"), status=404, axe=False)
    watch.visit(_url("scheme_detail", scheme="bestaat-niet"), status=404, axe=False)
    # Curation is behind log-in.
    watch.visit(_url("curation"), axe=False)
    assert reverse("accounts:login") in page.url


def test_a_worker_sees_the_local_names_but_cannot_change_them(watch, login, cast, org_a, mapping):
    login(cast["worker"])
    watch.visit(_url("mapping_list", org_slug=org_a.slug))
    assert watch.page.get_by_text("Maatje in de wijk").is_visible()
    assert not watch.page.get_by_role("link", name="Lokale naam koppelen").count()
    watch.visit(_url("mapping_create", org_slug=org_a.slug), status=403, axe=False)
    watch.visit(_url("mapping_delete", org_slug=org_a.slug, pk=mapping.pk), status=403, axe=False)
    watch.visit(_url("curation"), status=403, axe=False)


def test_a_coordinator_links_a_local_name_with_suggestions(watch, login, cast, org_a, mapping):
    page = watch.page
    login(cast["coordinator"])
    watch.visit(_url("mapping_list", org_slug=org_a.slug))
    watch.visit(_url("mapping_list", org_slug=org_a.slug) + "?q=maatje")
    watch.visit(_url("mapping_delete", org_slug=org_a.slug, pk=mapping.pk))
    watch.visit(_url("mapping_create", org_slug=org_a.slug))

    # Bad input: saving without a name or a concept explains both, in Dutch, at the fields.
    page.get_by_role("button", name="Koppeling opslaan").click()
    page.locator(".utrecht-form-field-error-message").first.wait_for()
    watch.check()
    assert_field_error(page, "id_local_name", "Dit veld is verplicht.")
    assert_dutch(page)

    # Typing fetches suggestions with htmx (a script from our origin, under the strict CSP).
    # One input event, so one request: a second one still running when the form is saved
    # would race it on the test server's single in-memory SQLite connection.
    with page.expect_response(lambda r: "/lokale-namen/suggesties/" in r.url):
        page.get_by_label("Lokale naam").fill("Taalmaatje")
    page.locator("#mw-suggestions fieldset input[type=radio]").first.wait_for()
    watch.check()

    # Another list fetches its suggestions and redraws "Of kies zelf een begrip" for it.
    with page.expect_response(lambda r: _SUGGESTIONS in r.url and "target_groups" in r.url):
        page.get_by_label("Soort begrip").select_option("target_groups")
    page.locator("#id_concept_empty").wait_for()  # no target group is called "taalmaatje"
    watch.check()
    assert page.evaluate(_DUPLICATE_IDS) == []
    options = page.get_by_label("Of kies zelf een begrip").locator("option[value]:not([value=''])")
    assert options.count() and all(
        code.startswith("doelgroep-")
        for code in options.evaluate_all("(els) => els.map((el) => el.value)")
    )
    with page.expect_response(lambda r: _SUGGESTIONS in r.url and "intervention_types" in r.url):
        page.get_by_label("Soort begrip").select_option("intervention_types")
    page.locator("#mw-suggestions fieldset input[type=radio]").first.wait_for()
    assert page.evaluate(_DUPLICATE_IDS) == []
    page.locator("#mw-suggestions input[type=radio]").first.check()
    chosen = page.locator("#mw-suggestions input[type=radio]").first.get_attribute("value")
    page.get_by_role("button", name="Koppeling opslaan").click()
    page.wait_for_url("**" + _url("mapping_list", org_slug=org_a.slug))
    assert page.get_by_role("status").is_visible()
    watch.check()
    saved = LocalNameMapping.objects.get(organisation=org_a, local_name="Taalmaatje")
    assert saved.concept.code == chosen

    # Without JavaScript's help: the "Zoek suggesties" button does the same round trip.
    watch.visit(_url("mapping_create", org_slug=org_a.slug) + "?local_name=Schuldhulp")
    watch.visit(_url("mapping_delete", org_slug=org_a.slug, pk=mapping.pk))
    page.get_by_role("button", name="verwijderen").click()
    page.wait_for_url("**" + _url("mapping_list", org_slug=org_a.slug))
    watch.check()
    assert not LocalNameMapping.objects.filter(pk=mapping.pk).exists()


def test_an_editor_curates_a_concept(watch, login, cast, vocabulary, child_concept):
    page = watch.page
    login(cast["editor"])
    watch.check()
    watch.visit(_url("curation"))
    watch.visit(_url("curation") + f"?lijst={child_concept.scheme.code}&status=accepted&q=a")
    watch.visit(_url("concept_detail", code=child_concept.code))
    watch.visit(_url("concept_history", code=child_concept.code))

    # A new concept with nothing filled in: Dutch errors at the fields.
    watch.visit(_url("concept_create"))
    page.get_by_label("Voorkeursterm (Nederlands)").fill("Buurtkamer")
    page.locator("form button[type=submit]").last.click()
    page.locator(".utrecht-form-field-error-message").first.wait_for()
    watch.check()
    assert_field_error(page, "id_code", "Dit veld is verplicht.")
    assert page.get_by_label("Voorkeursterm (Nederlands)").input_value() == "Buurtkamer"
    assert_dutch(page)

    # Editing asks for a reason, which then shows in the history.
    watch.visit(_url("concept_edit", code=child_concept.code))
    page.get_by_label("Synoniemen").fill("proefsynoniem")
    page.locator("form button[type=submit]").last.click()
    page.locator("#id_change_reason_error").wait_for()
    assert_field_error(page, "id_change_reason", "Dit veld is verplicht.")
    assert page.get_by_label("Synoniemen").input_value() == "proefsynoniem"
    watch.check()
    page.get_by_label("Reden van wijziging").fill("synoniem toegevoegd")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url("**" + _url("concept_detail", code=child_concept.code))
    assert page.get_by_role("status").is_visible()
    watch.check()
    watch.visit(_url("concept_history", code=child_concept.code))
    assert page.get_by_text("synoniem toegevoegd").first.is_visible()


def test_the_admin_of_another_organisation_gets_404_on_its_local_names(
    watch, login, cast, org_a, mapping
):
    login(cast["outsider"])
    watch.visit(_url("mapping_list", org_slug=org_a.slug), status=404, axe=False)
    watch.visit(_url("mapping_delete", org_slug=org_a.slug, pk=mapping.pk), status=404, axe=False)
    assert Membership.objects.filter(user=cast["outsider"], organisation=org_a).count() == 0


def test_a_local_name_is_linked_with_the_keyboard_alone(watch, login, cast, org_a, vocabulary):
    page = watch.page
    login(cast["coordinator"])
    watch.visit(_url("mapping_create", org_slug=org_a.slug), axe=False)
    # The list first: arrow keys change a closed select, which fetches (empty) suggestions.
    tab_to(page, "#id_scheme")
    with page.expect_response(lambda r: _SUGGESTIONS in r.url and "target_groups" in r.url):
        page.keyboard.press("ArrowUp")  # from Interventietypen to Doelgroepen
    assert page.evaluate(ACTIVE_MATCHES, "#id_scheme")
    tab_to(page, "#id_local_name", limit=1)
    with page.expect_response(lambda r: _SUGGESTIONS in r.url and "local_name=Maatjes" in r.url):
        page.keyboard.type("Maatjes voor ouderen")
    radios = page.locator("#mw-suggestions input[type=radio]")
    radios.nth(1).wait_for()
    assert all(
        code.startswith("doelgroep-")
        for code in radios.evaluate_all("(els) => els.map((el) => el.value)")
    )
    # The focus stays in the box while the suggestions arrive; Tab then reaches them.
    assert page.evaluate(ACTIVE_MATCHES, "#id_local_name")
    tab_to(page, "#mw-suggestions input[type=radio]", limit=3)
    page.keyboard.press("ArrowDown")  # the second suggestion
    second = radios.nth(1).get_attribute("value")
    assert page.evaluate(ACTIVE_MATCHES, "#mw-suggestions input[type=radio]:checked")
    assert radios.nth(1).is_checked()
    tab_to(page, "button[name=opslaan]")
    page.keyboard.press("Enter")
    page.wait_for_url("**" + _url("mapping_list", org_slug=org_a.slug))
    watch.check()
    saved = LocalNameMapping.objects.get(organisation=org_a, local_name="Maatjes voor ouderen")
    assert saved.concept.code == second and saved.concept.scheme.code == "target_groups"


@pytest.mark.parametrize("role", ["coordinator", "editor"])
def test_the_vocabulary_forms_are_reachable_with_tab_and_show_focus(
    watch, login, cast, org_a, vocabulary, child_concept, role
):
    login(cast[role])
    if role == "coordinator":  # with suggestions: a radio group is one Tab stop
        path = _url("mapping_create", org_slug=org_a.slug) + "?local_name=Taalmaatje"
    else:
        path = _url("concept_edit", code=child_concept.code)
    watch.visit(path, axe=False)
    assert_tab_reaches_everything(watch.page)
