from django.db import models
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    """What one row of the running sums adds up: one offer, one intervention type, or all.

    A selection by organisation, offer, theme or target group sums the offer rows of the
    offers it holds; a selection by intervention type alone, or of everything, reads its own
    rows, so its cost does not grow with the number of offers.
    """

    OFFER = "offer", _("aanbod")
    INTERVENTION_TYPE = "type", _("soort interventie")
    ALL = "all", _("alles")


# Goal Attainment Scaling has no start measurement: its T-score is read against the expected
# outcome, T = 50. The sums take that as the start, so the "change" of a GAS row is T − 50 and
# its d_z is the distance from the expected outcome in SDs of T.
GAS_EXPECTED_T = 50.0
GAS_KIND = "gas"
GAS_SCALE = "t"

# The measurement moments that are paired (measurements.constants.Moment values).
INTAKE = "intake"
END = "end"
