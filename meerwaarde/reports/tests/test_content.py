"""What a report holds, before rendering: sections per offer, programmes, sheet names."""

import datetime

import pytest

from meerwaarde.programmes.tests.factories import ProgrammeFactory, ResultNodeFactory
from meerwaarde.reports.content import content_tables, report_content

from .helpers import new_report, stories

pytestmark = pytest.mark.django_db

START, END = datetime.date(2025, 1, 1), datetime.date(2025, 12, 1)


def test_all_offers_are_one_section_and_chosen_offers_one_each(org_a, municipality, outcomes):
    first, second = outcomes.offer(name="Alfa"), outcomes.offer(name="Beta")
    together = report_content(report=new_report(org_a, municipality, START, END))
    assert [s.offer for s in together.sections] == [None]
    assert [row[0] for row in together.offers.rows] == ["Alfa", "Beta"]
    apart = report_content(
        report=new_report(org_a, municipality, START, END, offers=[second, first])
    )
    assert [s.offer for s in apart.sections] == [first, second]
    assert all(s.figures.selection.offer == s.offer for s in apart.sections)
    assert all(s.figures.selection.start == START for s in apart.sections)


def test_it_takes_the_organisations_programmes_of_the_period_only(org_a, org_b, municipality):
    running = ProgrammeFactory(organisation=org_a, name="Loopt", start_year=2024, end_year=2026)
    ResultNodeFactory(programme=running, title="Een stap")
    ProgrammeFactory(organisation=org_a, name="Later", start_year=2027, end_year=2029)
    ProgrammeFactory(organisation=org_b, name="Van een ander", start_year=2024, end_year=2026)
    report = new_report(org_a, municipality, START, END)
    content = report_content(report=report)
    assert [p.name for p in content.programmes] == ["Loopt"]
    assert [step.title for level in content.programmes[0].levels for step in level.steps] == [
        "Een stap"
    ]
    report.include_programmes = False
    assert report_content(report=report).programmes == []


def test_every_table_gets_a_unique_sheet_name_excel_accepts(org_a, municipality, outcomes):
    offers = [outcomes.offer(name=f"Een heel lang aanbod met een naam [{i}]*") for i in range(3)]
    report = new_report(
        org_a, municipality, START, END, offers=offers, stories=stories(("Titel", "Tekst"))
    )
    names = [t.name for t in content_tables(report_content(report=report))]
    assert len(set(names)) == len(names)
    assert all(len(name) <= 31 and not set(name) & set("[]:*?/\\'") for name in names)
    files = [t.filename for t in content_tables(report_content(report=report))]
    assert len(set(files)) == len(files) and all(f.endswith(".csv") for f in files)
