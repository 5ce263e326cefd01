"""The dashboard as a partner or the public sees it: the owner's figures for fixed filters,
always through ``bundling.figures.shareable_figures``, never the raw ``analysis_figures``.

Filters are kept as the dashboard's query string takes them (``{"aanbod": "12", "van":
"2025-01"}``) and checked with the dashboard's own form, so a grant means exactly what the
owner saw when choosing them.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from meerwaarde.analysis.formatting import month_label
from meerwaarde.analysis.forms import MONTH_FORMAT, ResultsFilterForm
from meerwaarde.analysis.selectors import Figures, Selection, analysis_figures
from meerwaarde.organisations.models import Organisation


def filters_clean(*, organisation: Organisation, filters: dict | None) -> dict[str, str]:
    """The filters in their stored form; ValidationError keyed by the form's field names.

    Unknown keys are dropped, empty ones too: ``{}`` is the whole organisation.
    """
    data = {k: v for k, v in (filters or {}).items() if v not in (None, "")}
    if not data:
        return {}
    form = ResultsFilterForm(data, organisation=organisation)
    if not form.is_valid():
        raise ValidationError(
            {name: [str(e) for e in errors] for name, errors in form.errors.items()}
        )
    clean: dict[str, str] = {}
    for name, value in form.cleaned_data.items():
        if value is None:
            continue
        if isinstance(value, datetime.date):
            clean[name] = value.strftime(MONTH_FORMAT)
        else:
            clean[name] = str(value.pk)
    return clean


def selection_for(*, organisation: Organisation, filters: dict) -> Selection | None:
    """The owner's selection for stored filters, or None when they no longer hold (an offer
    deleted, a concept retired): dropping a filter would show more than was shared."""
    if not filters:
        return Selection(organisation=organisation)
    form = ResultsFilterForm(filters, organisation=organisation)
    if not form.is_valid():
        return None
    return form.selection()


def shared_figures(*, organisation: Organisation, filters: dict) -> Figures | None:
    """The suppressed figures of the owner's dashboard for ``filters``; None as above."""
    from meerwaarde.bundling.figures import shareable_figures

    selection = selection_for(organisation=organisation, filters=filters)
    if selection is None:
        return None
    return shareable_figures(figures=analysis_figures(selection=selection))


@dataclass(frozen=True)
class FilterText:
    label: str
    value: str


def filters_described(*, organisation: Organisation, filters: dict) -> list[FilterText]:
    """The filters in words, for the grant list and the partner's page."""
    selection = selection_for(organisation=organisation, filters=filters)
    if selection is None:
        return [FilterText(_("Filters"), _("niet meer geldig"))]
    parts = []
    if selection.offer is not None:
        parts.append(FilterText(_("Aanbod"), selection.offer.name))
    for label, concept in (
        (_("Soort interventie"), selection.intervention_type),
        (_("Thema van het aanbod"), selection.theme),
        (_("Doelgroep van het aanbod"), selection.target_group),
    ):
        if concept is not None:
            parts.append(FilterText(label, concept.pref_label_nl))
    if selection.start is not None or selection.end is not None:
        first = month_label(selection.start) if selection.start else _("het begin")
        last = month_label(selection.end) if selection.end else _("nu")
        parts.append(
            FilterText(
                _("Periode"), _("%(first)s tot en met %(last)s") % {"first": first, "last": last}
            )
        )
    return parts
