"""Every table of the organisation export, in the order of the files and sheets.

Referenced tables come before the tables that refer to them (offers before trajectories,
trajectories before measurements), which is the order an import reads them in.
"""

from meerwaarde.exports.columns import Table
from meerwaarde.exports.tables.activities import ACTIVITIES, EARLY_SIGNALS, REFERRALS
from meerwaarde.exports.tables.mappings import IMPORT_COLUMNS, IMPORT_NAMES, MAPPINGS
from meerwaarde.exports.tables.measurements import (
    INSTRUMENTS,
    MEASUREMENT_ANSWERS,
    MEASUREMENT_SCORES,
    MEASUREMENTS,
)
from meerwaarde.exports.tables.offers import OFFER_LOCATIONS, OFFERS
from meerwaarde.exports.tables.participants import GOALS, PARTICIPANTS, TRAJECTORIES
from meerwaarde.exports.tables.programmes import (
    LINKS,
    MANUAL_VALUES,
    NODES,
    PARTNERS,
    PROGRAMMES,
    TARGETS,
)

TABLES: tuple[Table, ...] = (
    OFFERS,
    OFFER_LOCATIONS,
    PARTICIPANTS,
    TRAJECTORIES,
    GOALS,
    INSTRUMENTS,
    MEASUREMENTS,
    MEASUREMENT_ANSWERS,
    MEASUREMENT_SCORES,
    ACTIVITIES,
    REFERRALS,
    EARLY_SIGNALS,
    PROGRAMMES,
    PARTNERS,
    NODES,
    LINKS,
    TARGETS,
    MANUAL_VALUES,
    MAPPINGS,
    IMPORT_COLUMNS,
    IMPORT_NAMES,
)
