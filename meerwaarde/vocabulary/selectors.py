"""Reads of the vocabulary (public) and of local-name mappings (tenant-scoped)."""

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import get_language

from meerwaarde.organisations.models import Organisation
from meerwaarde.vocabulary.constants import ConceptStatus
from meerwaarde.vocabulary.models import Concept, ConceptScheme, LocalNameMapping
from meerwaarde.vocabulary.normalise import normalise


def _label(scheme: ConceptScheme) -> str:
    return scheme.label_en if (get_language() or "nl").startswith("en") else scheme.label_nl


def scheme_list() -> QuerySet[ConceptScheme]:
    """Schemes in their order, each with counts per status (one query)."""
    return ConceptScheme.objects.annotate(
        concept_count=Count("concepts", filter=~Q(concepts__status=ConceptStatus.DEPRECATED)),
        accepted_count=Count("concepts", filter=Q(concepts__status=ConceptStatus.ACCEPTED)),
        draft_count=Count("concepts", filter=Q(concepts__status=ConceptStatus.DRAFT)),
        deprecated_count=Count("concepts", filter=Q(concepts__status=ConceptStatus.DEPRECATED)),
    ).order_by("position", "code")


def concept_counts_by_scheme() -> list[dict]:
    """For the editors' dashboard: per scheme the living concepts (accepted + draft) and drafts."""
    return [
        {
            "code": scheme.code,
            "label": _label(scheme),
            "concept_count": scheme.concept_count,  # type: ignore[attr-defined]
            "accepted_count": scheme.accepted_count,  # type: ignore[attr-defined]
            "draft_count": scheme.draft_count,  # type: ignore[attr-defined]
            "deprecated_count": scheme.deprecated_count,  # type: ignore[attr-defined]
        }
        for scheme in scheme_list()
    ]


def scheme_get(*, code: str) -> ConceptScheme:
    scheme = ConceptScheme.objects.filter(code=code).first()
    if scheme is None:
        raise Http404
    return scheme


def concept_list(
    *,
    scheme: ConceptScheme | None = None,
    query: str = "",
    status: str | list[str] | None = None,
) -> QuerySet[Concept]:
    """Concepts (of one scheme, if given) with every word of ``query`` in code, labels or synonyms.

    Searches the normalised ``search_text`` column, so it ignores case and accents the same way
    on SQLite and PostgreSQL.
    """
    concepts = Concept.objects.select_related("scheme", "broader", "replaced_by")
    if scheme is not None:
        concepts = concepts.filter(scheme=scheme)
    if isinstance(status, str):
        concepts = concepts.filter(status=status)
    elif status is not None:
        concepts = concepts.filter(status__in=status)
    for word in normalise(query).split():
        concepts = concepts.filter(search_text__contains=word)
    return concepts.order_by("scheme__position", "pref_label_nl")


def concept_get(*, code: str) -> Concept:
    concept = (
        Concept.objects.select_related("scheme", "broader", "replaced_by", "replaced_by__scheme")
        .filter(code=code)
        .first()
    )
    if concept is None:
        raise Http404
    return concept


def concept_tree(*, concepts: list[Concept]) -> list[tuple[Concept, int]]:
    """Concepts in hierarchy order with their depth; a concept whose broader is not in the list
    is shown at the top level."""
    present = {c.pk for c in concepts}
    children: dict[int | None, list[Concept]] = {}
    for concept in concepts:
        parent = concept.broader_id if concept.broader_id in present else None
        children.setdefault(parent, []).append(concept)
    ordered: list[tuple[Concept, int]] = []

    def walk(parent: int | None, depth: int) -> None:
        for concept in children.get(parent, []):
            ordered.append((concept, depth))
            walk(concept.pk, depth + 1)

    walk(None, 0)
    return ordered


def mapping_list(*, organisation: Organisation) -> QuerySet[LocalNameMapping]:
    return (
        LocalNameMapping.objects.filter(organisation=organisation)
        .select_related("concept", "concept__scheme", "created_by")
        .order_by("local_name")
    )


def mapping_get(*, organisation: Organisation, pk: int) -> LocalNameMapping:
    """One of the organisation's mappings; another organisation's mapping is a 404."""
    mapping = mapping_list(organisation=organisation).filter(pk=pk).first()
    if mapping is None:
        raise Http404
    return mapping


def mapping_count(*, organisation: Organisation) -> int:
    return LocalNameMapping.objects.filter(organisation=organisation).count()
