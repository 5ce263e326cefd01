"""What the guided import's pages read from an uploaded file: the answer columns a
measurement file may carry, the local names it uses that are not known yet, its first rows
as they will be read, and the dry run of the preview (on the first ``PREVIEW_ROWS``).
"""

import csv
import io
from collections.abc import Generator, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import OperationalError
from rapidfuzz import fuzz, process

from meerwaarde.accounts.models import User
from meerwaarde.activities.constants import REFERRAL_SCHEME, THEME_SCHEME
from meerwaarde.instruments.models import Instrument
from meerwaarde.measurements.answers import expected_keys
from meerwaarde.offers.models import Offer
from meerwaarde.organisations.models import Organisation
from meerwaarde.vocabulary.constants import ConceptStatus
from meerwaarde.vocabulary.models import Concept
from meerwaarde.vocabulary.suggest import suggest_concepts

from .engine import ImportResult, import_table
from .fields import CLIENT_REFERENCE, ImportKind, fields_for, parse_codes
from .importers.base import OfferNames
from .models import OFFERS_SCHEME, ConceptMapping, ImportUpload, normalise_name
from .reading import SourceRow, Table
from .uploads import upload_table
from .values import ValueProblem

# The dry run of the preview reads this many rows in the request; the import reads all, and
# so does the full check a larger file offers (``upload_tasks.import_check_task``, a job).
PREVIEW_ROWS = 5000
FIRST_ROWS = 10
# Local names are looked for in this many rows, and at most this many per list are asked.
SCAN_ROWS = 50_000
NAMES_PER_LIST = 30

# Which fields of which kind hold local names, and the list (scheme) they map into.
NAME_FIELDS: dict[str, dict[str, str]] = {
    ImportKind.OFFERS: {
        "soort_interventie": "intervention_types",
        "themas": "themes",
        "doelgroepen": "target_groups",
    },
    ImportKind.MEASUREMENTS: {"aanbod_naam": OFFERS_SCHEME},
    ImportKind.ACTIVITIES: {"aanbod_naam": OFFERS_SCHEME},
    ImportKind.REFERRALS: {"aanbod_naam": OFFERS_SCHEME, "verwijzer": REFERRAL_SCHEME},
    ImportKind.SIGNALS: {"aanbod_naam": OFFERS_SCHEME, "thema": THEME_SCHEME},
}
LIST_FIELDS = {"themas", "doelgroepen"}


def answer_codes(organisation: Organisation) -> dict[str, str]:
    """The item codes of the instruments the organisation may use, by their folded form,
    so a column "E1" maps to the item ``e1``."""
    codes: dict[str, str] = {}
    usable = Instrument.objects.filter(organisation__isnull=True) | Instrument.objects.filter(
        organisation=organisation
    )
    for instrument in usable:
        for code in expected_keys(instrument.parsed, []):
            codes.setdefault(code.casefold(), code)
    return codes


class FirstRows(Table):
    """The first ``limit`` rows of ``table``; ``cut`` says whether more were left unread."""

    def __init__(self, table: Table, limit: int) -> None:
        self.table, self.limit, self.cut = table, limit, False
        self.columns = table.columns
        self.size_hint = min(table.size_hint or limit, limit)

    def rows(self) -> Generator[SourceRow, None, None]:
        rows = self.table.rows()
        try:
            for count, row in enumerate(rows):
                if count >= self.limit:
                    self.cut = True
                    return
                yield row
        finally:
            rows.close()

    def close(self) -> None:
        self.table.close()


# Local names ----------------------------------------------------------------------------


@dataclass
class UnknownName:
    scheme: str
    name: str
    rows: int = 0  # rows that use it, within the rows scanned
    suggestions: list[tuple[str, str]] = field(default_factory=list)  # (value, label)


def _known_concepts(organisation: Organisation, schemes: set[str]) -> set[tuple[str, str]]:
    known: set[tuple[str, str]] = set()
    for code, label, scheme in Concept.objects.filter(
        scheme__code__in=schemes, status=ConceptStatus.ACCEPTED
    ).values_list("code", "pref_label_nl", "scheme__code"):
        known.add((scheme, normalise_name(code)))
        known.add((scheme, normalise_name(label)))
    for scheme, name in ConceptMapping.objects.filter(
        organisation=organisation, scheme__in=schemes, concept__isnull=False
    ).values_list("scheme", "normalised_name"):
        known.add((scheme, name))
    return known


def unknown_names(upload: ImportUpload) -> tuple[list[UnknownName], bool]:
    """The local names in the mapped name columns that the import would not recognise,
    per list in order of first use, and whether the scan stopped before the file's end."""
    name_fields = NAME_FIELDS[upload.kind]
    columns = {col: f for col, f in upload.column_map.items() if f in name_fields}
    if not columns:
        return [], False
    schemes = set(name_fields.values())
    offers = OfferNames(upload.organisation) if OFFERS_SCHEME in schemes else None
    known = _known_concepts(upload.organisation, schemes - {OFFERS_SCHEME})
    found: dict[tuple[str, str], UnknownName] = {}
    with upload_table(upload) as table:
        limited = FirstRows(table, SCAN_ROWS)
        for row in limited.rows():
            for column, field_name in columns.items():
                text = row.values.get(column, "")
                names = parse_codes(text) if field_name in LIST_FIELDS else [text]
                scheme = name_fields[field_name]
                for raw in names:
                    name = " ".join(raw.split())
                    key = (scheme, normalise_name(name))
                    if not name:
                        continue
                    if key in found:
                        found[key].rows += 1
                        continue
                    is_known = (
                        offers.get(name) is not None
                        if scheme == OFFERS_SCHEME and offers is not None
                        else key in known
                    )
                    if not is_known:
                        found[key] = UnknownName(scheme, name, rows=1)
    per_scheme: dict[str, int] = {}
    result = []
    for item in found.values():
        per_scheme[item.scheme] = per_scheme.get(item.scheme, 0) + 1
        if per_scheme[item.scheme] <= NAMES_PER_LIST:
            result.append(item)
    return result, limited.cut


def name_choices(organisation: Organisation, scheme: str) -> list[tuple[str, str]]:
    """What a local name of ``scheme`` can be linked to: (value, label)."""
    if scheme == OFFERS_SCHEME:
        offers = Offer.objects.filter(organisation=organisation).order_by("name")
        return [(str(pk), name) for pk, name in offers.values_list("pk", "name")]
    concepts = Concept.objects.filter(scheme__code=scheme, status=ConceptStatus.ACCEPTED)
    return [(str(pk), label) for pk, label in concepts.values_list("pk", "pref_label_nl")]


def name_suggestions(
    organisation: Organisation, item: UnknownName, choices: list[tuple[str, str]]
) -> list[tuple[str, str]]:
    """Up to three likely targets: the vocabulary's own suggestions (ADR 0004) for a
    concept, the nearest offer names for an offer."""
    if item.scheme == OFFERS_SCHEME:
        labels = {value: label for value, label in choices}
        matches = process.extract(
            item.name, labels, scorer=fuzz.WRatio, processor=str.casefold, limit=3
        )
        return [(value, label) for label, score, value in matches if score >= 50]
    suggestions = suggest_concepts(
        local_name=item.name, organisation=organisation, scheme=item.scheme, limit=3
    )
    return [(str(s.concept.pk), f"{s.concept.pref_label_nl} ({s.quality})") for s in suggestions]


# Preview --------------------------------------------------------------------------------


@dataclass
class Preview:
    result: ImportResult | None
    cut: bool  # the dry run stopped at PREVIEW_ROWS
    headings: list[str]
    rows: list[tuple[int, list[str]]]
    busy: bool = False  # the database was held by another import


def _shown(name: str, spec: Any, text: str) -> str:
    if name == CLIENT_REFERENCE:
        return "•••" if text.strip() else ""
    if spec is None or not text.strip():
        return text.strip()
    try:
        value = spec.parser(text)
    except ValueProblem:
        return text.strip()
    if hasattr(value, "strftime"):
        return value.strftime("%d-%m-%Y")
    if isinstance(value, list):
        return ", ".join(value)
    return str(value).replace(".", ",") if not isinstance(value, str) else value


def preview(upload: ImportUpload, *, user: User) -> Preview:
    """The first rows by field, and the dry run of the import on the first PREVIEW_ROWS.
    Raises ``FileProblem`` for a file that cannot be read."""
    specs = fields_for(upload.kind)
    mapping: Mapping[str, str] = upload.column_map
    ordered = [(col, f) for col, f in mapping.items() if f in specs]
    ordered.sort(key=lambda pair: list(specs).index(pair[1]))
    ordered += [(col, f) for col, f in mapping.items() if f not in specs]
    headings = [str(specs[f].label) if f in specs else f for _col, f in ordered]
    with upload_table(upload) as table:
        first: list[tuple[int, list[str]]] = []
        for row in FirstRows(table, FIRST_ROWS).rows():
            first.append(
                (
                    row.number,
                    [_shown(f, specs.get(f), row.values.get(col, "")) for col, f in ordered],
                )
            )
        limited = FirstRows(table, PREVIEW_ROWS)
        try:
            result = import_table(
                organisation=upload.organisation,
                kind=upload.kind,
                table=limited,
                column_map=mapping,
                on_error="all_or_nothing",
                dry_run=True,
                user=user,
            )
        except OperationalError:
            # SQLite while an import job holds the database for its whole run.
            return Preview(None, False, headings, first, busy=True)
    return Preview(result, limited.cut, headings, first)


def template_csv(kind: str) -> bytes:
    """The header of a file of ``kind``, as Dutch Excel opens it (BOM, semicolons)."""
    names = list(fields_for(kind))
    if kind == ImportKind.MEASUREMENTS:
        names += ["e1", "s1", "e2", "s2", "s3", "e3"]  # the answers of De Jong Gierveld 6
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerow(names)
    return ("\ufeff" + out.getvalue()).encode("utf-8")
