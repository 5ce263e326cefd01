"""The acceptance of reports (issue 5): the PDF, the workbook and the CSV files hold the
dashboard's figures for the same selection, of the figures as they may leave the organisation;
the PDF is tagged and reads in the order of the document."""

import pytest
from pypdf.generic import NameObject

from meerwaarde.analysis.selectors import Selection
from meerwaarde.programmes.tests.factories import (
    ManualValueFactory,
    NodeTargetFactory,
    ProgrammeFactory,
    ResultNodeFactory,
)
from meerwaarde.reports.constants import ReportStatus
from meerwaarde.reports.exports import csv_cell
from meerwaarde.reports.rendering import report_render

from .helpers import (
    csv_files,
    csv_rows,
    dashboard_tables,
    dutch_number,
    in_order,
    new_report,
    pdf_reader,
    pdf_text,
    stories,
    workbook,
)

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("https://example.org/","klik")'


@pytest.fixture
def rendered(filled, org_a, municipality):
    year = filled["end"].year
    programme = ProgrammeFactory(
        organisation=org_a, name="Samen tegen eenzaamheid", start_year=year - 1, end_year=year + 2
    )
    step = ResultNodeFactory(programme=programme, title="Huisbezoeken bij ouderen")
    NodeTargetFactory(node=step, year=year, value=120)
    ManualValueFactory(node=step, year=year, value=95)
    report = new_report(
        org_a,
        municipality,
        filled["start"],
        filled["end"],
        title="Verantwoording Alfa voor Gamma",
        stories=stories(
            ("Samen koken in de buurtkamer", "Wat werkte: vaste dag, vaste vrijwilliger."),
            ("Een formule als titel", HYPERLINK),
        ),
    )
    report_render(report_id=report.pk)
    report.refresh_from_db()
    assert report.status == ReportStatus.READY, report.error
    selection = Selection(organisation=org_a, start=filled["start"], end=filled["end"])
    return report, dashboard_tables(selection)


def test_it_writes_every_dashboard_table_into_the_pdf_in_order(rendered):
    report, tables = rendered
    # Without whitespace: a narrow column breaks "domein-eenzaamheid" after its hyphen.
    text = "".join(pdf_text(report).split())
    assert len(tables) >= 3  # activity, the DJG-6 change, its category moves
    for table in tables:
        # The caption, the headings, then every cell of every row, in the table's order.
        caption = "".join(table.caption.split())
        in_order(text, [caption, *("".join(column.split()) for column in table.columns)])
        in_order(
            text[text.index(caption) :],
            ["".join(cell.split()) for row in table.rows for cell in row],
        )


def test_it_writes_each_table_to_its_own_sheet_with_numbers_as_numbers(rendered):
    report, tables = rendered
    book = workbook(report)
    sheets = {sheet["A1"].value: sheet for sheet in book.worksheets}
    for table in tables:
        sheet = sheets[table.caption]
        assert [c.value for c in sheet[2]][: len(table.columns)] == list(table.columns)
        for row_index, row in enumerate(table.rows, start=3):
            cells = [c.value for c in sheet[row_index]][: len(row)]
            assert cells[0] == row[0]
            for text, value in zip(row[1:], cells[1:], strict=True):
                number = dutch_number(text)
                if number is None:
                    assert value == text
                else:
                    assert isinstance(value, int | float), (text, value)
                    assert value == pytest.approx(number)
    reached = [cell.value for cell in sheets["Bereik en activiteiten per maand"]["D"][2:]]
    assert 27 in reached  # 24 + 3 participants reached in a month, as a number
    progress = sheets["Huisbezoeken bij ouderen: doel en waarde per jaar"]
    assert [c.value for c in progress["C"][2:]].count(95) == 1


def test_it_zips_one_csv_per_table_with_the_dashboards_cells(rendered):
    report, tables = rendered
    files = csv_files(report)
    by_header = {tuple(csv_rows(text)[0]): csv_rows(text) for text in files.values()}
    for table in tables:
        rows = by_header[tuple(table.columns)]
        assert rows[1:] == [[csv_cell(cell) for cell in row] for row in table.rows]


def test_it_keeps_a_formula_in_a_story_as_text_in_excel_and_csv(rendered):
    report, _tables = rendered
    stories_sheet = next(
        s for s in workbook(report).worksheets if s["A1"].value.startswith("Verhalen")
    )
    cell = stories_sheet["B4"]
    assert cell.value == HYPERLINK and cell.data_type == "s"
    story_csv = next(text for name, text in csv_files(report).items() if "verhalen" in name)
    assert csv_rows(story_csv)[2] == ["Een formule als titel", "'" + HYPERLINK]


def test_it_makes_a_tagged_pdf_in_dutch_with_a_title_and_chart_alternatives(rendered):
    report, _tables = rendered
    reader = pdf_reader(report)
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"] is True or root["/MarkInfo"]["/Marked"] == True  # noqa: E712
    assert root["/Lang"] == "nl"
    assert reader.metadata.title == "Verantwoording Alfa voor Gamma"
    kinds = _structure_kinds(root["/StructTreeRoot"])
    assert {"/H1", "/H2", "/H3", "/Table", "/TH", "/TD", "/Caption", "/Figure"} <= kinds
    # Every chart is a figure with a text alternative.
    figures = _structure_nodes(root["/StructTreeRoot"], "/Figure")
    assert figures
    assert all(str(node.get("/Alt", "")).strip() for node in figures)


def test_it_reads_headings_before_their_tables_in_document_order(rendered):
    report, tables = rendered
    text = pdf_text(report)
    in_order(
        text,
        [
            "Verantwoording Alfa voor Gamma",
            "Over deze verantwoording",
            "Het aanbod",
            "Het aanbod in deze verantwoording",
            "Buurtkamer Alfa",
            "Maatjes Alfa",
            "Bereik en activiteiten",
            "Bereik en activiteiten per maand",
            "Uitkomsten per meetinstrument",
            tables[1].caption,
            "Voortgang van programma's",
            "Samen tegen eenzaamheid",
            "Huisbezoeken bij ouderen",
            "Huisbezoeken bij ouderen: doel en waarde per jaar",
            "Verhalen uit de praktijk",
            "Samen koken in de buurtkamer",
            "Wat werkte: vaste dag, vaste vrijwilliger.",
            "Een formule als titel",
        ],
    )


def _structure_nodes(node, kind: str | None = None) -> list:
    found = []
    stack = [node.get_object()]
    while stack:
        current = stack.pop()
        if not hasattr(current, "get"):
            continue
        if kind is None or current.get("/S") == NameObject(kind):
            found.append(current)
        children = current.get("/K")
        if children is None:
            continue
        if not isinstance(children, list):
            children = [children]
        stack.extend(child.get_object() for child in children if hasattr(child, "get_object"))
    return found


def _structure_kinds(node) -> set[str]:
    return {str(n.get("/S")) for n in _structure_nodes(node) if n.get("/S") is not None}


def test_it_hides_figures_of_too_few_participants_in_every_format(filled, org_a, municipality):
    report = new_report(
        org_a, municipality, filled["start"], filled["end"], offers=[filled["small"]]
    )
    report_render(report_id=report.pk)
    report.refresh_from_db()
    assert report.status == ReportStatus.READY, report.error
    sheets = {sheet["A1"].value: sheet for sheet in workbook(report).worksheets}
    activity = sheets["Bereik en activiteiten per maand"]
    reached = [cell.value for cell in activity["D"][2:]]
    assert "te weinig deelnemers" in reached and 3 not in reached
    assert "te weinig deelnemers" in pdf_text(report)
    files = csv_files(report)
    assert any("te weinig deelnemers" in text for text in files.values())
