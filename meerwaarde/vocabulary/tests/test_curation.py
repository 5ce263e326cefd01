"""Editors curate the vocabulary in the UI, with history; nobody else can."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from meerwaarde.vocabulary.constants import ConceptStatus
from meerwaarde.vocabulary.models import Concept, ConceptScheme

pytestmark = pytest.mark.django_db


@pytest.fixture
def curation_urls(vocabulary):
    code = "interventie-taalcafe"
    return [
        reverse("vocabulary:curation"),
        reverse("vocabulary:concept_create"),
        reverse("vocabulary:concept_edit", kwargs={"code": code}),
        reverse("vocabulary:concept_history", kwargs={"code": code}),
    ]


def _new_concept(**overrides) -> dict:
    data = {
        "scheme": ConceptScheme.objects.get(code="intervention_types").pk,
        "code": "interventie-repaircafe",
        "pref_label_nl": "Repair café",
        "pref_label_en": "Repair café",
        "synonyms": "reparatiecafé\n  \nreparatiecafé\nhersteltafel",
        "definition": "Vrijwilligers repareren samen met bewoners spullen.",
        "definition_en": "",
        "broader": "",
        "status": ConceptStatus.DRAFT,
        "replaced_by": "",
        "version": "2026.2",
    }
    return {**data, **overrides}


def _edit_data(concept: Concept, **overrides) -> dict:
    data = {
        "pref_label_nl": concept.pref_label_nl,
        "pref_label_en": concept.pref_label_en,
        "synonyms": "\n".join(concept.synonyms),
        "definition": concept.definition,
        "definition_en": concept.definition_en,
        "broader": concept.broader_id or "",
        "status": concept.status,
        "replaced_by": concept.replaced_by_id or "",
        "version": concept.version,
        "change_reason": "",
    }
    return {**data, **overrides}


def test_non_editors_get_403_on_every_curation_page(bob_client, alice_client, curation_urls):
    for client in (bob_client, alice_client):
        for url in curation_urls:
            assert client.get(url).status_code == 403, url
            assert client.post(url, {}).status_code in (403, 405), url


def test_anonymous_visitors_are_sent_to_log_in(client, curation_urls):
    for url in curation_urls:
        response = client.get(url)
        assert response.status_code == 302 and "/account/" in response["Location"], url


def test_the_curation_list_filters_by_scheme_and_status(editor_client, vocabulary):
    url = reverse("vocabulary:curation")
    html = editor_client.get(url, {"lijst": "themes", "status": "accepted"}).content.decode()
    assert "Eenzaamheid" in html and "Maatjesproject" not in html
    html = editor_client.get(url, {"status": "draft"}).content.decode()
    assert "Geen begrippen gevonden met deze filters" in html
    assert "Nieuw begrip" in html


def test_an_editor_creates_a_concept_with_history(editor_client, editor, vocabulary):
    response = editor_client.post(reverse("vocabulary:concept_create"), _new_concept())
    assert response.status_code == 302
    concept = Concept.objects.get(code="interventie-repaircafe")
    assert concept.synonyms == ["reparatiecafé", "hersteltafel"]
    assert concept.status == ConceptStatus.DRAFT
    record = concept.history.get()
    assert record.history_user == editor
    assert record.history_change_reason == "Begrip aangemaakt"


def test_an_editor_edits_a_concept_and_the_reason_lands_in_its_history(
    editor_client, editor, vocabulary
):
    concept = Concept.objects.get(code="interventie-taalcafe")
    url = reverse("vocabulary:concept_edit", kwargs={"code": concept.code})
    data = _edit_data(concept, synonyms="taaltafel\nspreekuur Nederlands", change_reason="Synoniem")
    data["code"] = "iets-anders"  # ignored: the code is fixed
    assert editor_client.post(url, data).status_code == 302
    concept.refresh_from_db()
    assert concept.code == "interventie-taalcafe"
    assert concept.synonyms == ["taaltafel", "spreekuur Nederlands"]
    latest = concept.history.first()
    assert (latest.history_user, latest.history_change_reason) == (editor, "Synoniem")

    html = editor_client.get(
        reverse("vocabulary:concept_history", kwargs={"code": concept.code})
    ).content.decode()
    assert "Synoniem" in html and "spreekuur Nederlands" in html and "Synoniemen" in html
    assert escape(editor.full_name) in html  # a made-up name may hold an apostrophe


def test_an_edit_needs_a_reason(editor_client, vocabulary):
    concept = Concept.objects.get(code="interventie-taalcafe")
    url = reverse("vocabulary:concept_edit", kwargs={"code": concept.code})
    response = editor_client.post(url, _edit_data(concept, pref_label_nl="Taalcafé!"))
    assert response.status_code == 200
    assert "Dit veld is verplicht" in response.content.decode()
    assert Concept.objects.get(pk=concept.pk).pref_label_nl == "Taalcafé"


def test_deprecating_without_replacement_shows_a_dutch_error_beside_the_field(
    editor_client, vocabulary
):
    concept = Concept.objects.get(code="interventie-taalcafe")
    url = reverse("vocabulary:concept_edit", kwargs={"code": concept.code})
    data = _edit_data(
        concept,
        status=ConceptStatus.DEPRECATED,
        pref_label_nl="Taalcafé (oud)",
        change_reason="Opgegaan in taalhuis",
    )
    response = editor_client.post(url, data)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["replaced_by"] == ["Kies het begrip dat dit vervallen begrip vervangt."]
    html = response.content.decode()
    assert 'id="id_replaced_by_error"' in html
    # What was typed is kept.
    assert 'value="Taalcafé (oud)"' in html and 'value="Opgegaan in taalhuis"' in html
    assert Concept.objects.get(pk=concept.pk).status == ConceptStatus.ACCEPTED


def test_deprecating_with_a_replacement_works(editor_client, vocabulary):
    concept = Concept.objects.get(code="interventie-telefooncirkel")
    replacement = Concept.objects.get(code="interventie-burenhulp")
    url = reverse("vocabulary:concept_edit", kwargs={"code": concept.code})
    data = _edit_data(
        concept,
        status=ConceptStatus.DEPRECATED,
        replaced_by=replacement.pk,
        change_reason="Samengevoegd",
    )
    assert editor_client.post(url, data).status_code == 302
    concept.refresh_from_db()
    assert (concept.status, concept.replaced_by) == (ConceptStatus.DEPRECATED, replacement)


def test_create_errors_are_dutch_and_keep_the_input(editor_client, vocabulary):
    response = editor_client.post(
        reverse("vocabulary:concept_create"),
        _new_concept(
            code="interventie-taalcafe", broader=Concept.objects.get(code="thema-eenzaamheid").pk
        ),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["code"] == ["Er bestaat al een begrip met deze code."]
    assert errors["broader"] == ["Het bredere begrip moet in dezelfde begrippenlijst staan."]
    assert "hersteltafel" in response.content.decode()
    response = editor_client.post(
        reverse("vocabulary:concept_create"), _new_concept(code="Fout Code")
    )
    assert "kleine letters" in response.context["form"].errors["code"][0]


def test_the_curation_list_pages_keep_the_filters(editor_client, vocabulary):
    html = editor_client.get(reverse("vocabulary:curation"), {"status": "accepted"}).content
    assert b"?status=accepted&amp;pagina=2" in html
