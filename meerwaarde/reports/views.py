"""Accountability reports: the list, the form, the report page with its progress, downloads.

Rendering runs as a ``jobs`` Job: the report page embeds the job's progress fragment (which
polls, cancels and retries through ``jobs``) and fetches its files part again when the job's
last poll triggers ``mw-job-ended``.

Coordinators and organisation admins (VIEW_RESULTS); another organisation's slug or report is
a 404. A partner sees a shared report through ``shared_report``, which sharing's partner area
calls with the grant it checked; the partner's downloads check the grant again.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from meerwaarde.accounts.permissions import Perm, has_org_perm
from meerwaarde.core.forms import apply_validation_error
from meerwaarde.organisations.active import active_membership
from meerwaarde.organisations.models import Organisation
from meerwaarde.organisations.selectors import membership_get_for_user
from meerwaarde.reports import selectors, services
from meerwaarde.reports.constants import ReportFormat
from meerwaarde.reports.content import period_label
from meerwaarde.reports.forms import ReportForm, initial_for, story_formset
from meerwaarde.reports.models import Report

PAGE_SIZE = 20
_CONTENT_TYPES = {
    ReportFormat.PDF: "application/pdf",
    ReportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ReportFormat.CSV: "application/zip",
}
_EXTENSIONS = {ReportFormat.PDF: "pdf", ReportFormat.XLSX: "xlsx", ReportFormat.CSV: "zip"}


def _organisation(request: HttpRequest, slug: str) -> Organisation:
    return membership_get_for_user(
        user=request.user, slug=slug, perm=Perm.VIEW_RESULTS
    ).organisation


@login_required
@require_GET
def report_list(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _organisation(request, slug)
    page = Paginator(selectors.report_list(organisation=organisation), PAGE_SIZE).get_page(
        request.GET.get("pagina")
    )
    return render(request, "reports/list.html", {"organisation": organisation, "page": page})


def _form_page(request: HttpRequest, organisation: Organisation, report: Report | None):
    posted = request.method == "POST"
    more = posted and "verhaal_toevoegen" in request.POST
    form = ReportForm(
        request.POST if posted else None,
        organisation=organisation,
        initial=initial_for(report) if report is not None else None,
    )
    stories = story_formset(request.POST if posted else None, report=report, more=more)
    if posted and not more and form.is_valid() and stories.is_valid():
        data = form.cleaned_data
        fields = {
            "title": data["title"],
            "funder": data["funder"],
            "funder_name": data["funder_name"],
            "start": data["start"],
            "end": data["end"],
            "offers": list(data["offers"]),
            "include_programmes": data["include_programmes"],
            "stories": stories.stories(),
        }
        try:
            if report is None:
                report = services.report_create(
                    organisation=organisation, created_by=request.user, **fields
                )
                messages.success(request, _("De verantwoording is opgeslagen als concept."))
            else:
                report = services.report_update(report=report, **fields)
                messages.success(
                    request, _("De wijzigingen zijn opgeslagen. Maak de bestanden opnieuw.")
                )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            return redirect("reports:detail", slug=organisation.slug, pk=report.pk)
    return render(
        request,
        "reports/form.html",
        {
            "organisation": organisation,
            "report": report,
            "form": form,
            "stories": stories,
            "show_errors": posted and not more,
        },
        status=200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def report_create(request: HttpRequest, slug: str) -> HttpResponse:
    return _form_page(request, _organisation(request, slug), None)


@login_required
@require_http_methods(["GET", "POST"])
def report_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation = _organisation(request, slug)
    report = selectors.report_get(organisation=organisation, pk=pk)
    return _form_page(request, organisation, report)


def _content_html(report: Report) -> str:
    """The stored page fragment of the last rendering: our own template's output."""
    if not report.is_ready or not report.html_file:
        return ""
    try:
        with report.html_file.open("rb") as handle:
            return mark_safe(handle.read().decode("utf-8"))  # noqa: S308 - escaped when made
    except FileNotFoundError:
        return ""


def _page_context(report: Report) -> dict:
    return {
        "report": report,
        "organisation": report.organisation,
        "period": period_label(report),
        "offers": list(report.offers.order_by("name", "pk")),
        "stories": list(report.stories.all()),
        "content_html": _content_html(report),
        "formats": ReportFormat,
    }


@login_required
@require_GET
def report_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation = _organisation(request, slug)
    report = selectors.report_get(organisation=organisation, pk=pk)
    context = _page_context(report)
    context["downloads"] = _own_downloads(report)
    return render(request, "reports/detail.html", context)


def _own_downloads(report: Report) -> list[tuple[str, str]]:
    return [
        (fmt.label, reverse("reports:download", args=[report.organisation.slug, report.pk, fmt]))
        for fmt in ReportFormat
        if report.is_ready and report.file_for(fmt)
    ]


@login_required
@require_POST
def report_render(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation = _organisation(request, slug)
    report = selectors.report_get(organisation=organisation, pk=pk)
    try:
        services.report_render_start(report=report, created_by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.info(
            request,
            _("De verantwoording staat in de wachtrij. U ziet hier hoe ver het maken is."),
        )
    return redirect("reports:detail", slug=organisation.slug, pk=report.pk)


def _file_response(report: Report, fmt: str) -> FileResponse:
    if fmt not in ReportFormat.values or not report.is_ready:
        raise Http404
    field = report.file_for(fmt)
    if field is None:
        raise Http404
    try:
        handle = field.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    kind = ReportFormat(fmt)
    filename = f"{slugify(report.title)[:60] or 'verantwoording'}.{_EXTENSIONS[kind]}"
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type=_CONTENT_TYPES[kind]
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def report_download(request: HttpRequest, slug: str, pk: int, fmt: str) -> FileResponse:
    organisation = _organisation(request, slug)
    return _file_response(selectors.report_get(organisation=organisation, pk=pk), fmt)


# For partners ----------------------------------------------------------------------------


def shared_report(request: HttpRequest, grant) -> HttpResponse:
    """The report page for a partner, for an active report grant that sharing has checked.

    Only the report's suppressed content and files; downloads go through
    ``shared_download``, which checks the grant again.
    """
    report = grant.report
    if report is None:
        raise Http404
    context = _page_context(report)
    context["grant"] = grant
    context["downloads"] = [
        (fmt.label, reverse("shared_reports:download", args=[grant.pk, fmt]))
        for fmt in ReportFormat
        if report.is_ready and report.file_for(fmt)
    ]
    return render(request, "reports/shared.html", context)


@login_required
@require_GET
def shared_download(request: HttpRequest, grant_pk: int, fmt: str) -> FileResponse:
    membership = active_membership(request)
    if membership is None or not has_org_perm(membership.role, Perm.VIEW_SHARED):
        raise Http404
    grant = selectors.report_grant_for_partner(partner=membership.organisation, grant_pk=grant_pk)
    return _file_response(grant.report, fmt)
