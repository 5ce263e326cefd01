"""Reading back what a rendering wrote: the PDF's text, the workbook's sheets, the CSV files."""

import csv
import io
import zipfile

import openpyxl
import pypdf
from django.utils import translation

from meerwaarde.analysis import presentation
from meerwaarde.analysis.presentation import Table
from meerwaarde.analysis.selectors import Selection, analysis_figures
from meerwaarde.reports.content import shareable
from meerwaarde.reports.models import Report
from meerwaarde.reports.services import StoryData, report_create


def new_report(organisation, funder, start, end, **fields) -> Report:
    fields.setdefault("title", "Verantwoording welzijn")
    fields.setdefault("stories", [])
    return report_create(
        organisation=organisation,
        created_by=None,
        funder=funder,
        start=start,
        end=end,
        **fields,
    )


def stories(*pairs: tuple[str, str]) -> list[StoryData]:
    return [StoryData(title, text) for title, text in pairs]


def dashboard_tables(selection: Selection) -> list[Table]:
    """The dashboard's tables for the selection, of the figures as they may be shared."""
    with translation.override("nl"):
        board = presentation.dashboard(shareable(analysis_figures(selection=selection)))
    tables = [board.activity.table] if board.activity else []
    for section in board.instruments:
        tables.append(section.chart.table)
        tables.extend(chart.table for chart in section.movements)
    if board.gas:
        tables.append(board.gas.table)
    return tables


def pdf_reader(report: Report) -> pypdf.PdfReader:
    with report.pdf_file.open("rb") as handle:
        return pypdf.PdfReader(io.BytesIO(handle.read()))


def pdf_text(report: Report) -> str:
    """The PDF's text in extraction order, every run of whitespace one space."""
    reader = pdf_reader(report)
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def workbook(report: Report) -> openpyxl.Workbook:
    with report.xlsx_file.open("rb") as handle:
        return openpyxl.load_workbook(io.BytesIO(handle.read()))


def csv_files(report: Report) -> dict[str, str]:
    with report.csv_file.open("rb") as handle, zipfile.ZipFile(io.BytesIO(handle.read())) as zf:
        return {name: zf.read(name).decode("utf-8") for name in zf.namelist()}


def csv_rows(text: str) -> list[list[str]]:
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def dutch_number(text: str) -> float | None:
    """What a Dutch number on the page is worth: 1.234 → 1234, +0,4 → 0.4, 45% → 0.45."""
    body = text.rstrip("%").replace(".", "").replace(",", ".")
    try:
        value = float(body)
    except ValueError:
        return None
    return value / 100 if text.endswith("%") else value


def in_order(text: str, markers: list[str]) -> None:
    """Each marker occurs in the text after the one before it."""
    position = 0
    for marker in markers:
        found = text.find(marker, position)
        assert found >= 0, f"{marker!r} niet gevonden na positie {position}"
        position = found + len(marker)
