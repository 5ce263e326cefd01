"""The guided import: upload, map columns, map local names, preview (a dry run), import.

Coordinators and organisation admins (``Perm.IMPORT_EXPORT``); another organisation's slug
or upload is a 404. The import itself is a job (``upload_tasks.import_upload_task``); its
page shows the job's progress and, when it ends, what it did.
"""

import csv
import io
import uuid as uuid_lib
from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from meerwaarde.accounts.models import User
from meerwaarde.accounts.permissions import Perm
from meerwaarde.jobs.constants import JobKind, JobStatus
from meerwaarde.jobs.models import Job
from meerwaarde.jobs.services import job_cancel, job_start
from meerwaarde.offers.models import Offer
from meerwaarde.organisations.models import Organisation
from meerwaarde.organisations.selectors import membership_get_for_user
from meerwaarde.vocabulary.models import Concept

from . import flow
from .fields import ImportKind, fields_for
from .forms import KIND_HELP, ColumnMapForm, NameMapForm, StartForm, UploadForm, max_upload_bytes
from .models import OFFERS_SCHEME, ImportUpload, UploadStatus
from .reading import FileProblem
from .services import column_map_suggest, column_mappings_remember, concept_mapping_save
from .upload_tasks import import_check_task, import_upload_task
from .uploads import (
    reference_columns,
    upload_check_job,
    upload_discard,
    upload_get,
    upload_has_file,
    upload_mark_started,
    upload_settle,
    upload_store,
    upload_table,
    uploads_expire,
    uploads_recent,
)

RECENT = 5
PROBLEMS_PER_PAGE = 50
STEPS = [
    (1, gettext_lazy("Bestand kiezen")),
    (2, gettext_lazy("Kolommen koppelen")),
    (3, gettext_lazy("Eigen namen koppelen")),
    (4, gettext_lazy("Controle")),
    (5, gettext_lazy("Inlezen")),
]


def request_user(request: HttpRequest) -> User:
    # Every view here is behind login_required.
    return cast(User, request.user)


def import_organisation(request: HttpRequest, slug: str) -> Organisation:
    return membership_get_for_user(
        user=request_user(request), slug=slug, perm=Perm.IMPORT_EXPORT
    ).organisation


def _upload(request: HttpRequest, slug: str, uuid: uuid_lib.UUID) -> ImportUpload:
    return upload_get(organisation=import_organisation(request, slug), uuid=uuid)


def _in_flow(upload: ImportUpload) -> bool:
    """Whether the mapping and preview steps still apply: not started, file still there."""
    return upload.status in (UploadStatus.UPLOADED, UploadStatus.MAPPED) and upload_has_file(upload)


def _context(upload: ImportUpload, step: int, **extra) -> dict:
    return {
        "organisation": upload.organisation,
        "upload": upload,
        "step": step,
        "steps": STEPS,
        **extra,
    }


@login_required
@require_http_methods(["GET", "POST"])
def import_start(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = import_organisation(request, slug)
    uploads_expire(organisation=organisation)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            upload = upload_store(
                organisation=organisation,
                kind=form.cleaned_data["kind"],
                file=form.cleaned_data["file"],
                uploaded_by=request_user(request),
            )
        except FileProblem as problem:
            form.add_error("file", str(problem))
        else:
            return redirect("imports:columns", organisation.slug, upload.uuid)
    kinds = [
        {
            "value": kind,
            "label": label,
            "help": KIND_HELP[kind],
            "fields": list(fields_for(kind).values()),
        }
        for kind, label in ImportKind.choices
    ]
    return render(
        request,
        "imports/start.html",
        {
            "organisation": organisation,
            "form": form,
            "kinds": kinds,
            "max_upload": max_upload_bytes(),
            "recent": uploads_recent(organisation=organisation)[:RECENT],
            "step": 1,
            "steps": STEPS,
        },
    )


@login_required
@require_GET
def import_template(request: HttpRequest, slug: str, kind: str) -> HttpResponse:
    import_organisation(request, slug)
    if kind not in ImportKind.values:
        raise Http404
    response = HttpResponse(flow.template_csv(kind), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="voorbeeld-{kind}.csv"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def import_columns(request: HttpRequest, slug: str, uuid: uuid_lib.UUID) -> HttpResponse:
    upload = _upload(request, slug, uuid)
    if not _in_flow(upload):
        return redirect("imports:detail", slug, upload.uuid)
    try:
        with upload_table(upload) as table:
            columns = list(table.columns)
    except FileProblem as problem:
        upload_discard(upload=upload)
        messages.error(request, str(problem))
        return redirect("imports:start", slug)
    initial = upload.column_map or column_map_suggest(
        organisation=upload.organisation, kind=upload.kind, columns=columns
    )
    form = ColumnMapForm(
        request.POST or None,
        kind=upload.kind,
        columns=columns,
        initial_map=initial,
        answer_codes=flow.answer_codes(upload.organisation),
    )
    if request.method == "POST" and form.is_valid():
        upload.column_map = form.cleaned_data["column_map"]
        upload.status = UploadStatus.MAPPED
        upload.save(update_fields=["column_map", "status", "updated_at"])
        return redirect("imports:names", slug, upload.uuid)
    specs = fields_for(upload.kind)
    return render(
        request,
        "imports/columns.html",
        _context(upload, 2, form=form, required=[s for s in specs.values() if s.required]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def import_names(request: HttpRequest, slug: str, uuid: uuid_lib.UUID) -> HttpResponse:
    upload = _upload(request, slug, uuid)
    if not _in_flow(upload):
        return redirect("imports:detail", slug, upload.uuid)
    if upload.status != UploadStatus.MAPPED:
        return redirect("imports:columns", slug, upload.uuid)
    try:
        names, cut = flow.unknown_names(upload)
    except FileProblem as problem:
        messages.error(request, str(problem))
        return redirect("imports:preview", slug, upload.uuid)
    if not names:
        return redirect("imports:preview", slug, upload.uuid)
    organisation = upload.organisation
    choices = {
        scheme: flow.name_choices(organisation, scheme) for scheme in {n.scheme for n in names}
    }
    for item in names:
        item.suggestions = flow.name_suggestions(organisation, item, choices[item.scheme])
    form = NameMapForm(request.POST or None, names=names, choices=choices)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                for item, value in form.chosen():
                    target = _target(organisation, item.scheme, value)
                    concept_mapping_save(
                        organisation=organisation,
                        scheme=item.scheme,
                        local_name=item.name,
                        created_by=request_user(request),
                        **target,
                    )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            return redirect("imports:preview", slug, upload.uuid)
    return render(request, "imports/names.html", _context(upload, 3, form=form, cut=cut))


def _target(organisation: Organisation, scheme: str, value: str) -> dict:
    if scheme == OFFERS_SCHEME:
        return {"offer": Offer.objects.filter(organisation=organisation, pk=value).first()}
    return {"concept": Concept.objects.filter(pk=value).select_related("scheme").first()}


@login_required
@require_http_methods(["GET", "POST"])
def import_preview(request: HttpRequest, slug: str, uuid: uuid_lib.UUID) -> HttpResponse:
    upload = _upload(request, slug, uuid)
    if not _in_flow(upload):
        return redirect("imports:detail", slug, upload.uuid)
    if upload.status != UploadStatus.MAPPED:
        return redirect("imports:columns", slug, upload.uuid)
    try:
        shown = flow.preview(upload, user=request_user(request))
    except FileProblem as problem:
        upload_discard(upload=upload)
        messages.error(request, str(problem))
        return redirect("imports:start", slug)
    result = shown.result
    problems = len(result.problems) if result else 0
    form = StartForm(request.POST or None, problems=problems)
    can_start = result is not None and not result.file_problem
    if request.method == "POST" and can_start and form.is_valid():
        on_error = form.cleaned_data["on_error"]
        organisation = upload.organisation
        check = upload_check_job(upload)
        if check is not None and check.in_progress:
            job_cancel(job=check)  # the import reads every row itself
        with transaction.atomic():
            column_mappings_remember(
                organisation=organisation,
                kind=upload.kind,
                column_map=upload.column_map,
                created_by=request_user(request),
            )
            job = job_start(
                organisation=organisation,
                kind=JobKind.IMPORT,
                title=_("Import van %(name)s (%(kind)s)") % _names(upload),
                created_by=request_user(request),
                task=import_upload_task,
                payload=_job_payload(upload, on_error=on_error),
            )
            upload_mark_started(upload=upload, job=job, on_error=on_error)
        return redirect("imports:detail", slug, upload.uuid)
    page = Paginator(result.problems if result else [], PROBLEMS_PER_PAGE).get_page(
        request.GET.get("pagina")
    )
    return render(
        request,
        "imports/preview.html",
        _context(
            upload,
            4,
            form=form,
            shown=shown,
            result=result,
            page=page,
            can_start=can_start,
            limit=flow.PREVIEW_ROWS,
            first_rows=flow.FIRST_ROWS,
            masks_reference=bool(reference_columns(upload.column_map)),
            **_check_context(upload_check_job(upload)),
        ),
    )


def _names(upload: ImportUpload) -> dict[str, str]:
    return {"name": upload.original_name, "kind": upload.get_kind_display().lower()}


def _job_payload(upload: ImportUpload, **options: object) -> dict:
    """What the import task reads (``tasks.import_task``): the file, its kind and mapping."""
    return {
        "path": upload.stored_path,
        "filename": upload.original_name,
        "kind": upload.kind,
        "column_map": upload.column_map,
        "upload": upload.pk,
        **options,
    }


def _check_context(check: Job | None) -> dict:
    """The full check as the pages show it: the job, the rows it read and its problems."""
    if check is None:
        return {"check": None}
    payload = check.payload or {}
    return {
        "check": check,
        "check_read": (payload.get("result") or {}).get("read", check.done),
        "check_problems": payload.get("problems", 0),
    }


@login_required
@require_POST
def import_check(request: HttpRequest, slug: str, uuid: uuid_lib.UUID) -> HttpResponse:
    """Start the full check: a dry run of every row as a job; its page is the import's."""
    upload = _upload(request, slug, uuid)
    if not _in_flow(upload):
        return redirect("imports:detail", slug, upload.uuid)
    if upload.status != UploadStatus.MAPPED:
        return redirect("imports:columns", slug, upload.uuid)
    check = upload_check_job(upload)
    if check is None or not check.in_progress:
        job_start(
            organisation=upload.organisation,
            kind=JobKind.IMPORT,
            title=_("Controle van %(name)s (%(kind)s)") % _names(upload),
            created_by=request_user(request),
            task=import_check_task,
            payload=_job_payload(upload, on_error="all_or_nothing", dry_run=True),
        )
    return redirect("imports:detail", slug, upload.uuid)


@login_required
@require_GET
def import_detail(request: HttpRequest, slug: str, uuid: uuid_lib.UUID) -> HttpResponse:
    upload = _upload(request, slug, uuid)
    checking: dict = {}
    if upload.job is not None:
        upload_settle(upload=upload)  # in case the worker could not (cancelled while queued)
    elif _in_flow(upload):
        # Before the import, this page follows the full check of the file, if one was asked.
        checking = _check_context(upload_check_job(upload))
        if checking["check"] is None:
            return redirect("imports:columns", slug, upload.uuid)
    job = upload.job
    skipped = None
    if job is not None and job.status == JobStatus.DONE and job.result_file:
        skipped = _rows_in(job)
    response = render(
        request,
        "imports/detail.html",
        _context(
            upload,
            4 if checking else 5,
            job=job,
            skipped=skipped,
            result=(job.payload or {}).get("result") if job else None,
            problems=(job.payload or {}).get("problems", 0) if job else 0,
            blanked=bool(reference_columns(upload.column_map)),
            **checking,
        ),
    )
    response["Cache-Control"] = "no-store"
    return response


def _rows_in(job) -> int | None:
    try:
        with job.result_file.open("rb") as handle:
            text = handle.read().decode("utf-8-sig")
    except FileNotFoundError:
        return None
    return max(0, sum(1 for _row in csv.reader(io.StringIO(text), delimiter=";")) - 1)


@login_required
@require_POST
def import_discard(request: HttpRequest, slug: str, uuid: uuid_lib.UUID) -> HttpResponse:
    upload = _upload(request, slug, uuid)
    if upload.status in (UploadStatus.UPLOADED, UploadStatus.MAPPED):
        upload_discard(upload=upload)
        messages.info(request, _("Het bestand is verwijderd; er is niets ingelezen."))
    return redirect("imports:start", slug)
