"""Anyone can read the published vocabulary; drafts stay with the editors."""

import pytest
from django.urls import reverse

from meerwaarde.vocabulary.constants import ConceptStatus
from meerwaarde.vocabulary.models import Concept
from meerwaarde.vocabulary.tests.factories import ConceptFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(vocabulary):
    scheme = Concept.objects.get(code="interventie-taalcafe").scheme
    return ConceptFactory(
        scheme=scheme,
        code="interventie-wijkpicknick",
        pref_label_nl="Wijkpicknick",
        status=ConceptStatus.DRAFT,
    )


def test_anonymous_visitors_can_read_the_public_pages(client, vocabulary):
    pages = [
        reverse("vocabulary:scheme_list"),
        reverse("vocabulary:scheme_list") + "?q=maatje",
        reverse("vocabulary:scheme_detail", kwargs={"scheme": "intervention_types"}),
        reverse("vocabulary:scheme_detail", kwargs={"scheme": "themes"}) + "?q=armoede",
        reverse("vocabulary:concept_detail", kwargs={"code": "interventie-taalmaatje"}),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert b"<h1" in response.content


def test_it_shows_the_hierarchy_and_search_of_a_scheme(client, vocabulary):
    url = reverse("vocabulary:scheme_detail", kwargs={"scheme": "intervention_types"})
    html = client.get(url).content.decode()
    # Taalmaatje sits under Maatjesproject, one level deeper.
    assert html.index("Maatjesproject") < html.index("Taalmaatje")
    assert 'data-depth="1"' in html and "valt onder Maatjesproject" in html
    html = client.get(url + "?q=taalcafé").content.decode()
    assert "Taalcafé" in html and "Maatjesproject" not in html


def test_it_shows_broader_narrower_and_version_of_a_concept(client, vocabulary):
    url = reverse("vocabulary:concept_detail", kwargs={"code": "interventie-maatjesproject"})
    html = client.get(url).content.decode()
    assert "Taalmaatje" in html and "Schuldhulpmaatje" in html and "2026.1" in html
    assert "Bewerken" not in html


def test_it_hides_drafts_from_the_public(client, bob_client, draft):
    url = reverse("vocabulary:scheme_detail", kwargs={"scheme": "intervention_types"})
    assert "Wijkpicknick" not in client.get(url).content.decode()
    assert "Wijkpicknick" not in bob_client.get(url).content.decode()
    detail = reverse("vocabulary:concept_detail", kwargs={"code": draft.code})
    assert client.get(detail).status_code == 404
    assert bob_client.get(detail).status_code == 404
    search = reverse("vocabulary:scheme_list") + "?q=wijkpicknick"
    assert "Geen begrippen gevonden" in client.get(search).content.decode()


def test_editors_see_drafts_with_their_status(editor_client, draft):
    url = reverse("vocabulary:scheme_detail", kwargs={"scheme": "intervention_types"})
    html = editor_client.get(url).content.decode()
    assert "Wijkpicknick" in html and 'data-status="draft"' in html
    detail = reverse("vocabulary:concept_detail", kwargs={"code": draft.code})
    html = editor_client.get(detail).content.decode()
    assert "Bewerken" in html and "Geschiedenis" in html


def test_it_points_from_a_deprecated_concept_to_its_replacement(client, vocabulary):
    from meerwaarde.vocabulary.services import concept_deprecate

    old = Concept.objects.get(code="interventie-telefooncirkel")
    concept_deprecate(
        concept=old, replaced_by=Concept.objects.get(code="interventie-burenhulp"), changed_by=None
    )
    html = client.get(reverse("vocabulary:concept_detail", kwargs={"code": old.code})).content
    assert "Dit begrip is vervallen" in html.decode() and "Burenhulp" in html.decode()


def test_it_shows_an_empty_state_before_the_vocabulary_is_loaded(client, db):
    html = client.get(reverse("vocabulary:scheme_list")).content.decode()
    assert "nog niet geladen" in html


def test_an_unknown_scheme_or_concept_is_a_404(client, db):
    assert (
        client.get(reverse("vocabulary:scheme_detail", kwargs={"scheme": "x"})).status_code == 404
    )
    assert client.get(reverse("vocabulary:concept_detail", kwargs={"code": "x"})).status_code == 404
