"""The activity pages: a year overview per offer and month, the month form, delete.

Workers and up see and enter. Another organisation's offer or record is a 404 (the
selectors), as is a month that has not started yet.
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from meerwaarde.accounts.permissions import Perm, has_org_perm
from meerwaarde.activities import selectors, services
from meerwaarde.activities.forms import ActivityForm, initial_for
from meerwaarde.core.forms import apply_validation_error
from meerwaarde.offers import selectors as offer_selectors
from meerwaarde.organisations.models import Membership
from meerwaarde.organisations.selectors import membership_get_for_user

PAGE_SIZE = 25
FIRST_YEAR = 2000


def _membership(request: HttpRequest, slug: str, perm: Perm) -> Membership:
    return membership_get_for_user(user=request.user, slug=slug, perm=perm)


def _month_label(month: datetime.date) -> str:
    return date_format(month, "F Y")


def _year(value: str | None, today: datetime.date) -> int:
    try:
        year = int(value or today.year)
    except ValueError:
        return today.year
    return min(max(year, FIRST_YEAR), today.year)


@login_required
@require_GET
def overview(request: HttpRequest, slug: str) -> HttpResponse:
    membership = _membership(request, slug, Perm.VIEW_PARTICIPANTS)
    organisation = membership.organisation
    today = timezone.localdate()
    year = _year(request.GET.get("jaar"), today)
    page = Paginator(
        selectors.activity_overview_offers(organisation=organisation, year=year), PAGE_SIZE
    ).get_page(request.GET.get("pagina"))
    offers = list(page.object_list)
    filled = selectors.activity_filled_months(organisation=organisation, year=year, offers=offers)
    months = [datetime.date(year, number, 1) for number in range(1, 13)]
    rows = [
        {
            "offer": offer,
            "cells": [
                {
                    "month": month,
                    "label": _month_label(month),
                    "record": filled.get(offer.pk, {}).get(month.month),
                    "open": month <= today,
                }
                for month in months
            ],
        }
        for offer in offers
    ]
    filled_per_month = [
        sum(1 for offer in offers if month.month in filled.get(offer.pk, {})) for month in months
    ]
    return render(
        request,
        "activities/overview.html",
        {
            "organisation": organisation,
            "year": year,
            "previous_year": year - 1 if year > FIRST_YEAR else None,
            "next_year": year + 1 if year < today.year else None,
            "years": sorted(
                {today.year, year, *selectors.activity_years(organisation=organisation)},
                reverse=True,
            ),
            "has_offers": offer_selectors.offer_list(organisation=organisation).exists(),
            "months": months,
            "rows": rows,
            "filled_per_month": filled_per_month,
            "page": page,
            "can_record": has_org_perm(membership.role, Perm.RECORD_ACTIVITIES),
            "can_manage_offers": has_org_perm(membership.role, Perm.MANAGE_OFFERS),
        },
    )


def _overview_url(slug: str, month: datetime.date) -> str:
    return f"{reverse('activities:overview', kwargs={'slug': slug})}?jaar={month.year}"


@login_required
@require_http_methods(["GET", "POST"])
def record_form(
    request: HttpRequest, slug: str, offer_pk: int, year: int, month: int
) -> HttpResponse:
    """Enter or correct one month of one offer; on an error everything typed comes back."""
    membership = _membership(request, slug, Perm.RECORD_ACTIVITIES)
    organisation = membership.organisation
    offer = offer_selectors.offer_get(organisation=organisation, pk=offer_pk)
    try:
        first = datetime.date(year, month, 1)
    except ValueError:
        raise Http404 from None
    if first > timezone.localdate() or year < FIRST_YEAR:
        raise Http404
    record = selectors.activity_record_find(organisation=organisation, offer=offer, month=first)
    data = request.POST if request.method == "POST" else None
    form = ActivityForm(
        data,
        initial=initial_for(record) if record is not None else {},
        concepts=selectors.activity_form_concepts(record=record),
    )
    if data is not None and form.is_valid():
        try:
            services.activity_record_save(
                organisation=organisation,
                offer=offer,
                month=first,
                recorded_by=request.user,
                **form.service_fields(),
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request,
                _("De activiteiten van ‘%(offer)s’ in %(month)s zijn opgeslagen.")
                % {"offer": offer.name, "month": _month_label(first)},
            )
            return redirect(_overview_url(slug, first))
    return render(
        request,
        "activities/form.html",
        {
            "organisation": organisation,
            "offer": offer,
            "month": first,
            "month_label": _month_label(first),
            "record": record,
            "form": form,
            "overview_url": _overview_url(slug, first),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    membership = _membership(request, slug, Perm.RECORD_ACTIVITIES)
    record = selectors.activity_record_get(organisation=membership.organisation, pk=pk)
    label = _month_label(record.month)
    if request.method == "POST":
        services.activity_record_delete(record=record)
        messages.success(
            request,
            _("De activiteiten van ‘%(offer)s’ in %(month)s zijn verwijderd.")
            % {"offer": record.offer.name, "month": label},
        )
        return redirect(_overview_url(slug, record.month))
    return render(
        request,
        "activities/delete.html",
        {"organisation": membership.organisation, "record": record, "month_label": label},
    )
