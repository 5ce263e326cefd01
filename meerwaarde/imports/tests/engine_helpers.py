"""Files and fixtures for the engine's tests: tables from CSV text, and row counts of every
model an import touches."""

import datetime
import io

from django.apps import apps

from meerwaarde.core.models import Generation
from meerwaarde.imports.reading import Table, open_table

TOUCHED = (
    "offers.Offer",
    "offers.OfferLocation",
    "participants.Participant",
    "participants.Trajectory",
    "participants.AuditEvent",
    "measurements.Measurement",
    "analysis.OutcomePair",
    "analysis.OutcomeSums",
    "analysis.CategoryMoves",
    "activities.ActivityRecord",
    "activities.ReferralCount",
    "activities.EarlySignalCount",
    "activities.ActivityMonthTotals",
    "activities.ActivityConceptTotals",
)

DJG6 = ("e1", "s1", "e2", "s2", "s3", "e3")
_LONELY = {"e": "ja", "s": "nee"}
_FINE = {"e": "nee", "s": "ja"}

START = datetime.date(2025, 1, 6)
INTAKE_ON = datetime.date(2025, 1, 13)
END_ON = datetime.date(2025, 6, 16)


def djg6(total: int) -> list[str]:
    """DJG 6 answers in item order with the given total (0-6)."""
    return [(_LONELY if i < total else _FINE)[code[0]] for i, code in enumerate(DJG6)]


def counts() -> dict[str, int]:
    """Rows of every model an import touches, and the figures' stamp."""
    result = {label: apps.get_model(label).objects.count() for label in TOUCHED}
    result["stamp"] = (
        Generation.objects.filter(name="figures").values_list("value", flat=True).first() or 0
    )
    return result


def csv_table(lines: list[list[str]], *, delimiter: str = ";") -> Table:
    text = "\r\n".join(delimiter.join(line) for line in lines) + "\r\n"
    return open_table(io.BytesIO(text.encode("utf-8")), filename="bestand.csv")


MEASUREMENT_HEADER = [
    "clientnummer",
    "aanbod_naam",
    "startdatum",
    "leeftijdsgroep",
    "instrument_code",
    "moment",
    "datum",
    *DJG6,
]


def measurement_row(
    reference: str,
    offer: str,
    moment: str,
    on: datetime.date,
    total: int,
    *,
    instrument: str = "djg6",
    start: datetime.date = START,
) -> list[str]:
    return [
        reference,
        offer,
        start.strftime("%d-%m-%Y"),
        "65-74",
        instrument,
        moment,
        on.strftime("%d-%m-%Y"),
        *djg6(total),
    ]


def identity(header: list[str]) -> dict[str, str]:
    return {column: column for column in header}
