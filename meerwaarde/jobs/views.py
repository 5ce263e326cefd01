"""The jobs pages: the list, a job's page, its progress fragment for htmx, cancel, retry and
the download of its result.

Members of the organisation who may do a job's kind (``KIND_PERMS``); another organisation's
slug or job is a 404, a member without any of those permissions gets 403 before any job is
looked up.
"""

import json
import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import OperationalError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from meerwaarde.accounts.permissions import has_org_perm
from meerwaarde.jobs import selectors, services
from meerwaarde.jobs.constants import KIND_PERMS, JobStatus
from meerwaarde.jobs.models import Job
from meerwaarde.jobs.presentation import job_state, safe_next
from meerwaarde.organisations.models import Organisation
from meerwaarde.organisations.selectors import membership_get_for_user

PAGE_SIZE = 20


def _access(request: HttpRequest, slug: str) -> tuple[Organisation, list[str]]:
    """The organisation and the job kinds this member may see; 403 when none."""
    membership = membership_get_for_user(user=request.user, slug=slug)
    kinds = [kind for kind, perm in KIND_PERMS.items() if has_org_perm(membership.role, perm)]
    if not kinds:
        raise PermissionDenied
    return membership.organisation, kinds


def _job(request: HttpRequest, slug: str, pk: int) -> Job:
    organisation, kinds = _access(request, slug)
    job = selectors.job_get(organisation=organisation, pk=pk)
    if job.kind not in kinds:
        raise PermissionDenied
    return job


@login_required
@require_GET
def job_list(request: HttpRequest, slug: str) -> HttpResponse:
    organisation, kinds = _access(request, slug)
    page = Paginator(selectors.jobs_for(organisation=organisation, kinds=kinds), PAGE_SIZE)
    page_obj = page.get_page(request.GET.get("pagina"))
    rows = [job_state(job) for job in page_obj]
    return render(
        request, "jobs/list.html", {"organisation": organisation, "page": page_obj, "rows": rows}
    )


@login_required
@require_GET
def job_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    job = _job(request, slug, pk)
    return render(request, "jobs/detail.html", {"organisation": job.organisation, "job": job})


@login_required
@require_GET
def job_progress(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """For htmx, every second while the job is queued or running: the fragment again, plus
    (out of band) the live region's sentence when it changed since ``?stand=`` and the
    buttons when they changed since ``?knoppen=``. The answer that stops the polling also
    triggers the htmx event ``mw-job-ended``."""
    job = _job(request, slug, pk)
    state = job_state(job, next_url=request.GET.get("terug"))
    response = render(
        request,
        "jobs/_progress_poll.html",
        {
            "state": state,
            "job": job,
            "changed": request.GET.get("stand") != state.key,
            "actions_changed": request.GET.get("knoppen") != state.actions_key,
        },
    )
    response["Cache-Control"] = "no-store"
    if not state.progress.active:
        # The last poll: a page that shows what the job made (a report's files) can listen
        # for this event and fetch its part again, without polling on its own.
        response["HX-Trigger"] = json.dumps({"mw-job-ended": {"job": job.pk}})
    return response


def _back(request: HttpRequest, job: Job) -> HttpResponse:
    return redirect(
        safe_next(request.POST.get("next"))
        or reverse("jobs:detail", args=[job.organisation.slug, job.pk])
    )


@login_required
@require_POST
def job_cancel(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    job = _job(request, slug, pk)
    if job.in_progress:
        services.job_cancel(job=job)
        if job.status == JobStatus.CANCELLED:
            messages.info(request, _("De taak is geannuleerd."))
        else:
            messages.info(request, _("De taak wordt gestopt. Dat kan een paar seconden duren."))
    else:
        messages.info(request, _("De taak was al afgelopen."))
    return _back(request, job)


@login_required
@require_POST
def job_retry(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    job = _job(request, slug, pk)
    try:
        services.job_retry(job=job)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except OperationalError:
        # SQLite while another job's import holds the database for its whole run.
        messages.error(
            request,
            _("Het is nu te druk om de taak opnieuw te starten. Probeer het zo nog eens."),
        )
    else:
        messages.info(request, _("De taak staat opnieuw in de wachtrij."))
    return _back(request, job)


@login_required
@require_GET
def job_download(request: HttpRequest, slug: str, pk: int) -> FileResponse:
    job = _job(request, slug, pk)
    # A failed job may keep a file too: the whole of what went wrong (``JobFailed(file=...)``).
    if job.status not in (JobStatus.DONE, JobStatus.FAILED) or not job.result_file:
        raise Http404
    try:
        handle = job.result_file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    filename = job.result_filename
    content_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type=content_type
    )
    response["Cache-Control"] = "private, no-store"
    return response
