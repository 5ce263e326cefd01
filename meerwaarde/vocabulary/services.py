"""Writes for the vocabulary: loading the seed, curating concepts, mapping local names."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from meerwaarde.accounts.models import User
from meerwaarde.organisations.models import Organisation
from meerwaarde.vocabulary.constants import ConceptStatus
from meerwaarde.vocabulary.models import Concept, ConceptScheme, LocalNameMapping
from meerwaarde.vocabulary.normalise import normalise

# Fields an editor may change; the code and the scheme are fixed once a concept exists, so
# that URIs and every offer or mapping that points at the concept stay valid.
EDITABLE_FIELDS = (
    "pref_label_nl",
    "pref_label_en",
    "synonyms",
    "definition",
    "definition_en",
    "broader",
    "status",
    "replaced_by",
    "version",
)


def clean_synonyms(values: list[str] | str, *, exclude: tuple[str, ...] = ()) -> list[str]:
    """Trimmed, without empties, duplicates (ignoring case and accents) or the labels themselves."""
    if isinstance(values, str):
        values = values.splitlines()
    seen = {normalise(label) for label in exclude}
    result = []
    for value in values:
        value = " ".join(str(value).split())
        key = normalise(value)
        if key and key not in seen:
            seen.add(key)
            result.append(value)
    return result


def _save_with_history(
    concept: Concept, *, user: User | None, reason: str, check_database_rules: bool = True
) -> Concept:
    """Validate, then save with who and why for the history.

    ``check_database_rules=False`` skips the query per unique field and per constraint; the
    loader uses it (codes are checked unique within the file, the database still enforces all).
    """
    concept.full_clean(
        validate_unique=check_database_rules, validate_constraints=check_database_rules
    )
    concept._history_user = user  # type: ignore[attr-defined]
    concept._change_reason = reason  # type: ignore[attr-defined]
    concept.save()
    return concept


@transaction.atomic
def concept_create(
    *,
    created_by: User | None,
    scheme: ConceptScheme,
    code: str,
    pref_label_nl: str,
    pref_label_en: str,
    definition: str,
    synonyms: list[str] | None = None,
    definition_en: str = "",
    broader: Concept | None = None,
    status: str = ConceptStatus.DRAFT,
    replaced_by: Concept | None = None,
    version: str = "",
    change_reason: str = "",
) -> Concept:
    concept = Concept(
        scheme=scheme,
        code=code.strip(),
        pref_label_nl=pref_label_nl.strip(),
        pref_label_en=pref_label_en.strip(),
        synonyms=clean_synonyms(synonyms or [], exclude=(pref_label_nl,)),
        definition=definition.strip(),
        definition_en=definition_en.strip(),
        broader=broader,
        status=status,
        replaced_by=replaced_by,
        version=version.strip(),
    )
    return _save_with_history(
        concept, user=created_by, reason=change_reason or _("Begrip aangemaakt")
    )


@transaction.atomic
def concept_update(
    *, concept: Concept, changed_by: User | None, change_reason: str, **fields: Any
) -> Concept:
    """Change a concept; the reason is required and lands in its history with the editor."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"concept_update() got unexpected fields {sorted(unknown)!r}")
    change_reason = (change_reason or "").strip()
    if not change_reason:
        raise ValidationError({"change_reason": _("Geef aan waarom dit begrip verandert.")})
    for key, value in fields.items():
        if isinstance(value, str):
            value = value.strip()
        setattr(concept, key, value)
    if "synonyms" in fields:
        concept.synonyms = clean_synonyms(concept.synonyms, exclude=(concept.pref_label_nl,))
    return _save_with_history(concept, user=changed_by, reason=change_reason)


@transaction.atomic
def concept_deprecate(
    *, concept: Concept, replaced_by: Concept, changed_by: User | None, change_reason: str = ""
) -> Concept:
    reason = change_reason or _("Vervallen; vervangen door %(code)s") % {"code": replaced_by.code}
    return concept_update(
        concept=concept,
        changed_by=changed_by,
        change_reason=reason,
        status=ConceptStatus.DEPRECATED,
        replaced_by=replaced_by,
    )


def _load_order(entries: list[dict]) -> list[dict]:
    """Entries ordered so that broader concepts and replacements come before those that use them."""
    by_code = {entry["code"]: entry for entry in entries}
    ordered: list[dict] = []
    state: dict[str, str] = {}

    def visit(code: str) -> None:
        if state.get(code) == "done":
            return
        if state.get(code) == "busy":
            raise ValidationError(
                _("Het vocabulaire bevat een kring bij begrip %(code)s.") % {"code": code}
            )
        state[code] = "busy"
        entry = by_code[code]
        for ref in (entry.get("broader"), entry.get("replaced_by")):
            if ref and ref in by_code:
                visit(ref)
        state[code] = "done"
        ordered.append(entry)

    for code in by_code:
        visit(code)
    return ordered


@transaction.atomic
def vocabulary_load(*, data: dict) -> dict[str, int]:
    """Create or update schemes and concepts from the seed format; safe to run again.

    A concept is saved (and gets a history record and the file's version) only when something
    in the file differs from the database, so re-loading an unchanged file writes nothing.
    Concepts that are no longer in the file are left alone: deprecating is an editor's decision.
    """
    version = str(data.get("version", ""))
    counts = dict.fromkeys(
        ("schemes_created", "schemes_updated", "created", "updated", "unchanged"), 0
    )
    reason = _("Geladen uit het bronbestand (versie %(version)s)") % {"version": version}
    seen_codes: set[str] = set()
    for position, scheme_data in enumerate(data.get("schemes", []), start=1):
        scheme, created = ConceptScheme.objects.get_or_create(
            code=scheme_data["code"],
            defaults={"label_nl": scheme_data["label_nl"], "label_en": scheme_data["label_en"]},
        )
        scheme_values = {
            "label_nl": scheme_data["label_nl"],
            "label_en": scheme_data["label_en"],
            "definition": scheme_data.get("definition", ""),
            "position": position,
        }
        if created:
            counts["schemes_created"] += 1
        if any(getattr(scheme, k) != v for k, v in scheme_values.items()):
            for key, value in scheme_values.items():
                setattr(scheme, key, value)
            scheme.full_clean()
            scheme.save()
            counts["schemes_updated"] += 0 if created else 1

        entries = scheme_data.get("concepts", [])
        for entry in entries:
            if entry["code"] in seen_codes:
                raise ValidationError(
                    _("Code %(code)s komt twee keer voor.") % {"code": entry["code"]}
                )
            seen_codes.add(entry["code"])
        existing = {
            c.code: c for c in Concept.objects.filter(code__in=[e["code"] for e in entries])
        }
        for entry in _load_order(entries):
            counts[
                _load_concept(
                    entry, scheme=scheme, existing=existing, version=version, reason=reason
                )
            ] += 1
    return counts


def _concept_ref(code: str | None, existing: dict[str, Concept]) -> Concept | None:
    if not code:
        return None
    concept = existing.get(code) or Concept.objects.filter(code=code).first()
    if concept is None:
        raise ValidationError(
            _("Begrip %(code)s verwijst naar een onbekend begrip.") % {"code": code}
        )
    return concept


def _load_concept(
    entry: dict, *, scheme: ConceptScheme, existing: dict[str, Concept], version: str, reason: str
) -> str:
    values = {
        "scheme": scheme,
        "pref_label_nl": entry["label_nl"],
        "pref_label_en": entry.get("label_en", ""),
        "synonyms": clean_synonyms(entry.get("synonyms", []), exclude=(entry["label_nl"],)),
        "definition": entry.get("definition", ""),
        "definition_en": entry.get("definition_en", ""),
        "broader": _concept_ref(entry.get("broader"), existing),
        "status": entry.get("status", ConceptStatus.ACCEPTED),
        "replaced_by": _concept_ref(entry.get("replaced_by"), existing),
    }
    concept = existing.get(entry["code"])
    outcome = "updated"
    if concept is None:
        concept, outcome = Concept(code=entry["code"]), "created"
    elif all(getattr(concept, key) == value for key, value in values.items()):
        return "unchanged"
    for key, value in values.items():
        setattr(concept, key, value)
    concept.version = version
    try:
        _save_with_history(concept, user=None, reason=reason, check_database_rules=False)
    except ValidationError as error:
        raise ValidationError(
            _("Begrip %(code)s: %(errors)s")
            % {"code": entry["code"], "errors": "; ".join(error.messages)}
        ) from error
    existing[concept.code] = concept
    return outcome


@transaction.atomic
def mapping_save(
    *, organisation: Organisation, local_name: str, concept: Concept, created_by: User | None
) -> LocalNameMapping:
    """Link a local name to a concept; the same name (ignoring case, accents) updates the link."""
    local_name = " ".join((local_name or "").split())
    normalised = normalise(local_name)
    if not normalised:
        raise ValidationError({"local_name": _("Vul een lokale naam in.")})
    if len(local_name) > 200:
        raise ValidationError({"local_name": _("Een lokale naam is hooguit 200 tekens.")})
    if concept.status != ConceptStatus.ACCEPTED:
        raise ValidationError({"concept": _("Koppel alleen aan een vastgesteld begrip.")})
    mapping, _created = LocalNameMapping.objects.update_or_create(
        organisation=organisation,
        normalised_name=normalised,
        defaults={"local_name": local_name, "concept": concept, "created_by": created_by},
    )
    return mapping


@transaction.atomic
def mapping_delete(*, mapping: LocalNameMapping) -> None:
    mapping.delete()
