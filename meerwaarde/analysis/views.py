"""The organisation's results: the dashboard and its tables as CSV.

Coordinators and organisation admins only (VIEW_RESULTS): a worker gets 403, another
organisation's slug is a 404. The figures are always those of the user's own organisation.
"""

import csv

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from meerwaarde.accounts.permissions import Perm
from meerwaarde.analysis import presentation
from meerwaarde.analysis.forms import ResultsFilterForm
from meerwaarde.analysis.selectors import Figures, analysis_figures
from meerwaarde.core.spreadsheets import neutralise
from meerwaarde.organisations.models import Organisation
from meerwaarde.organisations.selectors import membership_get_for_user


def _figures(request: HttpRequest, slug: str) -> tuple[Organisation, ResultsFilterForm, Figures]:
    membership = membership_get_for_user(user=request.user, slug=slug, perm=Perm.VIEW_RESULTS)
    organisation = membership.organisation
    filters = {k: v for k, v in request.GET.items() if k != "tabel"}
    form = ResultsFilterForm(filters or None, organisation=organisation)
    return organisation, form, analysis_figures(selection=form.selection())


@login_required
@require_GET
def dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    organisation, form, figures = _figures(request, slug)
    query = request.GET.copy()
    query.pop("tabel", None)
    board = presentation.dashboard(figures)
    return render(
        request,
        "analysis/dashboard.html",
        {
            "organisation": organisation,
            "form": form,
            "figures": figures,
            "board": board,
            "has_movements": any(section.movements for section in board.instruments),
            "query": query.urlencode(),
        },
    )


@login_required
@require_GET
def csv_download(request: HttpRequest, slug: str) -> HttpResponse:
    """One table of the dashboard, with its filters, for Dutch Excel: UTF-8 with a byte order
    mark (or Excel guesses the encoding wrong) and semicolons (the comma is the decimal sign)."""
    name = request.GET.get("tabel", "")
    if name not in presentation.CSV_TABLES:
        raise Http404
    organisation, _form, figures = _figures(request, slug)
    table = presentation.csv_table(figures, name)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="resultaten-{organisation.slug}-{name}.csv"'
    )
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";", lineterminator="\r\n")
    writer.writerow([neutralise(text) for text in table.columns])
    writer.writerows([neutralise(text) for text in row] for row in table.rows)
    return response
