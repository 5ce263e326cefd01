"""Writes of programmes, partners, nodes, targets and manual values.

Keyword-only, typed and atomic; every rule of a programme is checked here with a Dutch
message per field (ValidationError), so a view, the demo and a test get the same answers. The
database constraints hold the same invariants as a last line.
"""

from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from meerwaarde.accounts.models import User
from meerwaarde.instruments.models import Instrument
from meerwaarde.offers.models import Offer
from meerwaarde.organisations.constants import OrganisationKind
from meerwaarde.organisations.models import Organisation
from meerwaarde.places.constants import Province
from meerwaarde.places.models import Place
from meerwaarde.programmes.constants import (
    FIRST_YEAR,
    INTERVENTION_TYPES,
    LAST_YEAR,
    LEVEL_RANK,
    MAX_VALUE,
    MAX_YEARS,
    TARGET_GROUPS,
    THEMES,
    ActivityMeasure,
    DataSource,
    Direction,
    Level,
    OutcomeStatistic,
)
from meerwaarde.programmes.models import (
    ManualValue,
    NodeTarget,
    Programme,
    ProgrammePartner,
    ResultLink,
    ResultNode,
)
from meerwaarde.vocabulary.models import Concept

# Programmes ------------------------------------------------------------------------------


def _check_concepts(
    errors: dict[str, str], field: str, concepts: Iterable[Concept], scheme: str, message: str
) -> None:
    if any(concept.scheme.code != scheme for concept in concepts):
        errors[field] = message


def programme_errors(
    *,
    name: str,
    start_year: int,
    end_year: int,
    province: str,
    themes: list[Concept],
    target_groups: list[Concept],
) -> dict[str, str]:
    """The Dutch message per field for a programme's values; empty when they are fine. The
    form calls it too, so every error shows at once."""
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = _("Geef het programma een naam.")
    if not FIRST_YEAR <= start_year <= LAST_YEAR:
        errors["start_year"] = _("Kies een eerste jaar tussen %(first)d en %(last)d.") % {
            "first": FIRST_YEAR,
            "last": LAST_YEAR,
        }
    if not FIRST_YEAR <= end_year <= LAST_YEAR:
        errors["end_year"] = _("Kies een laatste jaar tussen %(first)d en %(last)d.") % {
            "first": FIRST_YEAR,
            "last": LAST_YEAR,
        }
    elif end_year <= start_year:
        errors["end_year"] = _(
            "Een programma loopt meerdere jaren: het laatste jaar ligt na het eerste."
        )
    elif end_year - start_year + 1 > MAX_YEARS:
        errors["end_year"] = _("Een programma loopt hooguit %(max)d jaar.") % {"max": MAX_YEARS}
    if province and province not in Province.values:
        errors["province"] = _("Kies een provincie uit de lijst.")
    _check_concepts(errors, "themes", themes, THEMES, _("Kies thema's uit de lijst."))
    _check_concepts(
        errors, "target_groups", target_groups, TARGET_GROUPS, _("Kies doelgroepen uit de lijst.")
    )
    return errors


def _set_programme_fields(
    programme: Programme,
    *,
    places: Iterable[Place],
    themes: Iterable[Concept],
    target_groups: Iterable[Concept],
) -> None:
    programme.places.set(places)
    programme.themes.set(themes)
    programme.target_groups.set(target_groups)


@transaction.atomic
def programme_create(
    *,
    organisation: Organisation,
    created_by: User | None,
    name: str,
    start_year: int,
    end_year: int,
    description: str = "",
    places: Iterable[Place] = (),
    province: str = "",
    themes: Iterable[Concept] = (),
    target_groups: Iterable[Concept] = (),
    is_public: bool = False,
) -> Programme:
    themes, target_groups = list(themes), list(target_groups)
    errors = programme_errors(
        name=name,
        start_year=start_year,
        end_year=end_year,
        province=province,
        themes=themes,
        target_groups=target_groups,
    )
    if errors:
        raise ValidationError(errors)
    programme = Programme.objects.create(
        organisation=organisation,
        created_by=created_by,
        name=name.strip(),
        description=description.strip(),
        start_year=start_year,
        end_year=end_year,
        province=province,
        is_public=is_public,
    )
    _set_programme_fields(programme, places=places, themes=themes, target_groups=target_groups)
    return programme


@transaction.atomic
def programme_update(
    *,
    programme: Programme,
    name: str,
    start_year: int,
    end_year: int,
    description: str = "",
    places: Iterable[Place] = (),
    province: str = "",
    themes: Iterable[Concept] = (),
    target_groups: Iterable[Concept] = (),
    is_public: bool = False,
) -> Programme:
    """Changes the programme; a shorter period must still hold every target and value."""
    themes, target_groups = list(themes), list(target_groups)
    errors = programme_errors(
        name=name,
        start_year=start_year,
        end_year=end_year,
        province=province,
        themes=themes,
        target_groups=target_groups,
    )
    if not errors:
        outside = Q(year__lt=start_year) | Q(year__gt=end_year)
        years = sorted(
            set(
                NodeTarget.objects.filter(outside, node__programme=programme).values_list(
                    "year", flat=True
                )
            )
            | set(
                ManualValue.objects.filter(outside, node__programme=programme).values_list(
                    "year", flat=True
                )
            )
        )
        if years:
            errors["start_year" if years[0] < start_year else "end_year"] = _(
                "Er zijn doelen of waarden voor %(years)s. Kies een periode die deze jaren omvat, "
                "of verwijder die doelen en waarden eerst."
            ) % {"years": ", ".join(str(y) for y in years)}
    if errors:
        raise ValidationError(errors)
    programme.name = name.strip()
    programme.description = description.strip()
    programme.start_year = start_year
    programme.end_year = end_year
    programme.province = province
    programme.is_public = is_public
    programme.save()
    _set_programme_fields(programme, places=places, themes=themes, target_groups=target_groups)
    return programme


@transaction.atomic
def programme_delete(*, programme: Programme) -> None:
    """Deletes the programme with its chain, targets and values (and any access to it)."""
    programme.delete()


# Partners --------------------------------------------------------------------------------


@transaction.atomic
def partner_add(
    *,
    programme: Programme,
    organisation: Organisation | None = None,
    name: str = "",
    kind: str = "",
    role: str = "",
) -> ProgrammePartner:
    """Adds a partner: an organisation on the platform (name and kind follow it unless given)
    or one by name and kind only."""
    errors: dict[str, str] = {}
    name = name.strip() or (organisation.name if organisation is not None else "")
    kind = kind or (organisation.kind if organisation is not None else "")
    if organisation is not None and organisation.pk == programme.organisation_id:
        errors["organisation"] = _("De eigenaar van het programma is geen partner van zichzelf.")
    elif (
        organisation is not None
        and ProgrammePartner.objects.filter(programme=programme, organisation=organisation).exists()
    ):
        errors["organisation"] = _("Deze organisatie is al partner in het programma.")
    if not name:
        errors["name"] = _("Geef de naam van de partner, of kies een organisatie.")
    elif ProgrammePartner.objects.filter(programme=programme, name__iexact=name).exists():
        errors["name"] = _("Er is al een partner met deze naam.")
    if kind not in OrganisationKind.values:
        errors["kind"] = _("Kies wat voor organisatie de partner is.")
    if errors:
        raise ValidationError(errors)
    return ProgrammePartner.objects.create(
        programme=programme, organisation=organisation, name=name, kind=kind, role=role.strip()
    )


@transaction.atomic
def partner_remove(*, partner: ProgrammePartner) -> None:
    partner.delete()


# Nodes -----------------------------------------------------------------------------------


def _value_error(value: Decimal | None, *, allow_negative: bool) -> str:
    if value is None:
        return ""
    if abs(value) > MAX_VALUE:
        return _("Dit getal is te groot. Controleer of het niet twee keer is getypt.")
    if value < 0 and not allow_negative:
        return _("Dit getal kan niet negatief zijn.")
    return ""


def _allows_negative(node_source: str, statistic: str) -> bool:
    """Only a mean change can be below zero (a score that went down)."""
    return node_source == DataSource.MANUAL or statistic == OutcomeStatistic.MEAN_CHANGE


def _node_errors(
    *,
    programme: Programme,
    node: ResultNode | None,
    level: str,
    title: str,
    indicator: str,
    direction: str,
    baseline_value: Decimal | None,
    baseline_year: int | None,
    source: str,
    activity_measure: str,
    instrument: Instrument | None,
    scale: str,
    statistic: str,
    offers: list[Offer],
    intervention_types: list[Concept],
    leads_to: list[ResultNode],
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if level not in Level.values:
        errors["level"] = _("Kies een niveau van de resultatenketen.")
    if not title.strip():
        errors["title"] = _("Geef de stap een titel.")
    if not indicator.strip():
        errors["indicator"] = _("Beschrijf de indicator: wat wordt er gemeten of geteld?")
    if direction not in Direction.values:
        errors["direction"] = _("Kies of een hogere of een lagere waarde beter is.")
    if (baseline_value is None) != (baseline_year is None):
        field = "baseline_year" if baseline_year is None else "baseline_value"
        errors[field] = _("Vul bij een nulmeting zowel de waarde als het jaar in.")
    elif baseline_year is not None and not FIRST_YEAR <= baseline_year <= programme.end_year:
        errors["baseline_year"] = _(
            "Het jaar van de nulmeting ligt tussen %(first)d en het laatste jaar van het "
            "programma (%(last)d)."
        ) % {"first": FIRST_YEAR, "last": programme.end_year}
    message = _value_error(baseline_value, allow_negative=_allows_negative(source, statistic))
    if message:
        errors["baseline_value"] = message
    if source == DataSource.ACTIVITY:
        if activity_measure not in ActivityMeasure.values:
            errors["activity_measure"] = _("Kies welke telling de waarde geeft.")
    elif source == DataSource.OUTCOME:
        _outcome_errors(errors, programme, instrument, scale, statistic)
    elif source != DataSource.MANUAL:
        errors["source"] = _("Kies waar de waarde vandaan komt.")
    if source in (DataSource.ACTIVITY, DataSource.OUTCOME):
        if any(offer.organisation_id != programme.organisation_id for offer in offers):
            errors["offers"] = _("Kies aanbod van de eigen organisatie.")
        if any(c.scheme.code != INTERVENTION_TYPES for c in intervention_types):
            errors["intervention_types"] = _("Kies soorten interventie uit de lijst.")
    rank = LEVEL_RANK.get(level)  # type: ignore[call-overload]
    for target in leads_to:
        if target.programme_id != programme.pk or (node is not None and target.pk == node.pk):
            errors["leads_to"] = _("Kies stappen van dit programma.")
            break
        if rank is not None and LEVEL_RANK[Level(target.level)] <= rank:
            errors["leads_to"] = _(
                "Een stap leidt tot een stap op een hoger niveau: ‘%(title)s’ is dat niet."
            ) % {"title": target.title}
            break
    if node is not None and rank is not None and "level" not in errors:
        lower = [n for n in node.comes_from.all() if LEVEL_RANK[Level(n.level)] >= rank]
        if lower:
            errors["level"] = _(
                "‘%(title)s’ leidt tot deze stap en ligt dan op een hoger niveau. Pas eerst dat "
                "verband aan."
            ) % {"title": lower[0].title}
    return errors


def _outcome_errors(
    errors: dict[str, str],
    programme: Programme,
    instrument: Instrument | None,
    scale: str,
    statistic: str,
) -> None:
    if instrument is None or (
        instrument.organisation_id is not None
        and instrument.organisation_id != programme.organisation_id
    ):
        errors["scale"] = _("Kies een meetinstrument en schaal.")
        return
    found = next((s for s in instrument.parsed.scales if s.code == scale), None)
    if found is None:
        errors["scale"] = _("Kies een schaal van dit meetinstrument.")
        return
    if statistic not in OutcomeStatistic.values:
        errors["statistic"] = _("Kies welk cijfer de waarde geeft.")
    elif statistic == OutcomeStatistic.IMPROVED_SHARE and not (
        found.sd and found.reliability is not None and found.reliability < 1
    ):
        errors["statistic"] = _(
            "Bij deze schaal is betrouwbare verandering niet te bepalen. Kies een ander cijfer."
        )


def _save_node_relations(
    node: ResultNode,
    *,
    offers: list[Offer],
    intervention_types: list[Concept],
    leads_to: list[ResultNode],
) -> None:
    bound = node.source != DataSource.MANUAL
    node.offers.set(offers if bound else [])
    node.intervention_types.set(intervention_types if bound else [])
    ResultLink.objects.filter(source=node).exclude(target__in=leads_to).delete()
    existing = set(ResultLink.objects.filter(source=node).values_list("target_id", flat=True))
    ResultLink.objects.bulk_create(
        ResultLink(source=node, target=target) for target in leads_to if target.pk not in existing
    )


@transaction.atomic
def node_create(
    *,
    programme: Programme,
    level: str,
    title: str,
    indicator: str,
    unit: str = "",
    direction: str = Direction.HIGHER,
    baseline_value: Decimal | None = None,
    baseline_year: int | None = None,
    source: str = DataSource.MANUAL,
    activity_measure: str = "",
    instrument: Instrument | None = None,
    scale: str = "",
    statistic: str = "",
    offers: Iterable[Offer] = (),
    intervention_types: Iterable[Concept] = (),
    leads_to: Iterable[ResultNode] = (),
    position: int | None = None,
) -> ResultNode:
    """Adds a step to the chain. The binding fields that do not belong to ``source`` are
    cleared, so switching a form from outcome to manual leaves nothing stale."""
    return _node_save(
        programme=programme,
        node=None,
        level=level,
        title=title,
        indicator=indicator,
        unit=unit,
        direction=direction,
        baseline_value=baseline_value,
        baseline_year=baseline_year,
        source=source,
        activity_measure=activity_measure,
        instrument=instrument,
        scale=scale,
        statistic=statistic,
        offers=list(offers),
        intervention_types=list(intervention_types),
        leads_to=list(leads_to),
        position=position,
    )


@transaction.atomic
def node_update(
    *,
    node: ResultNode,
    level: str,
    title: str,
    indicator: str,
    unit: str = "",
    direction: str = Direction.HIGHER,
    baseline_value: Decimal | None = None,
    baseline_year: int | None = None,
    source: str = DataSource.MANUAL,
    activity_measure: str = "",
    instrument: Instrument | None = None,
    scale: str = "",
    statistic: str = "",
    offers: Iterable[Offer] = (),
    intervention_types: Iterable[Concept] = (),
    leads_to: Iterable[ResultNode] = (),
    position: int | None = None,
) -> ResultNode:
    return _node_save(
        programme=node.programme,
        node=node,
        level=level,
        title=title,
        indicator=indicator,
        unit=unit,
        direction=direction,
        baseline_value=baseline_value,
        baseline_year=baseline_year,
        source=source,
        activity_measure=activity_measure,
        instrument=instrument,
        scale=scale,
        statistic=statistic,
        offers=list(offers),
        intervention_types=list(intervention_types),
        leads_to=list(leads_to),
        position=position,
    )


def _node_save(
    *,
    programme: Programme,
    node: ResultNode | None,
    level: str,
    title: str,
    indicator: str,
    unit: str,
    direction: str,
    baseline_value: Decimal | None,
    baseline_year: int | None,
    source: str,
    activity_measure: str,
    instrument: Instrument | None,
    scale: str,
    statistic: str,
    offers: list[Offer],
    intervention_types: list[Concept],
    leads_to: list[ResultNode],
    position: int | None,
) -> ResultNode:
    errors = _node_errors(
        programme=programme,
        node=node,
        level=level,
        title=title,
        indicator=indicator,
        direction=direction,
        baseline_value=baseline_value,
        baseline_year=baseline_year,
        source=source,
        activity_measure=activity_measure,
        instrument=instrument,
        scale=scale,
        statistic=statistic,
        offers=offers,
        intervention_types=intervention_types,
        leads_to=leads_to,
    )
    if errors:
        raise ValidationError(errors)
    if node is None:
        node = ResultNode(programme=programme)
        if position is None:
            position = programme.nodes.filter(level=level).count()
    if position is not None:
        node.position = position
    node.level = level
    node.title = title.strip()
    node.indicator = indicator.strip()
    node.unit = unit.strip()
    node.direction = direction
    node.baseline_value = baseline_value
    node.baseline_year = baseline_year
    node.source = source
    node.activity_measure = activity_measure if source == DataSource.ACTIVITY else ""
    node.instrument = instrument if source == DataSource.OUTCOME else None
    node.scale = scale if source == DataSource.OUTCOME else ""
    node.statistic = statistic if source == DataSource.OUTCOME else ""
    node.save()
    _save_node_relations(
        node, offers=offers, intervention_types=intervention_types, leads_to=leads_to
    )
    return node


@transaction.atomic
def node_delete(*, node: ResultNode) -> None:
    """Deletes the step with its targets, values and links."""
    node.delete()


# Targets and manual values ---------------------------------------------------------------


def _year_error(node: ResultNode, year: int) -> str:
    programme = node.programme
    if programme.start_year <= year <= programme.end_year:
        return ""
    return _("Kies een jaar van het programma (%(first)d tot en met %(last)d).") % {
        "first": programme.start_year,
        "last": programme.end_year,
    }


@transaction.atomic
def targets_set(*, node: ResultNode, targets: Mapping[int, Decimal | None]) -> None:
    """Sets the target per year; ``None`` removes that year's target.

    Errors are keyed ``target_<year>``, the names of the targets form's fields.
    """
    errors: dict[str, str] = {}
    for year, value in targets.items():
        message = _year_error(node, year) or _value_error(
            value, allow_negative=_allows_negative(node.source, node.statistic)
        )
        if not message and value is not None and node.statistic == OutcomeStatistic.IMPROVED_SHARE:
            message = _("Een aandeel ligt tussen 0 en 100 procent.") if value > 100 else ""
        if message:
            errors[f"target_{year}"] = message
    if errors:
        raise ValidationError(errors)
    for year, value in targets.items():
        if value is None:
            NodeTarget.objects.filter(node=node, year=year).delete()
        else:
            NodeTarget.objects.update_or_create(node=node, year=year, defaults={"value": value})


@transaction.atomic
def manual_value_set(
    *, node: ResultNode, year: int, value: Decimal, source: str, entered_by: User | None
) -> ManualValue:
    """Records (or replaces) the value of a year, with where it comes from.

    Only for a step whose data source is manual: a value computed from data is never
    overwritten by hand.
    """
    errors: dict[str, str] = {}
    if node.source != DataSource.MANUAL:
        errors["value"] = _(
            "Deze stap haalt zijn waarde uit de gegevens; een ingevulde waarde kan alleen bij "
            "een stap met een handmatige bron."
        )
    message = _year_error(node, year)
    if message:
        errors["year"] = message
    message = _value_error(value, allow_negative=True)
    if message:
        errors["value"] = message
    if not source.strip():
        errors["source"] = _(
            "Geef de bron van de waarde, bijvoorbeeld ‘Gezondheidsmonitor GGD 2024’."
        )
    if errors:
        raise ValidationError(errors)
    manual, _created = ManualValue.objects.update_or_create(
        node=node,
        year=year,
        defaults={
            "value": value,
            "source": source.strip(),
            "entered_by": entered_by,
            "entered_at": timezone.now(),
        },
    )
    return manual


@transaction.atomic
def manual_value_delete(*, node: ResultNode, year: int) -> None:
    ManualValue.objects.filter(node=node, year=year).delete()
