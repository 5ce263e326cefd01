from django.db import models
from django.utils.translation import gettext_lazy as _

# A programme runs several years, at most ten (first and last year included): longer plans
# are a policy, not a programme with targets per year.
MAX_YEARS = 10
FIRST_YEAR = 2000
LAST_YEAR = 2100
# Upper bound for a target, baseline or manual value: far above any count of one programme,
# low enough to catch a number typed twice.
MAX_VALUE = 10_000_000

THEMES = "themes"
TARGET_GROUPS = "target_groups"
INTERVENTION_TYPES = "intervention_types"
RESULTS_CHAIN_LEVELS = "results_chain_levels"


class Level(models.TextChoices):
    """The levels of the results chain, low to high (``LEVEL_RANK``)."""

    INPUT = "input", _("Input")
    ACTIVITY = "activity", _("Activiteit")
    OUTPUT = "output", _("Output (prestatie)")
    OUTCOME = "outcome", _("Outcome (effect)")
    IMPACT = "impact", _("Impact")


LEVEL_RANK = {level: rank for rank, level in enumerate(Level)}
# The vocabulary's concept for each level (scheme results_chain_levels).
LEVEL_CONCEPTS = {
    Level.INPUT: "keten-input",
    Level.ACTIVITY: "keten-activiteit",
    Level.OUTPUT: "keten-output",
    Level.OUTCOME: "keten-outcome",
    Level.IMPACT: "keten-impact",
}


class DataSource(models.TextChoices):
    ACTIVITY = "activity", _("Activiteitentelling van aanbod")
    OUTCOME = "outcome", _("Uitkomstcijfer van een meetinstrument")
    MANUAL = "manual", _("Handmatig ingevuld, met bron")


class ActivityMeasure(models.TextChoices):
    """What an activity node counts. Per year: a total, or the mean of the months with a count
    (``MEAN_MEASURES``), as the dashboard's summary averages reach per month."""

    MEETINGS = "meetings_held", _("Bijeenkomsten of contacten (totaal per jaar)")
    PARTICIPANTS_REACHED = "participants_reached", _("Deelnemers bereikt (gemiddeld per maand)")
    NEW_PARTICIPANTS = "new_participants", _("Nieuwe deelnemers (totaal per jaar)")
    VOLUNTEERS = "active_volunteers", _("Actieve vrijwilligers (gemiddeld per maand)")
    VOLUNTEER_HOURS = "volunteer_hours", _("Uren van vrijwilligers (totaal per jaar)")
    REFERRALS_IN = "referrals_in", _("Naar ons verwezen (totaal per jaar)")
    REFERRALS_OUT = "referrals_out", _("Door ons doorverwezen (totaal per jaar)")
    EARLY_SIGNALS = "early_signals", _("Vroegsignalen (totaal per jaar)")


MEAN_MEASURES = frozenset({ActivityMeasure.PARTICIPANTS_REACHED, ActivityMeasure.VOLUNTEERS})
# Measures that count participants themselves: the figure is also hidden when it is small.
PERSON_MEASURES = frozenset(
    {
        ActivityMeasure.PARTICIPANTS_REACHED,
        ActivityMeasure.NEW_PARTICIPANTS,
        ActivityMeasure.REFERRALS_IN,
        ActivityMeasure.REFERRALS_OUT,
        ActivityMeasure.EARLY_SIGNALS,
    }
)


class OutcomeStatistic(models.TextChoices):
    MEAN_CHANGE = "mean_change", _("Gemiddelde verandering tussen begin- en eindmeting")
    IMPROVED_SHARE = "improved_share", _("Aandeel betrouwbaar verbeterd (procent)")
    PAIRS = "pairs", _("Aantal deelnemers met begin- en eindmeting")
    MEAN_END = "mean_end", _("Gemiddelde score bij de eindmeting")


class Direction(models.TextChoices):
    HIGHER = "higher", _("Hoger is beter")
    LOWER = "lower", _("Lager is beter")


class Status(models.TextChoices):
    """How a year of an indicator stands against its target."""

    MET = "met", _("doel gehaald")
    NOT_MET = "not_met", _("doel niet gehaald")
    ON_TRACK = "on_track", _("op koers")
    BEHIND = "behind", _("achter op schema")
    NO_TARGET = "no_target", _("geen doel")
    NO_VALUE = "no_value", _("nog geen waarde")
    HIDDEN = "hidden", _("te weinig deelnemers")
    FUTURE = "future", _("nog niet begonnen")
