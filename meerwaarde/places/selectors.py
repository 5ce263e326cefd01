from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from meerwaarde.places.models import Place
from meerwaarde.places.services import normalise_place_name


def place_search(*, query: str, limit: int = 10) -> QuerySet[Place]:
    """Places whose name starts with ``query`` first, then those containing it; big before small.

    Uses the indexed ``search_name`` so "den haag", "'s-Hertogenbosch" and "Sint-Michielsgestel"
    are found however they are typed.
    """
    term = normalise_place_name(query)
    if not term:
        return Place.objects.none()
    return (
        Place.objects.filter(Q(search_name__contains=term) | Q(aliases__contains=term))
        .annotate(
            rank=Case(
                When(search_name__startswith=term, then=Value(0)),
                When(search_name__contains=term, then=Value(1)),
                When(aliases__startswith=term, then=Value(2)),
                When(aliases__contains=f"|{term}", then=Value(2)),
                default=Value(3),
                output_field=IntegerField(),
            )
        )
        .order_by("rank", "-population", "name")[:limit]
    )


def place_get_by_label(*, label: str) -> Place | None:
    """The one place a user meant by "Hengelo (Overijssel)" or an unambiguous "Assen"."""
    label = label.strip()
    candidates = list(Place.objects.filter(search_name=normalise_place_name(label)))
    if not candidates and label.endswith(")") and " (" in label:
        name, _, province = label[:-1].rpartition(" (")
        candidates = [
            p
            for p in Place.objects.filter(search_name=normalise_place_name(name))
            if p.get_province_display().lower() == province.strip().lower()
        ]
    return candidates[0] if len(candidates) == 1 else None


def place_is_ambiguous(*, label: str) -> bool:
    return Place.objects.filter(search_name=normalise_place_name(label)).count() > 1
