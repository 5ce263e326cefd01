"""Reads of programmes: tenant-scoped for the owner's pages, public or granted for others.

Another organisation's programme is a 404 (not a 403): an outsider must not learn that it
exists. A partner reaches a programme only through an active access grant (``sharing``).
"""

from dataclasses import dataclass

from django.db.models import F, Prefetch, Q, QuerySet
from django.http import Http404

from meerwaarde.instruments.models import Instrument
from meerwaarde.instruments.selectors import instrument_list_for
from meerwaarde.offers.models import Offer
from meerwaarde.organisations.models import Organisation
from meerwaarde.programmes.constants import INTERVENTION_TYPES, DataSource
from meerwaarde.programmes.models import Programme, ProgrammePartner, ResultNode
from meerwaarde.vocabulary.models import Concept


def _programmes() -> QuerySet[Programme]:
    return Programme.objects.select_related("organisation")


def programme_list(*, organisation: Organisation) -> QuerySet[Programme]:
    """The organisation's programmes, running ones first (newest start), then by name."""
    return _programmes().filter(organisation=organisation).order_by("-start_year", "name", "pk")


def _with_chain(programmes: QuerySet[Programme]) -> QuerySet[Programme]:
    return programmes.prefetch_related(
        "places",
        "themes",
        "target_groups",
        Prefetch("partners", queryset=ProgrammePartner.objects.select_related("organisation")),
        Prefetch(
            "nodes",
            queryset=ResultNode.objects.select_related("instrument").prefetch_related(
                "offers", "intervention_types", "targets", "manual_values", "leads_to"
            ),
        ),
    )


def programme_get(*, organisation: Organisation, pk: int) -> Programme:
    """One of the organisation's programmes with its chain; another's is a 404."""
    programme = _with_chain(_programmes().filter(organisation=organisation, pk=pk)).first()
    if programme is None:
        raise Http404
    return programme


def programme_public_list() -> QuerySet[Programme]:
    return _programmes().filter(is_public=True).order_by("name", "pk")


def programme_public_get(*, pk: int) -> Programme:
    """A programme its owner made public; any other is a 404."""
    programme = _with_chain(programme_public_list().filter(pk=pk)).first()
    if programme is None:
        raise Http404
    return programme


def programme_ids_granted_to(*, partner: Organisation) -> QuerySet:
    """The pks of the programmes ``partner`` has an active grant for."""
    # Imported here: sharing's models point at programmes, so this app loads first.
    from meerwaarde.sharing.models import GrantKind
    from meerwaarde.sharing.selectors import grants_for_partner

    # Only the owner can share a programme: a grant by anyone else counts for nothing.
    return (
        grants_for_partner(partner=partner)
        .filter(kind=GrantKind.PROGRAMME, programme__organisation=F("organisation"))
        .values("programme_id")
    )


def programme_list_visible(*, partner: Organisation | None) -> QuerySet[Programme]:
    """Public programmes, and with a partner those granted to it: what the API lists."""
    condition = Q(is_public=True)
    if partner is not None:
        condition |= Q(pk__in=programme_ids_granted_to(partner=partner))
    return _programmes().filter(condition).order_by("name", "pk")


def programme_get_visible(*, partner: Organisation | None, pk: int) -> Programme:
    programme = _with_chain(programme_list_visible(partner=partner).filter(pk=pk)).first()
    if programme is None:
        raise Http404
    return programme


def programme_get_shared(*, programme_id: int, organisation: Organisation) -> Programme:
    """The programme of an access grant the caller already resolved for its partner; 404
    unless ``organisation`` (the grant's giver) owns it."""
    programme = _with_chain(
        _programmes().filter(pk=programme_id, organisation=organisation)
    ).first()
    if programme is None:
        raise Http404
    return programme


def node_get(*, programme: Programme, pk: int) -> ResultNode:
    node = (
        ResultNode.objects.filter(programme=programme, pk=pk)
        .select_related("programme", "instrument")
        .prefetch_related("offers", "intervention_types", "targets", "manual_values", "leads_to")
        .first()
    )
    if node is None:
        raise Http404
    return node


def partner_get(*, programme: Programme, pk: int) -> ProgrammePartner:
    partner = ProgrammePartner.objects.filter(programme=programme, pk=pk).first()
    if partner is None:
        raise Http404
    return partner


@dataclass(frozen=True)
class BindingChoices:
    """What a node of the organisation's programme can take its data from."""

    offers: QuerySet[Offer]
    intervention_types: QuerySet[Concept]
    instruments: QuerySet[Instrument]


def binding_choices(*, organisation: Organisation) -> BindingChoices:
    """The organisation's offers, the intervention types they have, and its instruments."""
    offers = Offer.objects.filter(organisation=organisation)
    return BindingChoices(
        offers=offers.order_by("name", "pk"),
        intervention_types=Concept.objects.filter(
            scheme__code=INTERVENTION_TYPES, pk__in=offers.values("intervention_type")
        )
        .select_related("scheme")
        .order_by("pref_label_nl", "pk"),
        instruments=instrument_list_for(organisation=organisation),
    )


def node_offers(*, node: ResultNode) -> QuerySet[Offer]:
    """The owner's offers a bound node reads: those chosen and those of the chosen types;
    neither chosen is every offer of the owner. Never another organisation's offers."""
    offers = Offer.objects.filter(organisation_id=node.programme.organisation_id)
    if node.source == DataSource.MANUAL:
        return offers.none()
    chosen = [offer.pk for offer in node.offers.all()]
    types = [concept.pk for concept in node.intervention_types.all()]
    if not chosen and not types:
        return offers
    return offers.filter(Q(pk__in=chosen) | Q(intervention_type__in=types))
