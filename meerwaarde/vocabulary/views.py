"""Public thesaurus pages, editors' curation, and an organisation's local-name mappings."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from meerwaarde.accounts.permissions import Perm, has_org_perm, has_platform_perm
from meerwaarde.core.forms import apply_validation_error
from meerwaarde.organisations.models import Organisation
from meerwaarde.organisations.selectors import membership_get_for_user
from meerwaarde.vocabulary import selectors, services, skos
from meerwaarde.vocabulary.constants import ConceptStatus
from meerwaarde.vocabulary.forms import ConceptForm, LocalNameForm, mapping_scheme
from meerwaarde.vocabulary.history import history_rows
from meerwaarde.vocabulary.suggest import suggest_concepts

PAGE_SIZE = 50


def _is_editor(request: HttpRequest) -> bool:
    return has_platform_perm(request.user, Perm.CURATE_VOCABULARY)


def _require_editor(request: HttpRequest) -> None:
    if not _is_editor(request):
        raise PermissionDenied


# Public pages ---------------------------------------------------------------------------


@require_GET
def scheme_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    page = None
    if query:
        results = selectors.concept_list(query=query, status=ConceptStatus.ACCEPTED)
        page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(
        request,
        "vocabulary/scheme_list.html",
        {"schemes": selectors.scheme_list(), "query": query, "page": page},
    )


@require_GET
def scheme_detail(request: HttpRequest, scheme: str) -> HttpResponse:
    scheme_obj = selectors.scheme_get(code=scheme)
    is_editor = _is_editor(request)
    query = request.GET.get("q", "").strip()
    concepts = list(
        selectors.concept_list(
            scheme=scheme_obj,
            query=query,
            status=None if is_editor else ConceptStatus.ACCEPTED,
        )
    )
    # The tree when browsing; a flat list when searching (matches lose their parents).
    tree = [(c, 0) for c in concepts] if query else selectors.concept_tree(concepts=concepts)
    rows = [{"concept": c, "depth": depth, "prefix": "— " * depth} for c, depth in tree]
    # Larger pages than elsewhere: a hierarchy split over pages is hard to read.
    page = Paginator(rows, 2 * PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(
        request,
        "vocabulary/scheme_detail.html",
        {"scheme": scheme_obj, "page": page, "query": query, "is_editor": is_editor},
    )


@require_GET
def concept_detail(request: HttpRequest, code: str) -> HttpResponse:
    concept = selectors.concept_get(code=code)
    is_editor = _is_editor(request)
    if concept.is_draft and not is_editor:
        raise Http404
    narrower = concept.narrower.all().order_by("pref_label_nl")
    if not is_editor:
        narrower = narrower.filter(status=ConceptStatus.ACCEPTED)
    return render(
        request,
        "vocabulary/concept_detail.html",
        {
            "concept": concept,
            "ancestors": list(reversed(concept.ancestors())),
            "narrower": narrower,
            "is_editor": is_editor,
        },
    )


def _download(content: str, *, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=f"{content_type}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
def export_turtle(request: HttpRequest) -> HttpResponse:
    return _download(
        skos.export_turtle(), content_type="text/turtle", filename="meerwaarde-vocabulaire.ttl"
    )


@require_GET
def export_jsonld(request: HttpRequest) -> HttpResponse:
    return _download(
        skos.export_jsonld(),
        content_type="application/ld+json",
        filename="meerwaarde-vocabulaire.jsonld",
    )


# Curation (editors) -----------------------------------------------------------------------


@login_required
@require_GET
def curation(request: HttpRequest) -> HttpResponse:
    _require_editor(request)
    schemes = list(selectors.scheme_list())
    scheme_code = request.GET.get("lijst", "")
    status = request.GET.get("status", "")
    query = request.GET.get("q", "").strip()
    scheme = next((s for s in schemes if s.code == scheme_code), None)
    concepts = selectors.concept_list(
        scheme=scheme,
        query=query,
        status=status if status in ConceptStatus.values else None,
    )
    page = Paginator(concepts, PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(
        request,
        "vocabulary/curation.html",
        {
            "page": page,
            "schemes": schemes,
            "statuses": ConceptStatus.choices,
            "selected_scheme": scheme.code if scheme else "",
            "selected_status": status if status in ConceptStatus.values else "",
            "query": query,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def concept_create(request: HttpRequest) -> HttpResponse:
    _require_editor(request)
    form = ConceptForm(request.POST or None, initial={"scheme": request.GET.get("lijst")})
    if request.method == "POST" and form.is_valid():
        try:
            concept = services.concept_create(created_by=request.user, **form.service_fields())
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request, _("Begrip ‘%(label)s’ is aangemaakt.") % {"label": concept.pref_label_nl}
            )
            return redirect("vocabulary:concept_detail", code=concept.code)
    return render(request, "vocabulary/concept_form.html", {"form": form, "concept": None})


@login_required
@require_http_methods(["GET", "POST"])
def concept_edit(request: HttpRequest, code: str) -> HttpResponse:
    _require_editor(request)
    concept = selectors.concept_get(code=code)
    form = ConceptForm(request.POST or None, instance=concept)
    if request.method == "POST" and form.is_valid():
        try:
            services.concept_update(
                concept=concept,
                changed_by=request.user,
                change_reason=form.cleaned_data["change_reason"],
                **form.service_fields(),
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request, _("Begrip ‘%(label)s’ is opgeslagen.") % {"label": concept.pref_label_nl}
            )
            return redirect("vocabulary:concept_detail", code=concept.code)
    return render(request, "vocabulary/concept_form.html", {"form": form, "concept": concept})


@login_required
@require_GET
def concept_history(request: HttpRequest, code: str) -> HttpResponse:
    _require_editor(request)
    concept = selectors.concept_get(code=code)
    return render(
        request,
        "vocabulary/concept_history.html",
        {"concept": concept, "rows": history_rows(concept=concept)},
    )


# Local names of an organisation -----------------------------------------------------------


def _preselected(suggestions: list) -> str:
    """A remembered or clearly good first suggestion is ticked already; a doubtful one is not."""
    if suggestions and suggestions[0].score >= 85:
        return suggestions[0].concept.code
    return ""


def _suggest_for(data, *, organisation: Organisation) -> tuple[str, str | None, list]:
    """The typed local name, the chosen list and the suggestions for them."""
    local_name = data.get("local_name", "").strip()[:200]
    scheme = mapping_scheme(data.get("scheme"))
    suggestions = (
        suggest_concepts(local_name=local_name, organisation=organisation, scheme=scheme)
        if local_name
        else []
    )
    return local_name, scheme, suggestions


@login_required
@require_GET
def mapping_list(request: HttpRequest, org_slug: str) -> HttpResponse:
    membership = membership_get_for_user(user=request.user, slug=org_slug, perm=Perm.VIEW_MAPPINGS)
    organisation = membership.organisation
    query = request.GET.get("q", "").strip()
    mappings = selectors.mapping_list(organisation=organisation)
    if query:
        mappings = mappings.filter(local_name__icontains=query)
    page = Paginator(mappings, PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(
        request,
        "vocabulary/mapping_list.html",
        {
            "organisation": organisation,
            "page": page,
            "query": query,
            "can_manage": has_org_perm(membership.role, Perm.MANAGE_MAPPINGS),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def mapping_create(request: HttpRequest, org_slug: str) -> HttpResponse:
    """Without JavaScript: type a name, "Zoek suggesties", choose, save. htmx only skips a step."""
    membership = membership_get_for_user(
        user=request.user, slug=org_slug, perm=Perm.MANAGE_MAPPINGS
    )
    organisation = membership.organisation
    data = request.POST if request.method == "POST" else request.GET
    local_name, scheme, suggestions = _suggest_for(data, organisation=organisation)
    saving = request.method == "POST" and "opslaan" in request.POST
    form = LocalNameForm(
        request.POST if saving else None,
        initial={"local_name": local_name, "other_concept": data.get("other_concept", "")},
        suggestions=suggestions,
        scheme=scheme,
        organisation_slug=organisation.slug,
    )
    if saving and form.is_valid():
        try:
            mapping = services.mapping_save(
                organisation=organisation,
                local_name=form.cleaned_data["local_name"],
                concept=form.cleaned_data["chosen"],
                created_by=request.user,
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request,
                _("‘%(name)s’ is gekoppeld aan ‘%(concept)s’.")
                % {"name": mapping.local_name, "concept": mapping.concept.pref_label_nl},
            )
            return redirect("vocabulary:mapping_list", org_slug=organisation.slug)
    return render(
        request,
        "vocabulary/mapping_form.html",
        {
            "form": form,
            "organisation": organisation,
            "suggestions": suggestions,
            "local_name": local_name,
            "selected": form["concept"].value() or _preselected(suggestions),
        },
    )


@login_required
@require_GET
def mapping_suggestions(request: HttpRequest, org_slug: str) -> HttpResponse:
    """The suggestions fragment for htmx (``hx-get`` on the local-name box and the list select).

    The "Of kies zelf een begrip" select comes along out of band, redrawn for the chosen list.
    """
    membership = membership_get_for_user(
        user=request.user, slug=org_slug, perm=Perm.MANAGE_MAPPINGS
    )
    local_name, scheme, suggestions = _suggest_for(
        request.GET, organisation=membership.organisation
    )
    form = LocalNameForm(
        initial={"other_concept": request.GET.get("other_concept", "")},
        suggestions=suggestions,
        scheme=scheme,
    )
    return render(
        request,
        "vocabulary/_suggestions_response.html",
        {
            "form": form,
            "suggestions": suggestions,
            "local_name": local_name,
            "selected": _preselected(suggestions),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def mapping_delete(request: HttpRequest, org_slug: str, pk: int) -> HttpResponse:
    membership = membership_get_for_user(
        user=request.user, slug=org_slug, perm=Perm.MANAGE_MAPPINGS
    )
    mapping = selectors.mapping_get(organisation=membership.organisation, pk=pk)
    if request.method == "POST":
        services.mapping_delete(mapping=mapping)
        messages.success(
            request, _("De koppeling van ‘%(name)s’ is verwijderd.") % {"name": mapping.local_name}
        )
        return redirect("vocabulary:mapping_list", org_slug=org_slug)
    return render(
        request,
        "vocabulary/mapping_delete.html",
        {"organisation": membership.organisation, "mapping": mapping},
    )
