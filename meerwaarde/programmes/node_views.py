"""The steps of a programme's results chain: add, change, remove, and per year the targets and
(for a step without a data source) the values with their source. MANAGE_PROGRAMMES only;
another organisation's programme or step is a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from meerwaarde.accounts.permissions import Perm
from meerwaarde.core.forms import apply_validation_error
from meerwaarde.programmes import selectors, services
from meerwaarde.programmes.constants import DataSource, Level
from meerwaarde.programmes.forms import (
    ManualValuesForm,
    NodeForm,
    TargetsForm,
    manual_initial,
    node_initial,
    targets_initial,
)
from meerwaarde.programmes.models import Programme, ResultNode
from meerwaarde.programmes.views import membership_for


def _programme(request: HttpRequest, slug: str, pk: int) -> Programme:
    membership = membership_for(request, slug, Perm.MANAGE_PROGRAMMES)
    return selectors.programme_get(organisation=membership.organisation, pk=pk)


def _chain_url(programme: Programme, node: ResultNode | None = None) -> str:
    url = reverse(
        "programmes:detail", kwargs={"slug": programme.organisation.slug, "pk": programme.pk}
    )
    return f"{url}#stap-{node.pk}" if node is not None else url


def _node_form_page(
    request: HttpRequest, *, programme: Programme, node: ResultNode | None
) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    if node is not None:
        initial = node_initial(node)
    else:
        level = request.GET.get("niveau", "")
        initial = {"level": level if level in Level.values else Level.OUTPUT}
    choices = selectors.binding_choices(organisation=programme.organisation)
    form = NodeForm(data, initial=initial, programme=programme, choices=choices, node=node)
    if data is not None and form.is_valid():
        try:
            if node is None:
                node = services.node_create(programme=programme, **form.service_fields())
                message = _("De stap ‘%(title)s’ is toegevoegd. Vul nu de doelen per jaar in.")
            else:
                node = services.node_update(node=node, **form.service_fields())
                message = _("De stap ‘%(title)s’ is opgeslagen.")
        except ValidationError as error:
            if hasattr(error, "error_dict") and "instrument" in error.error_dict:
                error.error_dict["scale"] = error.error_dict.pop("instrument")
            apply_validation_error(form, error)
        else:
            messages.success(request, message % {"title": node.title})
            return redirect(
                "programmes:node_values",
                slug=programme.organisation.slug,
                pk=programme.pk,
                node_pk=node.pk,
            )
    return render(
        request,
        "programmes/node_form.html",
        {
            "organisation": programme.organisation,
            "programme": programme,
            "node": node,
            "form": form,
            "cancel_url": _chain_url(programme, node),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def node_create(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _node_form_page(request, programme=_programme(request, slug, pk), node=None)


@login_required
@require_http_methods(["GET", "POST"])
def node_edit(request: HttpRequest, slug: str, pk: int, node_pk: int) -> HttpResponse:
    programme = _programme(request, slug, pk)
    node = selectors.node_get(programme=programme, pk=node_pk)
    return _node_form_page(request, programme=programme, node=node)


@login_required
@require_http_methods(["GET", "POST"])
def node_delete(request: HttpRequest, slug: str, pk: int, node_pk: int) -> HttpResponse:
    programme = _programme(request, slug, pk)
    node = selectors.node_get(programme=programme, pk=node_pk)
    if request.method == "POST":
        services.node_delete(node=node)
        messages.success(request, _("De stap ‘%(title)s’ is verwijderd.") % {"title": node.title})
        return redirect("programmes:detail", slug=slug, pk=programme.pk)
    return render(
        request,
        "programmes/node_delete.html",
        {"organisation": programme.organisation, "programme": programme, "node": node},
    )


@login_required
@require_http_methods(["GET", "POST"])
def node_values(request: HttpRequest, slug: str, pk: int, node_pk: int) -> HttpResponse:
    """Targets per year, and for a manual step the value per year with its source: one form
    each, both on this page (the button pressed says which is posted)."""
    programme = _programme(request, slug, pk)
    node = selectors.node_get(programme=programme, pk=node_pk)
    manual = node.source == DataSource.MANUAL
    posted = request.POST.get("onderdeel") if request.method == "POST" else None
    targets_form = TargetsForm(
        request.POST if posted == "doelen" else None, initial=targets_initial(node), node=node
    )
    values_form = (
        ManualValuesForm(
            request.POST if posted == "waarden" else None, initial=manual_initial(node), node=node
        )
        if manual
        else None
    )
    if posted == "doelen" and targets_form.is_valid():
        try:
            services.targets_set(node=node, targets=targets_form.targets())
        except ValidationError as error:
            apply_validation_error(targets_form, error)
        else:
            messages.success(request, _("De doelen zijn opgeslagen."))
            return redirect(request.path)
    elif (
        posted == "waarden"
        and values_form is not None
        and values_form.is_valid()
        and _save_manual_values(request, node, values_form)
    ):
        messages.success(request, _("De waarden zijn opgeslagen."))
        return redirect(request.path)
    return render(
        request,
        "programmes/node_values.html",
        {
            "organisation": programme.organisation,
            "programme": programme,
            "node": node,
            "targets_form": targets_form,
            "values_form": values_form,
            "chain_url": _chain_url(programme, node),
        },
    )


def _save_manual_values(request: HttpRequest, node: ResultNode, form: ManualValuesForm) -> bool:
    """Saves every year of the form; an error is shown on that year's fields and nothing of
    the form is kept half (one transaction)."""
    try:
        with transaction.atomic():
            for year in node.programme.years:
                value = form.cleaned_data.get(f"value_{year}")
                source = form.cleaned_data.get(f"source_{year}", "")
                if value is None:
                    services.manual_value_delete(node=node, year=year)
                    continue
                try:
                    services.manual_value_set(
                        node=node, year=year, value=value, source=source, entered_by=request.user
                    )
                except ValidationError as error:
                    names = {"value": f"value_{year}", "source": f"source_{year}"}
                    for field, errors in error.message_dict.items():
                        form.add_error(names.get(field), errors)
            if form.errors:
                raise ValidationError("")
    except ValidationError:
        return False
    return True
