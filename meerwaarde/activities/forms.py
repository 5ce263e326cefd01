"""The month form: the counts, then one number box per referral source and per theme."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from meerwaarde.activities.constants import MAX_COUNT, MAX_HOURS, ReferralDirection
from meerwaarde.activities.models import ActivityRecord
from meerwaarde.activities.selectors import FormConcepts
from meerwaarde.core.forms import StyledForm
from meerwaarde.vocabulary.models import Concept

_COUNT_ERRORS = {
    "required": _("Vul een aantal in; 0 als er geen waren."),
    "invalid": _("Vul een heel getal in, zonder punt of komma."),
    "min_value": _("Een aantal kan niet negatief zijn."),
    "max_value": _("Vul een aantal in van hoogstens %(limit_value)s."),
}
# Prefixes of the per-concept boxes, followed by the concept code.
PREFIX_IN, PREFIX_OUT, PREFIX_SIGNAL = "in_", "uit_", "signaal_"


def concept_label(concept: Concept) -> str:
    english = (get_language() or "nl").startswith("en")
    return concept.pref_label_en if english and concept.pref_label_en else concept.pref_label_nl


def _count(label: Any, *, required: bool = True) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=required,
        min_value=0,
        max_value=MAX_COUNT,
        error_messages=_COUNT_ERRORS,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "step": "1"}),
    )


class HoursField(forms.DecimalField):
    """Hours with one decimal; a comma is read as the decimal sign, as Dutch users type it."""

    def to_python(self, value: Any) -> Decimal | None:
        if isinstance(value, str) and "," in value and "." not in value:
            value = value.replace(",", ".")
        return super().to_python(value)


@dataclass(frozen=True)
class Fieldset:
    key: str
    legend: str
    description: str
    fields: list[forms.BoundField]
    per_concept: bool


class ActivityForm(StyledForm):
    meetings_held = _count(_("Bijeenkomsten of contacten"))
    participants_reached = _count(_("Deelnemers bereikt"))
    new_participants = _count(_("Nieuwe deelnemers"))
    active_volunteers = _count(_("Actieve vrijwilligers"), required=False)
    volunteer_hours = HoursField(
        label=_("Uren van vrijwilligers"),
        required=False,
        min_value=0,
        max_value=MAX_HOURS,
        max_digits=8,
        decimal_places=1,
        error_messages={
            "invalid": _("Vul een aantal uren in, bijvoorbeeld 12,5."),
            "min_value": _("Een aantal uren kan niet negatief zijn."),
            "max_value": _("Vul een aantal uren in van hoogstens %(limit_value)s."),
            "max_decimal_places": _("Vul de uren in met hoogstens één cijfer achter de komma."),
            "max_digits": _("Vul een aantal uren in van hoogstens %(limit_value)s."),
        },
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.1"}),
    )

    def __init__(
        self,
        *args: Any,
        concepts: FormConcepts,
        **kwargs: Any,
    ) -> None:
        self.concepts = concepts
        self._groups: dict[str, str] = {}
        dynamic: dict[str, forms.Field] = {}
        for prefix, listed, group in (
            (PREFIX_IN, concepts.sources_in, ReferralDirection.IN.label),
            (PREFIX_OUT, concepts.sources_out, ReferralDirection.OUT.label),
            (PREFIX_SIGNAL, concepts.themes, _("vroegsignalering")),
        ):
            for concept in listed:
                name = f"{prefix}{concept.code}"
                dynamic[name] = _count(concept_label(concept), required=False)
                self._groups[name] = str(group)
        super().__init__(*args, **kwargs)
        self.fields.update(dynamic)
        # The base class styles fields before these were added.
        for name in dynamic:
            self.fields[name].widget.attrs["class"] = "utrecht-textbox utrecht-textbox--html-input"
        self.fields["meetings_held"].help_text = _(
            "Groepsbijeenkomsten, huisbezoeken, gesprekken: elke keer dat het aanbod plaatsvond."
        )
        self.fields["participants_reached"].help_text = _(
            "Hoeveel verschillende mensen deze maand meededen; iemand die vaker kwam telt één keer."
        )
        self.fields["new_participants"].help_text = _(
            "Van de bereikte deelnemers: wie deze maand voor het eerst meedeed."
        )

    @property
    def fieldsets(self) -> list[Fieldset]:
        def bound(prefix: str, concepts: list[Concept]) -> list[forms.BoundField]:
            return [self[f"{prefix}{concept.code}"] for concept in concepts]

        sets = [
            Fieldset(
                "bereik",
                str(_("Bijeenkomsten en bereik")),
                "",
                [self["meetings_held"], self["participants_reached"], self["new_participants"]],
                False,
            ),
            Fieldset(
                "vrijwilligers",
                str(_("Vrijwilligers")),
                str(_("Laat leeg of vul 0 in als er geen vrijwilligers meewerkten.")),
                [self["active_volunteers"], self["volunteer_hours"]],
                False,
            ),
        ]
        if self.concepts.sources_in:
            empty = str(_("Laat leeg of vul 0 in als er geen waren."))
            sets += [
                Fieldset(
                    "verwezen-naar-ons",
                    str(_("Verwezen naar ons, per verwijzer")),
                    empty,
                    bound(PREFIX_IN, self.concepts.sources_in),
                    True,
                ),
                Fieldset(
                    "door-ons-doorverwezen",
                    str(_("Door ons doorverwezen, per organisatie of instantie")),
                    empty,
                    bound(PREFIX_OUT, self.concepts.sources_out),
                    True,
                ),
            ]
        if self.concepts.themes:
            sets.append(
                Fieldset(
                    "vroegsignalering",
                    str(_("Vroegsignalering: signalen per thema")),
                    str(
                        _(
                            "Zorgen die u opmerkte en besprak of doorgaf, voordat er een "
                            "hulpvraag was. Laat leeg of vul 0 in als er geen waren."
                        )
                    ),
                    bound(PREFIX_SIGNAL, self.concepts.themes),
                    True,
                )
            )
        return sets

    def error_summary(self) -> list[tuple[str, str, str]]:
        """(input id, label with its group, first message) for every field in error."""
        summary = []
        for name, errors in self.errors.items():
            if name not in self.fields:
                continue
            label = str(self.fields[name].label)
            if name in self._groups:
                label = f"{label} ({self._groups[name]})"
            summary.append((self[name].auto_id, label, errors[0]))
        return summary

    def service_fields(self) -> dict[str, Any]:
        """The cleaned values as ``activity_record_save`` takes them; empty counts are 0."""
        data = self.cleaned_data

        def per_concept(prefix: str, concepts: list[Concept]) -> dict[Concept, int]:
            return {c: data.get(f"{prefix}{c.code}") or 0 for c in concepts}

        return {
            "meetings_held": data["meetings_held"],
            "participants_reached": data["participants_reached"],
            "new_participants": data["new_participants"],
            "active_volunteers": data.get("active_volunteers") or 0,
            "volunteer_hours": data.get("volunteer_hours") or Decimal(0),
            "referrals_in": per_concept(PREFIX_IN, self.concepts.sources_in),
            "referrals_out": per_concept(PREFIX_OUT, self.concepts.sources_out),
            "early_signals": per_concept(PREFIX_SIGNAL, self.concepts.themes),
        }


def initial_for(record: ActivityRecord) -> dict[str, Any]:
    """The form's values for a record that was entered; reads its prefetched rows."""
    initial: dict[str, Any] = {
        "meetings_held": record.meetings_held,
        "participants_reached": record.participants_reached,
        "new_participants": record.new_participants,
        "active_volunteers": record.active_volunteers,
        "volunteer_hours": record.volunteer_hours,
    }
    for row in record.referrals.all():
        prefix = PREFIX_IN if row.direction == ReferralDirection.IN else PREFIX_OUT
        initial[f"{prefix}{row.source.code}"] = row.count
    for signal in record.early_signals.all():
        initial[f"{PREFIX_SIGNAL}{signal.theme.code}"] = signal.count
    return initial
