"""A concept's history as rows a reader understands: when, who, why and what changed."""

from django.utils.text import capfirst
from django.utils.translation import gettext as _

from meerwaarde.vocabulary.constants import ConceptStatus
from meerwaarde.vocabulary.models import Concept

_IGNORED = ["created_at", "updated_at"]
_RELATIONS = {"broader", "replaced_by"}


def _display(field: str, value, codes: dict[int, str]) -> str:
    if value in (None, "", []):
        return "—"
    if field in _RELATIONS:
        return codes.get(value, str(value))
    if field == "status":
        return str(ConceptStatus(value).label) if value in ConceptStatus.values else value
    if isinstance(value, list):
        return "; ".join(map(str, value))
    return str(value)


def history_rows(*, concept: Concept) -> list[dict]:
    """Newest first. Costs one query for the records and one for the codes they mention."""
    records = list(
        concept.history.select_related("history_user").order_by("-history_date", "-history_id")
    )
    related_ids = {
        getattr(r, f"{field}_id") for r in records for field in ("broader", "replaced_by")
    } - {None}
    codes = dict(Concept.objects.filter(pk__in=related_ids).values_list("pk", "code"))
    rows = []
    for newer, older in zip(records, [*records[1:], None], strict=True):
        if older is None:
            changes = []
        else:
            delta = newer.diff_against(older, excluded_fields=_IGNORED)
            changes = [
                {
                    "field": capfirst(Concept._meta.get_field(change.field).verbose_name),
                    "old": _display(change.field, change.old, codes),
                    "new": _display(change.field, change.new, codes),
                }
                for change in delta.changes
            ]
        rows.append(
            {
                "when": newer.history_date,
                "who": newer.history_user,
                "reason": newer.history_change_reason or "",
                "kind": {"+": _("Aangemaakt"), "~": _("Gewijzigd"), "-": _("Verwijderd")}.get(
                    newer.history_type, newer.history_type
                ),
                "changes": changes,
            }
        )
    return rows
