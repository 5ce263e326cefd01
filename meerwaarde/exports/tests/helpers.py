"""One of everything the export holds, and readers for what it writes."""

import csv
import datetime
import io
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl

from meerwaarde.activities.tests.factories import (
    ActivityRecordFactory,
    EarlySignalCountFactory,
    ReferralCountFactory,
    ThemeFactory,
)
from meerwaarde.imports.fields import ImportKind
from meerwaarde.imports.models import OFFERS_SCHEME
from meerwaarde.imports.services import column_mappings_remember, concept_mapping_save
from meerwaarde.measurements.constants import Moment
from meerwaarde.measurements.tests.factories import MeasurementFactory
from meerwaarde.offers.tests.factories import OfferFactory, OfferLocationFactory
from meerwaarde.participants.constants import TrajectoryStatus
from meerwaarde.participants.tests.factories import (
    GoalFactory,
    ParticipantFactory,
    ReferralSourceFactory,
    TargetGroupFactory,
    TrajectoryFactory,
)
from meerwaarde.programmes.constants import DataSource, Level
from meerwaarde.programmes.models import ProgrammePartner, ResultLink
from meerwaarde.programmes.tests.factories import (
    ManualValueFactory,
    NodeTargetFactory,
    ProgrammeFactory,
    ResultNodeFactory,
)
from meerwaarde.vocabulary.tests.factories import LocalNameMappingFactory

HYPERLINK = '=HYPERLINK("https://example.org/","klik")'
PHONE = "+31 6 1234 5678"


def fill(organisation, tag: str, gas_instrument) -> dict:
    """Rows of every exported kind for ``organisation``; every text carries ``tag``, so a
    test can tell whose rows an export holds."""
    theme = ThemeFactory(code=f"thema-{tag}")
    offer = OfferFactory(
        organisation=organisation,
        name=f"Maatjes {tag}",
        phone=PHONE,
        themes=[theme],
        location=None,
    )
    OfferLocationFactory(offer=offer, name=f"Buurthuis {tag}")
    participant = ParticipantFactory(
        organisation=organisation, target_groups=[TargetGroupFactory(code=f"doelgroep-{tag}")]
    )
    trajectory = TrajectoryFactory(
        participant=participant,
        offer=offer,
        start_date=datetime.date(2025, 1, 6),
        end_date=datetime.date(2025, 6, 30),
        status=TrajectoryStatus.COMPLETED,
        referral_source=ReferralSourceFactory(code=f"verwijzer-{tag}"),
    )
    goal = GoalFactory(trajectory=trajectory, position=1, weight=Decimal("2.5"))
    intake = MeasurementFactory(
        trajectory=trajectory,
        instrument__code=f"eigen-{tag}",
        measured_on=datetime.date(2025, 1, 7),
        answers={"v1": "2", "v2": "4", "v3": "2"},
        is_current=False,
    )
    corrected = MeasurementFactory(
        trajectory=trajectory,
        instrument=intake.instrument,
        measured_on=datetime.date(2025, 1, 7),
        version=2,
        supersedes=intake,
    )
    gas = MeasurementFactory(
        trajectory=trajectory,
        instrument=gas_instrument,
        moment=Moment.END,
        measured_on=datetime.date(2025, 6, 30),
        answers={str(goal.pk): "1"},
    )
    record = ActivityRecordFactory(offer=offer, volunteer_hours=Decimal("8.5"))
    ReferralCountFactory(record=record, source=ReferralSourceFactory(code=f"naar-{tag}"), count=3)
    EarlySignalCountFactory(record=record, theme=theme, count=2)
    programme = ProgrammeFactory(organisation=organisation, name=f"Programma {tag}")
    ProgrammePartner.objects.create(programme=programme, name=f"Partner {tag}", kind="ggd")
    output = ResultNodeFactory(programme=programme, title=f"Huisbezoeken {tag}")
    outcome = ResultNodeFactory(
        programme=programme,
        level=Level.OUTCOME,
        title=f"Minder eenzaam {tag}",
        source=DataSource.MANUAL,
    )
    output.offers.add(offer)
    ResultLink.objects.create(source=output, target=outcome)
    NodeTargetFactory(node=output, year=2025, value=Decimal("120.50"))
    ManualValueFactory(node=outcome, year=2025, value=95, source=f"Monitor {tag}")
    LocalNameMappingFactory(organisation=organisation, local_name=f"Lokaal {tag}")
    column_mappings_remember(
        organisation=organisation,
        kind=ImportKind.MEASUREMENTS,
        column_map={f"Cliënt {tag}": "clientnummer"},
        created_by=None,
    )
    concept_mapping_save(
        organisation=organisation, scheme="themes", local_name=f"Thema {tag}", concept=theme,
        created_by=None,
    )  # fmt: skip
    concept_mapping_save(
        organisation=organisation, scheme=OFFERS_SCHEME, local_name=f"Maatjes-{tag}",
        offer=offer, created_by=None,
    )  # fmt: skip
    return {
        "offer": offer,
        "participant": participant,
        "trajectory": trajectory,
        "goal": goal,
        "intake": intake,
        "corrected": corrected,
        "gas": gas,
        "programme": programme,
    }


def read_zip(path: Path) -> dict[str, list[list[str]]]:
    """Every CSV file of an export as rows of text, the byte order mark checked and removed."""
    files = {}
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            data = archive.read(name)
            assert data.startswith(b"\xef\xbb\xbf"), name
            text = data.decode("utf-8-sig")
            files[name] = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    return files


def read_xlsx(path: Path) -> dict[str, list[tuple]]:
    """Every sheet as rows of cells (openpyxl ``Cell``s, for their value and data type)."""
    book = openpyxl.load_workbook(path)
    return {sheet.title: [tuple(row) for row in sheet.iter_rows()] for sheet in book.worksheets}


def as_dicts(rows: list[list[str]]) -> list[dict[str, str]]:
    header, *body = rows
    return [dict(zip(header, row, strict=True)) for row in body]
