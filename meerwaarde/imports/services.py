"""What the import remembers per organisation: column mappings and local names.

The guided flow suggests a file's mapping with ``column_map_suggest`` and, once the user
confirmed it, keeps it with ``column_mappings_remember`` for the next file.
"""

from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from meerwaarde.accounts.models import User
from meerwaarde.offers.models import Offer
from meerwaarde.organisations.models import Organisation
from meerwaarde.vocabulary.constants import ConceptStatus
from meerwaarde.vocabulary.models import Concept

from .fields import ImportKind, fields_for
from .models import OFFERS_SCHEME, ColumnMapping, ConceptMapping, normalise_name


def column_map_suggest(
    *, organisation: Organisation, kind: str, columns: Iterable[str]
) -> dict[str, str]:
    """{column: field} for the columns the organisation mapped before, or that carry a
    field's name (an export's own columns), ignoring case. Unknown columns are left out."""
    remembered = dict(
        ColumnMapping.objects.filter(organisation=organisation, kind=kind).values_list(
            "source_column", "field"
        )
    )
    names = {name.casefold(): name for name in fields_for(kind)}
    suggestion: dict[str, str] = {}
    for column in columns:
        field = remembered.get(column) or names.get(column.strip().casefold())
        if field is not None and field not in suggestion.values():
            suggestion[column] = field
    return suggestion


@transaction.atomic
def column_mappings_remember(
    *,
    organisation: Organisation,
    kind: str,
    column_map: Mapping[str, str],
    created_by: User | None,
) -> int:
    """Keep the confirmed mapping for the next file; a column mapped again is updated.
    Columns that are their field's own name are not stored: they map themselves."""
    if kind not in ImportKind.values:
        raise ValueError(f"unknown import kind {kind!r}")
    kept = 0
    for column, field in column_map.items():
        if not column.strip() or not field or column.strip().casefold() == field.casefold():
            continue
        ColumnMapping.objects.update_or_create(
            organisation=organisation,
            kind=kind,
            source_column=column[:200],
            defaults={"field": field, "created_by": created_by},
        )
        kept += 1
    return kept


@transaction.atomic
def concept_mapping_save(
    *,
    organisation: Organisation,
    scheme: str,
    local_name: str,
    concept: Concept | None = None,
    offer: Offer | None = None,
    created_by: User | None,
) -> ConceptMapping:
    """Link a local name to a concept of ``scheme``, or (scheme ``offers``) to an offer of
    the organisation; the same name again changes the link."""
    local_name = " ".join((local_name or "").split())
    if not local_name:
        raise ValidationError({"local_name": _("Vul een eigen naam in.")})
    if scheme == OFFERS_SCHEME:
        if offer is None or offer.organisation_id != organisation.pk:
            raise ValidationError({"offer": _("Kies een aanbod van uw eigen organisatie.")})
        concept = None
    else:
        if concept is None or concept.scheme.code != scheme:
            raise ValidationError({"concept": _("Kies een begrip uit deze lijst.")})
        if concept.status != ConceptStatus.ACCEPTED:
            raise ValidationError({"concept": _("Koppel alleen aan een vastgesteld begrip.")})
        offer = None
    mapping, _created = ConceptMapping.objects.update_or_create(
        organisation=organisation,
        scheme=scheme,
        normalised_name=normalise_name(local_name),
        defaults={
            "local_name": local_name,
            "concept": concept,
            "offer": offer,
            "created_by": created_by,
        },
    )
    return mapping
