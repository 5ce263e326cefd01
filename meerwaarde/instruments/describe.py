"""A definition in plain Dutch, for the instrument's page: what each item and scale means."""

import math
from dataclasses import dataclass

from django.utils.translation import gettext as _

from meerwaarde.instruments.definition import InstrumentDefinition, Item, Scale, fmt
from meerwaarde.instruments.scoring import GAS_RHO

RCI_Z = 1.96  # DESIGN 3: reliable change when |RCI| > 1.96


@dataclass(frozen=True)
class ItemText:
    number: int
    code: str
    label: str
    answers: str
    not_assessed: bool


@dataclass(frozen=True)
class ScaleText:
    scale: Scale
    domain_label: str
    computed: str
    missing: str
    direction: str
    reliable_change: str


def answers_text(item: Item) -> str:
    if item.kind == "choice":
        return ", ".join(
            f"{o.label} ({fmt(o.score)})"
            if o.score is not None
            else _("%(label)s (telt als ontbrekend)") % {"label": o.label}
            for o in item.options
        )
    low, high = item.score_range
    if item.kind == "integer":
        return _("een heel getal van %(min)s tot en met %(max)s") % {
            "min": fmt(low),
            "max": fmt(high),
        }
    return _("een getal van %(min)s tot en met %(max)s") % {"min": fmt(low), "max": fmt(high)}


def _computed(definition: InstrumentDefinition, scale: Scale) -> str:
    if scale.method == "gas":
        return _(
            "De T-score over alle doelen: T = 50 + 10·Σwx / √((1−ρ)Σw² + ρ(Σw)²), met x de "
            "score van een doel, w zijn gewicht (standaard 1) en ρ = %(rho)s."
        ) % {"rho": fmt(GAS_RHO)}
    labels = ", ".join(f"‘{definition.item(code).label}’" for code in scale.items)
    if scale.method == "item":
        return _("De score op de vraag %(items)s.") % {"items": labels}
    if len(scale.items) > 3 and set(scale.items) == set(definition.items_by_code):
        everything = {"n": len(scale.items)}
        if scale.method == "mean":
            return _("Het gemiddelde van de scores op alle %(n)s vragen.") % everything
        return _("De som van de scores op alle %(n)s vragen.") % everything
    if scale.method == "mean":
        return _("Het gemiddelde van de scores op de vragen %(items)s.") % {"items": labels}
    return _("De som van de scores op de vragen %(items)s.") % {"items": labels}


def _missing(scale: Scale) -> str:
    if scale.method == "gas":
        if scale.max_missing == 0:
            return _("Elk doel moet een score hebben; anders wordt geen T-score berekend.")
        return _(
            "Doelen zonder score die mogen ontbreken: hoogstens %(n)s. Ontbreken er meer, dan "
            "wordt geen T-score berekend."
        ) % {"n": scale.max_missing}
    if scale.max_missing == 0:
        if len(scale.items) == 1:
            return _("Ontbreekt het antwoord, dan is er geen score.")
        return _("Ontbreekt er een antwoord, dan wordt deze score niet berekend.")
    text = _(
        "Antwoorden die mogen ontbreken: hoogstens %(n)s. Ontbreken er meer, dan wordt deze "
        "score niet berekend."
    ) % {"n": scale.max_missing}
    if scale.method == "sum":
        text += " " + _(
            "Bij een som tellen alleen de ingevulde vragen mee; er wordt niet bijgeschat."
        )
    return text


def _reliable_change(scale: Scale) -> str:
    if scale.sd is None or scale.reliability is None:
        return _("Voor deze schaal wordt geen betrouwbare verandering berekend.")
    smallest = RCI_Z * math.sqrt(2) * scale.sd * math.sqrt(1 - scale.reliability)
    return _(
        "Referentie-SD %(sd)s en betrouwbaarheid %(r)s: een verandering telt als betrouwbaar "
        "bij een verschil van meer dan %(change)s punten tussen twee metingen."
    ) % {"sd": fmt(scale.sd), "r": fmt(scale.reliability), "change": fmt(round(smallest, 2))}


def describe_items(definition: InstrumentDefinition) -> list[ItemText]:
    return [
        ItemText(
            number=n,
            code=item.code,
            label=item.label,
            answers=answers_text(item),
            not_assessed=item.not_assessed,
        )
        for n, item in enumerate(definition.items, start=1)
    ]


def describe_scales(
    definition: InstrumentDefinition, domain_labels: dict[str, str]
) -> list[ScaleText]:
    return [
        ScaleText(
            scale=scale,
            domain_label=domain_labels.get(scale.domain, scale.domain),
            computed=_computed(definition, scale),
            missing=_missing(scale),
            direction=_("Een hogere score is gunstiger.")
            if scale.higher_is_better
            else _("Een lagere score is gunstiger."),
            reliable_change=_reliable_change(scale),
        )
        for scale in definition.scales
    ]
