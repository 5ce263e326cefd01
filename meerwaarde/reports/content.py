"""What a report says, before it becomes a page, a PDF, a workbook or CSV files.

The figures are the dashboard's own (``analysis.presentation``), made shareable first: a
report leaves the organisation, so every figure passes the suppression gate. The tables the
exports write are the very tables the PDF shows, in the same order.
"""

import datetime
import re
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from meerwaarde.analysis import presentation
from meerwaarde.analysis.formatting import month_label
from meerwaarde.analysis.presentation import Chart, Dashboard, Table
from meerwaarde.analysis.selectors import Figures, Selection, analysis_figures
from meerwaarde.bundling.figures import shareable_figures
from meerwaarde.offers.models import Offer
from meerwaarde.programmes import presentation as presentation_of_programmes
from meerwaarde.programmes.models import Programme
from meerwaarde.programmes.progress import programme_progress
from meerwaarde.reports.models import Report, ReportStory

# Excel refuses these in a sheet name, and allows 31 characters.
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\']")
SHEET_NAME_LENGTH = 31


def shareable(figures: Figures) -> Figures:
    """The figures as they may leave the organisation: every small cell hidden.

    The one place where a report meets the suppression gate
    (``bundling.figures.shareable_figures``, docs/dev/sharing-contracts.md).
    """
    return shareable_figures(figures=figures)


@dataclass(frozen=True)
class FigureSection:
    """The dashboard of one selection: all chosen offers together, or one offer."""

    key: str
    heading: str
    offer: Offer | None
    figures: Figures
    board: Dashboard

    @property
    def has_movements(self) -> bool:
        return any(section.movements for section in self.board.instruments)


@dataclass(frozen=True)
class ProgrammeStep:
    title: str
    chart: Chart  # with the table of target and value per year
    source: str


@dataclass(frozen=True)
class ProgrammeLevel:
    label: str
    steps: list[ProgrammeStep]


@dataclass(frozen=True)
class ProgrammeSection:
    key: str
    name: str
    period: str
    summary: str
    levels: list[ProgrammeLevel] = field(default_factory=list)

    @property
    def charts(self) -> list[Chart]:
        return [step.chart for level in self.levels for step in level.steps]


@dataclass(frozen=True)
class NamedTable:
    """A table as an export writes it: a sheet in the workbook, a file in the zip."""

    name: str  # unique, at most 31 characters, safe as a sheet name
    filename: str  # unique, safe as a file name in the zip
    table: Table


@dataclass(frozen=True)
class ReportContent:
    report: Report
    period: str
    made_at: datetime.datetime
    offers: Table
    sections: list[FigureSection]
    programmes: list[ProgrammeSection]
    stories: list[ReportStory]

    @property
    def all_offers(self) -> bool:
        return len(self.sections) == 1 and self.sections[0].offer is None


def period_label(report: Report) -> str:
    first, last = month_label(report.start), month_label(report.end)
    if first == last:
        return first
    return _("%(first)s tot en met %(last)s") % {"first": first, "last": last}


def report_offers(report: Report) -> list[Offer]:
    """The chosen offers, or all of the organisation's offers when none are chosen."""
    chosen = report.offers.all() if report.pk else Offer.objects.none()
    offers = chosen if chosen.exists() else Offer.objects.filter(organisation=report.organisation)
    return list(offers.select_related("intervention_type").order_by("name", "pk"))


def _offers_table(offers: list[Offer]) -> Table:
    return Table(
        caption=_("Het aanbod in deze verantwoording"),
        columns=(_("Aanbod"), _("Soort interventie")),
        rows=tuple(
            (offer.name, offer.intervention_type.pref_label_nl if offer.intervention_type else "")
            for offer in offers
        ),
    )


def _section(key: str, heading: str, selection: Selection, offer: Offer | None) -> FigureSection:
    figures = shareable(analysis_figures(selection=selection))
    return FigureSection(key, heading, offer, figures, presentation.dashboard(figures))


def figure_sections(report: Report) -> list[FigureSection]:
    """One section for all offers together, or one per chosen offer.

    A selection holds one offer or all (``analysis.Selection``), so a choice of several
    offers is reported per offer: each section has the same figures as the dashboard filtered
    on that offer and the period.
    """
    chosen = list(report.offers.select_related("intervention_type").order_by("name", "pk"))
    if not chosen:
        selection = Selection(organisation=report.organisation, start=report.start, end=report.end)
        return [_section("alles", _("Al het aanbod samen"), selection, None)]
    return [
        _section(
            f"aanbod-{offer.pk}",
            offer.name,
            Selection(
                organisation=report.organisation, offer=offer, start=report.start, end=report.end
            ),
            offer,
        )
        for offer in chosen
    ]


def programme_sections(report: Report) -> list[ProgrammeSection]:
    """The organisation's programmes that run during the report's period, with their progress
    per step and year, suppressed as for any partner (``programmes.progress``)."""
    if not report.include_programmes:
        return []
    programmes = Programme.objects.filter(
        organisation=report.organisation,
        start_year__lte=report.end.year,
        end_year__gte=report.start.year,
    ).order_by("name", "pk")
    sections = []
    for programme in programmes:
        key = f"programma-{programme.pk}"
        progress = programme_progress(programme=programme, suppressed=True)
        levels = [
            ProgrammeLevel(
                label=str(level.level.label),
                steps=[
                    ProgrammeStep(title=step.node.title, chart=step.chart, source=step.source)
                    for step in level.nodes
                ],
            )
            for level in presentation_of_programmes.programme_sections(progress, prefix=key)
            if level.nodes
        ]
        sections.append(
            ProgrammeSection(
                key=key,
                name=programme.name,
                period=_("%(first)s tot en met %(last)s")
                % {"first": programme.start_year, "last": programme.end_year},
                summary=programme.description,
                levels=levels,
            )
        )
    return sections


def report_content(*, report: Report) -> ReportContent:
    """Everything the report shows; reads the figures (a few queries per section)."""
    return ReportContent(
        report=report,
        period=period_label(report),
        made_at=timezone.now(),
        offers=_offers_table(report_offers(report)),
        sections=figure_sections(report),
        programmes=programme_sections(report),
        stories=list(report.stories.order_by("position")),
    )


def _section_tables(section: FigureSection) -> list[tuple[str, Table]]:
    board = section.board
    tables: list[tuple[str, Table]] = []
    if board.activity is not None:
        tables.append((_("Activiteit"), board.activity.table))
    for instrument in board.instruments:
        tables.append((instrument.figures.name, instrument.chart.table))
        for chart in instrument.movements:
            tables.append((_("Verschuiving"), chart.table))
    if board.gas is not None:
        tables.append((_("GAS"), board.gas.table))
    return tables


def stories_table(stories: list[ReportStory]) -> Table:
    return Table(
        caption=_("Verhalen uit de praktijk"),
        columns=(_("Titel"), _("Tekst")),
        rows=tuple((story.title, story.text) for story in stories),
    )


def content_tables(content: ReportContent) -> list[NamedTable]:
    """Every table of the report in document order, each with a sheet and a file name."""
    tables: list[tuple[str, Table]] = [(_("Aanbod"), content.offers)]
    several = len(content.sections) > 1
    for section in content.sections:
        for short, table in _section_tables(section):
            if several:
                table = Table(f"{section.heading}: {table.caption}", table.columns, table.rows)
                short = f"{section.heading} {short}"
            tables.append((short, table))
    for programme in content.programmes:
        tables.extend((programme.name, chart.table) for chart in programme.charts)
    if content.stories:
        tables.append((_("Verhalen"), stories_table(content.stories)))
    named = []
    for index, (short, table) in enumerate(tables, start=1):
        prefix = f"{index:02d} "
        clean = " ".join(_SHEET_FORBIDDEN.sub(" ", short).split())
        name = (prefix + clean)[:SHEET_NAME_LENGTH].rstrip()
        filename = f"{index:02d}-{slugify(short)[:60] or 'tabel'}.csv"
        named.append(NamedTable(name=name, filename=filename, table=table))
    return named
