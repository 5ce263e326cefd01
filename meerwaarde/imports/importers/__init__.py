"""One importer per kind: ``process(rows) -> outcomes`` checks and writes a batch,
``finish()`` runs once after the last batch."""

from ..fields import ImportKind
from .activities import ActivityImporter
from .base import Importer, MappedRow, RowOutcome
from .measurements import MeasurementImporter
from .month_counts import ReferralImporter, SignalImporter
from .offers import OfferImporter

IMPORTERS: dict[str, type[Importer]] = {
    ImportKind.OFFERS: OfferImporter,
    ImportKind.MEASUREMENTS: MeasurementImporter,
    ImportKind.ACTIVITIES: ActivityImporter,
    ImportKind.REFERRALS: ReferralImporter,
    ImportKind.SIGNALS: SignalImporter,
}

__all__ = ["IMPORTERS", "Importer", "MappedRow", "RowOutcome"]
