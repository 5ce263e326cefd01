"""The export page: choose a format, start the export as a background job, see the last ones.

Coordinators and organisation admins (``Perm.IMPORT_EXPORT``); another organisation's slug
is a 404. The job's own page (``jobs``) shows its progress and offers the download.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from meerwaarde.accounts.permissions import Perm
from meerwaarde.exports.forms import ExportForm
from meerwaarde.exports.tables import TABLES
from meerwaarde.exports.tasks import export_task
from meerwaarde.jobs.constants import JobKind
from meerwaarde.jobs.selectors import jobs_for
from meerwaarde.jobs.services import job_start
from meerwaarde.organisations.selectors import membership_get_for_user

RECENT = 5


@login_required
@require_http_methods(["GET", "POST"])
def export_start(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = membership_get_for_user(
        user=request.user, slug=slug, perm=Perm.IMPORT_EXPORT
    ).organisation
    form = ExportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        fmt = form.cleaned_data["fmt"]
        title = (
            _("Export van alle gegevens (CSV-bestanden)")
            if fmt == "csv"
            else _("Export van alle gegevens (Excel)")
        )
        job = job_start(
            organisation=organisation,
            kind=JobKind.EXPORT,
            title=title,
            created_by=request.user,
            task=export_task,
            payload={"fmt": fmt},
        )
        return redirect("jobs:detail", organisation.slug, job.pk)
    recent = jobs_for(organisation=organisation, kind=JobKind.EXPORT)[:RECENT]
    return render(
        request,
        "exports/start.html",
        {"organisation": organisation, "form": form, "tables": TABLES, "recent": recent},
    )
