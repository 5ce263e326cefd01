"""The demo's report: Welzijn Zwolle's accountability report to Gemeente Zwolle over the past
twelve whole months, as a draft with one practice story; making its files is left to the user
(the worker that scripts/serve starts renders it).

Idempotent: a report with the same title is kept as it is.
"""

import datetime

from django.utils import timezone

from meerwaarde.organisations.models import Organisation
from meerwaarde.reports.models import Report
from meerwaarde.reports.services import StoryData, report_create

OWNER = "Welzijn Zwolle"
FUNDER = "Gemeente Zwolle"
STORY = StoryData(
    title="Een vaste maatje-avond in de wijk",
    text=(
        "Sinds de maatjes elke dinsdag in het buurthuis samenkomen, komen deelnemers vaker "
        "terug en vinden ze ook buiten de avond contact. Wat werkte: een vaste plek, een vaste "
        "vrijwilliger bij de deur en koffie voordat er iets moest."
    ),
)


def demo_reports(*, organisations: dict[str, Organisation]) -> int:
    """Returns the number of reports made (0 the second time)."""
    owner, funder = organisations[OWNER], organisations[FUNDER]
    end = (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    first = end.year * 12 + end.month - 1 - 11  # eleven months before the last
    start = datetime.date(first // 12, first % 12 + 1, 1)
    title = f"Verantwoording sociale basis {end.year} voor {funder.name}"
    if Report.objects.filter(organisation=owner, title=title).exists():
        return 0
    report_create(
        organisation=owner,
        created_by=None,
        title=title,
        funder=funder,
        start=start,
        end=end,
        stories=[STORY],
    )
    return 1
