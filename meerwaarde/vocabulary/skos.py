"""The thesaurus as SKOS (Turtle, JSON-LD), so others can reuse our codes and labels.

URIs: ``<base><scheme code>`` for a scheme and ``<base>begrip/<code>`` for a concept, the same
paths as the public pages when the base is the site's own ``/vocabulaire/``.
"""

from django.conf import settings
from rdflib import OWL, RDF, SKOS, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, XSD

from meerwaarde.vocabulary.constants import ConceptStatus
from meerwaarde.vocabulary.models import Concept, ConceptScheme

DEFAULT_BASE_URI = "https://meerwaarde.nl/vocabulaire/"


def base_uri() -> str:
    base = getattr(settings, "VOCABULARY_BASE_URI", DEFAULT_BASE_URI)
    return base if base.endswith("/") else base + "/"


def namespaces() -> dict[str, str]:
    base = base_uri()
    return {
        "skos": str(SKOS),
        "dcterms": str(DCTERMS),
        "owl": str(OWL),
        "xsd": str(XSD),
        "mw": f"{base}schema#",
        "begrip": f"{base}begrip/",
    }


def scheme_uri(code: str) -> URIRef:
    return URIRef(f"{base_uri()}{code}")


def concept_uri(code: str) -> URIRef:
    return URIRef(f"{base_uri()}begrip/{code}")


def export_graph(*, include_drafts: bool = False) -> Graph:
    """All schemes and their concepts; drafts only when asked (they are not published).

    Deprecated concepts stay in, marked ``owl:deprecated`` with ``dcterms:isReplacedBy``, so
    that data using an old code can still be resolved.
    """
    mw = Namespace(namespaces()["mw"])
    graph = Graph()
    for prefix, uri in namespaces().items():
        graph.bind(prefix, Namespace(uri))

    for scheme in ConceptScheme.objects.order_by("position"):
        node = scheme_uri(scheme.code)
        graph.add((node, RDF.type, SKOS.ConceptScheme))
        graph.add((node, SKOS.notation, Literal(scheme.code)))
        graph.add((node, SKOS.prefLabel, Literal(scheme.label_nl, lang="nl")))
        graph.add((node, SKOS.prefLabel, Literal(scheme.label_en, lang="en")))
        if scheme.definition:
            graph.add((node, SKOS.definition, Literal(scheme.definition, lang="nl")))

    concepts = Concept.objects.select_related("scheme", "broader", "replaced_by")
    if not include_drafts:
        concepts = concepts.exclude(status=ConceptStatus.DRAFT)
    published = {c.pk for c in concepts}
    for concept in concepts:
        node = concept_uri(concept.code)
        in_scheme = scheme_uri(concept.scheme.code)
        graph.add((node, RDF.type, SKOS.Concept))
        graph.add((node, SKOS.inScheme, in_scheme))
        graph.add((node, SKOS.notation, Literal(concept.code)))
        graph.add((node, SKOS.prefLabel, Literal(concept.pref_label_nl, lang="nl")))
        if concept.pref_label_en:
            graph.add((node, SKOS.prefLabel, Literal(concept.pref_label_en, lang="en")))
        for synonym in concept.synonyms:
            graph.add((node, SKOS.altLabel, Literal(synonym, lang="nl")))
        if concept.definition:
            graph.add((node, SKOS.definition, Literal(concept.definition, lang="nl")))
        if concept.definition_en:
            graph.add((node, SKOS.definition, Literal(concept.definition_en, lang="en")))
        if concept.broader is not None and concept.broader_id in published:
            broader = concept_uri(concept.broader.code)
            graph.add((node, SKOS.broader, broader))
            graph.add((broader, SKOS.narrower, node))
        else:
            graph.add((node, SKOS.topConceptOf, in_scheme))
            graph.add((in_scheme, SKOS.hasTopConcept, node))
        graph.add((node, mw.status, Literal(concept.status)))
        if concept.version:
            graph.add((node, OWL.versionInfo, Literal(concept.version)))
        if concept.status == ConceptStatus.DEPRECATED and concept.replaced_by is not None:
            graph.add((node, OWL.deprecated, Literal(True)))
            graph.add((node, DCTERMS.isReplacedBy, concept_uri(concept.replaced_by.code)))
    return graph


def export_turtle(**kwargs) -> str:
    return export_graph(**kwargs).serialize(format="turtle")


def export_jsonld(**kwargs) -> str:
    context = {**namespaces(), "@language": "nl"}
    return export_graph(**kwargs).serialize(format="json-ld", context=context, indent=2)
