"""The organisation export: every table, only the organisation's rows, no formula ever run,
numbers as numbers, every column described."""

import datetime
import shutil

import pytest

from meerwaarde.exports.services import export_organisation
from meerwaarde.exports.tables import TABLES
from meerwaarde.exports.writers import COLUMNS_FILE, COLUMNS_SHEET
from meerwaarde.participants.constants import AuditAction
from meerwaarde.participants.models import AuditEvent

from .helpers import HYPERLINK, PHONE, as_dicts, read_xlsx, read_zip

pytestmark = pytest.mark.django_db


@pytest.fixture
def export(request):
    """``export(organisation, fmt)``: the file, removed with its folder after the test."""
    made = []

    def run(organisation, fmt, **kwargs):
        path = export_organisation(organisation=organisation, fmt=fmt, **kwargs)
        made.append(path)
        return path

    yield run
    for path in made:
        shutil.rmtree(path.parent, ignore_errors=True)


def test_it_writes_every_table_with_its_header_as_csv(filled_a, org_a, export):
    files = read_zip(export(org_a, "csv"))
    assert set(files) == {table.filename for table in TABLES} | {COLUMNS_FILE}
    for table in TABLES:
        assert files[table.filename][0] == table.header
        assert len(files[table.filename]) > 1, f"{table.name} has no rows"


def test_it_writes_every_table_with_its_header_as_xlsx(filled_a, org_a, export):
    sheets = read_xlsx(export(org_a, "xlsx"))
    assert list(sheets) == [COLUMNS_SHEET, *(table.name for table in TABLES)]
    for table in TABLES:
        assert [cell.value for cell in sheets[table.name][0]] == table.header
        assert len(sheets[table.name]) > 1, f"{table.name} has no rows"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_it_holds_none_of_another_organisations_rows(filled_a, filled_b, org_a, export, fmt):
    path = export(org_a, fmt)
    if fmt == "csv":
        cells = [cell for rows in read_zip(path).values() for row in rows for cell in row]
    else:
        sheets = read_xlsx(path)
        cells = [str(c.value) for rows in sheets.values() for row in rows for c in row]
    text = "\n".join(cells)
    assert "alfa" in text and filled_a["participant"].pseudonym in text
    assert "beta" not in text
    assert filled_b["participant"].pseudonym not in text


def test_it_refers_between_files_by_export_ids_and_concept_codes(filled_a, org_a, export):
    files = read_zip(export(org_a, "csv"))
    [trajectory] = as_dicts(files["trajecten.csv"])
    assert trajectory["pseudoniem"] == filled_a["participant"].pseudonym
    assert trajectory["aanbod_id"] == str(filled_a["offer"].pk)
    assert trajectory["verwezen_door"] == "verwijzer-alfa"
    assert as_dicts(files["aanbod.csv"])[0]["themas"] == "thema-alfa"
    measurements = as_dicts(files["metingen.csv"])
    assert [(m["versie"], m["huidig"], m["vervangt_meting_id"]) for m in measurements] == [
        ("1", "nee", ""),
        ("2", "ja", str(filled_a["intake"].pk)),
        ("1", "ja", ""),
    ]
    assert measurements[2]["instrument_code"] == "gas"


def test_it_names_a_gas_answers_goal_by_its_number_in_the_trajectory(filled_a, org_a, export):
    files = read_zip(export(org_a, "csv"))
    gas = str(filled_a["gas"].pk)
    answers = [a for a in as_dicts(files["meting_antwoorden.csv"]) if a["meting_id"] == gas]
    assert answers == [{"meting_id": gas, "vraag": "", "doel": "1", "antwoord": "1"}]
    own = [a for a in as_dicts(files["meting_antwoorden.csv"]) if a["meting_id"] != gas]
    assert {(a["vraag"], a["antwoord"]) for a in own} >= {("v1", "2"), ("v2", "4")}


def test_it_prefixes_formulas_in_csv(filled_a, org_a, export):
    offer = filled_a["offer"]
    offer.name = HYPERLINK
    offer.save()
    [row] = as_dicts(read_zip(export(org_a, "csv"))["aanbod.csv"])
    assert row["aanbod_naam"] == "'" + HYPERLINK
    assert row["telefoon"] == "'" + PHONE


def test_it_prefixes_formulas_in_xlsx_and_never_writes_a_formula(filled_a, org_a, export):
    offer = filled_a["offer"]
    offer.name = HYPERLINK
    offer.save()
    sheets = read_xlsx(export(org_a, "xlsx"))
    header, row = sheets["aanbod"]
    cells = {h.value: cell for h, cell in zip(header, row, strict=True)}
    assert cells["aanbod_naam"].value == "'" + HYPERLINK
    assert cells["telefoon"].value == "'" + PHONE
    assert not [c for rows in sheets.values() for r in rows for c in r if c.data_type == "f"]


def test_it_writes_decimal_commas_and_iso_dates_in_csv(filled_a, org_a, export):
    files = read_zip(export(org_a, "csv"))
    [activity] = as_dicts(files["activiteiten.csv"])
    assert activity["uren_vrijwilligers"] == "8,5"
    assert activity["maand"] == "2025-01-01"
    [target] = as_dicts(files["stap_doelen.csv"])
    assert target["doel"] == "120,50"
    [goal] = as_dicts(files["doelen.csv"])
    assert goal["gewicht"] == "2,50"


def test_it_keeps_numbers_and_dates_as_such_in_xlsx(filled_a, org_a, export):
    sheets = read_xlsx(export(org_a, "xlsx"))
    header, row = sheets["activiteiten"]
    cells = {h.value: cell.value for h, cell in zip(header, row, strict=True)}
    assert cells["uren_vrijwilligers"] == 8.5
    assert cells["deelnemers_bereikt"] == 20
    assert cells["aanbod_id"] == filled_a["offer"].pk
    assert cells["maand"] == datetime.datetime(2025, 1, 1)
    header, row = sheets["deelnemers"]
    postcode_and_pseudonym = {h.value: c for h, c in zip(header, row, strict=True)}
    assert postcode_and_pseudonym["pseudoniem"].data_type == "s"


def test_no_column_reads_as_a_persons_name_or_a_bsn():
    # The import refuses a column called "naam" alone, or one with a BSN in its header.
    for table in TABLES:
        for name in table.header:
            assert name not in ("naam", "name", "namen"), (table.name, name)
            assert "bsn" not in name and "burgerservice" not in name, (table.name, name)


def test_kolommen_describes_every_column_of_every_file(filled_a, org_a, export):
    files = read_zip(export(org_a, "csv"))
    described = {(r["bestand"], r["kolom"]): r for r in as_dicts(files[COLUMNS_FILE])}
    for name, rows in files.items():
        if name == COLUMNS_FILE:
            continue
        assert described[(name, "")]["omschrijving"], name
        for column in rows[0]:
            assert described[(name, column)]["omschrijving"], (name, column)
            assert described[(name, column)]["soort"], (name, column)
    assert "free (Gratis)" in described[("aanbod.csv", "kosten")]["omschrijving"]


def test_the_toelichting_sheet_describes_every_column_of_every_sheet(filled_a, org_a, export):
    sheets = read_xlsx(export(org_a, "xlsx"))
    explained = {(r[0].value, r[1].value) for r in sheets[COLUMNS_SHEET][1:] if r[3].value}
    for table in TABLES:
        for cell in sheets[table.name][0]:
            assert (table.name, cell.value) in explained


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_it_reports_progress_up_to_the_total(filled_a, org_a, export, fmt):
    calls = []
    export(org_a, fmt, progress=lambda done, total: calls.append((done, total)))
    totals = {total for _done, total in calls}
    assert len(totals) == 1
    done = [d for d, _total in calls]
    assert done == sorted(done) and done[0] == 0 and done[-1] == totals.pop()


def test_a_cancelled_export_leaves_no_file_and_no_audit_line(filled_a, org_a, monkeypatch):
    made = []
    real_mkdtemp = __import__("tempfile").mkdtemp

    def mkdtemp(**kwargs):
        made.append(real_mkdtemp(**kwargs))
        return made[-1]

    monkeypatch.setattr("meerwaarde.exports.services.tempfile.mkdtemp", mkdtemp)

    class Cancelled(Exception):
        pass

    def progress(done, total):
        if done:
            raise Cancelled

    with pytest.raises(Cancelled):
        export_organisation(organisation=org_a, fmt="csv", progress=progress)
    assert made and not __import__("os").path.exists(made[0])
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


def test_it_records_the_export_in_the_audit_log(filled_a, org_a, alice, export):
    export(org_a, "csv", user=alice)
    event = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert (event.organisation, event.user, event.object_id) == (org_a, alice, None)


def test_it_refuses_an_unknown_format(org_a):
    with pytest.raises(ValueError):
        export_organisation(organisation=org_a, fmt="pdf")  # type: ignore[arg-type]


@pytest.mark.django_db(transaction=True)
def test_it_reads_in_its_own_transaction_outside_one(org_a, export):
    # PostgreSQL takes the REPEATABLE READ path here; SQLite reads table by table.
    from meerwaarde.offers.tests.factories import OfferFactory

    OfferFactory(organisation=org_a, name="Buiten een transactie")
    files = read_zip(export(org_a, "csv"))
    assert as_dicts(files["aanbod.csv"])[0]["aanbod_naam"] == "Buiten een transactie"
