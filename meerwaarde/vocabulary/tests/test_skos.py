"""The SKOS export parses back, in both formats, to the concepts in the database."""

import json

import pytest
from rdflib import OWL, RDF, SKOS, Graph, URIRef
from rdflib.namespace import DCTERMS

from meerwaarde.vocabulary import skos
from meerwaarde.vocabulary.constants import ConceptStatus
from meerwaarde.vocabulary.models import Concept
from meerwaarde.vocabulary.services import concept_create, concept_deprecate

pytestmark = pytest.mark.django_db


def _literal(graph, node, predicate, lang):
    values = [str(o) for o in graph.objects(node, predicate) if o.language == lang]
    return values[0] if values else ""


def _code(uri) -> str | None:
    return str(uri).rsplit("/", 1)[-1] if uri is not None else None


def _concepts_from(graph: Graph) -> dict[str, dict]:
    mw = URIRef(skos.namespaces()["mw"] + "status")
    result = {}
    for node in graph.subjects(RDF.type, SKOS.Concept):
        code = str(graph.value(node, SKOS.notation))
        scheme = graph.value(node, SKOS.inScheme)
        result[code] = {
            "scheme": str(graph.value(scheme, SKOS.notation)),
            "pref_label_nl": _literal(graph, node, SKOS.prefLabel, "nl"),
            "pref_label_en": _literal(graph, node, SKOS.prefLabel, "en"),
            "synonyms": sorted(str(o) for o in graph.objects(node, SKOS.altLabel)),
            "definition": _literal(graph, node, SKOS.definition, "nl"),
            "definition_en": _literal(graph, node, SKOS.definition, "en"),
            "broader": _code(graph.value(node, SKOS.broader)),
            "narrower": sorted(_code(n) for n in graph.objects(node, SKOS.narrower)),
            "status": str(graph.value(node, mw)),
            "replaced_by": _code(graph.value(node, DCTERMS.isReplacedBy)),
            "deprecated": bool(graph.value(node, OWL.deprecated)),
            "version": str(graph.value(node, OWL.versionInfo) or ""),
        }
    return result


def _concepts_from_db() -> dict[str, dict]:
    published = Concept.objects.exclude(status=ConceptStatus.DRAFT).select_related(
        "scheme", "broader", "replaced_by"
    )
    return {
        c.code: {
            "scheme": c.scheme.code,
            "pref_label_nl": c.pref_label_nl,
            "pref_label_en": c.pref_label_en,
            "synonyms": sorted(c.synonyms),
            "definition": c.definition,
            "definition_en": c.definition_en,
            "broader": c.broader.code if c.broader else None,
            "narrower": sorted(n.code for n in c.narrower.exclude(status=ConceptStatus.DRAFT)),
            "status": c.status,
            "replaced_by": c.replaced_by.code if c.replaced_by else None,
            "deprecated": c.status == ConceptStatus.DEPRECATED,
            "version": c.version,
        }
        for c in published
    }


@pytest.fixture
def curated(vocabulary):
    """The seed plus what curation adds: an English definition, a deprecation and a draft."""
    old = Concept.objects.get(code="interventie-telefooncirkel")
    new = concept_create(
        created_by=None,
        scheme=old.scheme,
        code="interventie-belservice",
        pref_label_nl="Belservice",
        pref_label_en="Telephone check-in service",
        definition="Dagelijks een telefoontje voor wie alleen woont.",
        definition_en="A daily phone call for people living alone.",
        synonyms=["Telefooncirkel", "Goedemorgenbel"],
        status=ConceptStatus.ACCEPTED,
        version="2026.2",
    )
    concept_deprecate(concept=old, replaced_by=new, changed_by=None)
    concept_create(
        created_by=None,
        scheme=old.scheme,
        code="interventie-wijkpicknick",
        pref_label_nl="Wijkpicknick",
        pref_label_en="Neighbourhood picnic",
        definition="Nog niet vastgesteld.",
    )


@pytest.mark.parametrize(("fmt", "content_type"), [("turtle", "text/turtle"), ("json-ld", None)])
def test_it_round_trips_the_export_through_rdflib(curated, fmt, content_type):
    text = skos.export_turtle() if fmt == "turtle" else skos.export_jsonld()
    graph = Graph().parse(data=text, format=fmt)
    assert _concepts_from(graph) == _concepts_from_db()
    assert "interventie-wijkpicknick" not in _concepts_from(graph), "drafts are not published"
    assert len(set(graph.subjects(RDF.type, SKOS.ConceptScheme))) == 7


def test_it_marks_deprecated_concepts_with_their_replacement(curated):
    graph = Graph().parse(data=skos.export_turtle(), format="turtle")
    old = skos.concept_uri("interventie-telefooncirkel")
    assert graph.value(old, OWL.deprecated).toPython() is True
    assert graph.value(old, DCTERMS.isReplacedBy) == skos.concept_uri("interventie-belservice")


def test_it_serves_turtle_and_json_ld_as_downloads(client, vocabulary):
    from django.urls import reverse

    response = client.get(reverse("vocabulary:export_turtle"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/turtle")
    assert "attachment" in response["Content-Disposition"]
    Graph().parse(data=response.content.decode(), format="turtle")

    response = client.get(reverse("vocabulary:export_jsonld"))
    assert response["Content-Type"].startswith("application/ld+json")
    assert "@context" in json.loads(response.content)


def test_it_uses_the_configured_base_uri(vocabulary, settings):
    settings.VOCABULARY_BASE_URI = "https://example.org/voc"
    graph = skos.export_graph()
    assert (
        URIRef("https://example.org/voc/begrip/thema-eenzaamheid"),
        RDF.type,
        SKOS.Concept,
    ) in graph
