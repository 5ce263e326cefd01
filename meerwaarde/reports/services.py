"""Writing reports: create, change, and queue a rendering (a ``jobs`` Job). Keyword-only,
atomic."""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from meerwaarde.accounts.models import User
from meerwaarde.jobs.constants import JobKind
from meerwaarde.jobs.selectors import job_progress
from meerwaarde.jobs.services import job_cancel, job_start
from meerwaarde.offers.models import Offer
from meerwaarde.organisations.models import Organisation
from meerwaarde.reports.constants import RENDER_STEPS, ReportStatus
from meerwaarde.reports.models import Report, ReportStory

_FILE_FIELDS = ("html_file", "pdf_file", "xlsx_file", "csv_file")


@dataclass(frozen=True)
class StoryData:
    title: str
    text: str


def _validate(
    *,
    organisation: Organisation,
    funder: Organisation | None,
    funder_name: str,
    start: datetime.date,
    end: datetime.date,
    offers: Sequence[Offer],
) -> None:
    errors: dict[str, str] = {}
    if funder is None and not funder_name:
        errors["funder"] = _(
            "Kies een financier, of vul de naam in als die niet in de lijst staat."
        )
    elif funder is not None and funder_name:
        errors["funder_name"] = _(
            "Kies een financier uit de lijst óf vul een naam in, niet allebei."
        )
    elif funder is not None and funder.pk == organisation.pk:
        errors["funder"] = _("Uw eigen organisatie kan niet de financier zijn.")
    if start.day != 1 or end.day != 1:
        errors["start"] = _("Een periode loopt van de eerste van een maand.")
    elif end < start:
        errors["end"] = _("De laatste maand ligt vóór de eerste. Draai ze om.")
    if any(offer.organisation_id != organisation.pk for offer in offers):
        errors["offers"] = _("Kies alleen aanbod van uw eigen organisatie.")
    if errors:
        raise ValidationError(errors)


def _stories_replace(report: Report, stories: Iterable[StoryData]) -> None:
    report.stories.all().delete()
    ReportStory.objects.bulk_create(
        ReportStory(report=report, position=position, title=story.title, text=story.text)
        for position, story in enumerate(stories, start=1)
    )


@transaction.atomic
def report_create(
    *,
    organisation: Organisation,
    created_by: User | None,
    title: str,
    funder: Organisation | None,
    funder_name: str = "",
    start: datetime.date,
    end: datetime.date,
    offers: Sequence[Offer] = (),
    include_programmes: bool = True,
    stories: Sequence[StoryData] = (),
) -> Report:
    funder_name = funder_name.strip()
    _validate(
        organisation=organisation,
        funder=funder,
        funder_name=funder_name,
        start=start,
        end=end,
        offers=offers,
    )
    report = Report.objects.create(
        organisation=organisation,
        created_by=created_by,
        title=title.strip(),
        funder=funder,
        funder_name=funder_name,
        start=start,
        end=end,
        include_programmes=include_programmes,
    )
    report.offers.set(offers)
    _stories_replace(report, stories)
    return report


def _locked(report: Report) -> Report:
    return Report.objects.select_for_update(of=("self",)).select_related("job").get(pk=report.pk)


def _rendering_alive(report: Report) -> bool:
    """A rendering is queued, or running with a sign of life (not stale: its worker died)."""
    job = report.job
    return job is not None and job.in_progress and not job_progress(job).stale


def _rendering_stop(report: Report) -> None:
    """Cancel a stale rendering: the row at once, and its run, should it be alive after all,
    at its next step (the cancel flag)."""
    if report.job is not None and report.job.in_progress:
        job_cancel(job=report.job)


def _files_forget(report: Report) -> list[str]:
    """Clear the file fields; returns the names to delete once the transaction commits."""
    names = []
    for name in _FILE_FIELDS:
        field = getattr(report, name)
        if field:
            names.append(field.name)
        setattr(report, name, "")
    return names


def _delete_on_commit(report: Report, names: list[str]) -> None:
    storage = report.pdf_file.storage

    def delete() -> None:
        for name in names:
            storage.delete(name)

    transaction.on_commit(delete)


@transaction.atomic
def report_update(
    *,
    report: Report,
    title: str,
    funder: Organisation | None,
    funder_name: str = "",
    start: datetime.date,
    end: datetime.date,
    offers: Sequence[Offer] = (),
    include_programmes: bool = True,
    stories: Sequence[StoryData] = (),
) -> Report:
    """Change the report. Its files no longer match, so they go and it becomes a draft again."""
    report = _locked(report)
    if _rendering_alive(report):
        raise ValidationError(
            _("De verantwoording wordt nu gemaakt. Wijzig haar als dat klaar is.")
        )
    _rendering_stop(report)
    funder_name = funder_name.strip()
    _validate(
        organisation=report.organisation,
        funder=funder,
        funder_name=funder_name,
        start=start,
        end=end,
        offers=offers,
    )
    report.title = title.strip()
    report.funder = funder
    report.funder_name = funder_name
    report.start = start
    report.end = end
    report.include_programmes = include_programmes
    report.status = ReportStatus.DRAFT
    # The last rendering was of the old definition: its job stays in the list of jobs only.
    report.job = None
    report.rendered_at = None
    names = _files_forget(report)
    report.save()
    report.offers.set(offers)
    _stories_replace(report, stories)
    _delete_on_commit(report, names)
    return report


@transaction.atomic
def report_render_start(*, report: Report, created_by: User | None) -> Report:
    """Queue a (new) rendering as a job of kind report; the report points at it. The task is
    enqueued once this transaction commits.

    Raises ValidationError while a rendering is queued or running (unless it stalled).
    """
    from meerwaarde.reports.tasks import report_render_task

    report = _locked(report)
    if _rendering_alive(report):
        raise ValidationError(_("De verantwoording wordt al gemaakt. Even geduld."))
    _rendering_stop(report)
    report.job = job_start(
        organisation=report.organisation,
        kind=JobKind.REPORT,
        title=_("Verantwoording maken: %(title)s") % {"title": report.title},
        created_by=created_by,
        task=report_render_task,
        payload={"report": report.pk},
        total=len(RENDER_STEPS),
    )
    report.save(update_fields=["job", "updated_at"])
    return report
