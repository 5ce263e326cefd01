"""Restoring an export ("Export inlezen"): the upload of the zip, then its job's page.

Coordinators and organisation admins (``Perm.IMPORT_EXPORT``); another organisation's slug
or job is a 404, and so is a job that is not a restore.
"""

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from meerwaarde.jobs.selectors import job_get

from .fields import ImportKind
from .forms import RestoreForm, max_upload_bytes
from .restore import STEPS
from .restore_own import INSTRUMENTS
from .restore_tasks import restore_start
from .views import import_organisation, request_user


@login_required
@require_http_methods(["GET", "POST"])
def restore_upload(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = import_organisation(request, slug)
    form = RestoreForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            job = restore_start(
                organisation=organisation,
                file=form.cleaned_data["file"],
                user=request_user(request),
            )
        return redirect("imports:restore_detail", organisation.slug, job.pk)
    return render(
        request,
        "imports/restore.html",
        {"organisation": organisation, "form": form, "max_upload": max_upload_bytes()},
    )


def _shown_tables() -> list[tuple[str, object, str]]:
    """The result's rows in the order the restore writes them: the import kinds' steps, with
    the own instruments before them and the GAS goals after the measurements."""
    rows: list[tuple[str, object, str]] = [
        (INSTRUMENTS, gettext_lazy("Eigen meetinstrumenten"), INSTRUMENTS)
    ]
    for kind, file in STEPS:
        rows.append((kind, ImportKind(kind).label, file))
        if kind == ImportKind.MEASUREMENTS:
            rows.append(("doelen", gettext_lazy("Doelen van trajecten (GAS)"), "doelen"))
    return rows


@login_required
@require_GET
def restore_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation = import_organisation(request, slug)
    job = job_get(organisation=organisation, pk=pk)
    payload = job.payload or {}
    if payload.get("restore") is not True:
        raise Http404
    result = payload.get("result") or {}
    counts = result.get("counts", {})
    tables = [
        {"kind": key, "label": label, "file": f"{file}.csv", **counts[key]}
        for key, label, file in _shown_tables()
        if key in counts
    ]
    response = render(
        request,
        "imports/restore_detail.html",
        {
            "organisation": organisation,
            "job": job,
            "tables": tables,
            "left_out": result.get("left_out", {}),
            "problems": payload.get("problems", 0),
        },
    )
    response["Cache-Control"] = "no-store"
    return response
