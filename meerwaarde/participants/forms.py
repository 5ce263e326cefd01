"""Forms for finding, registering and changing participants, trajectories and goals.

Plain forms, not model forms, as in offers: the services hold the rules and their messages.
The client reference field has no initial value anywhere: it only ever shows what was just typed.
"""

from decimal import Decimal

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meerwaarde.core.forms import StyledForm
from meerwaarde.participants.constants import (
    CONCEPT_SCHEMES,
    FINISHED_STATUSES,
    MAX_GOALS,
    AgeBand,
    Gender,
)
from meerwaarde.participants.models import Participant, postcode4_validator
from meerwaarde.participants.services import GoalInput
from meerwaarde.vocabulary.constants import ConceptStatus
from meerwaarde.vocabulary.models import Concept

_CHECKBOX = "utrecht-checkbox utrecht-checkbox--html-input"
_RADIO = "utrecht-radio-button utrecht-radio-button--html-input"
_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _accepted(field: str) -> QuerySet[Concept]:
    return Concept.objects.filter(
        scheme__code=CONCEPT_SCHEMES[field], status=ConceptStatus.ACCEPTED
    ).order_by("pref_label_nl")


class ConceptSelect(forms.ModelChoiceField):
    def label_from_instance(self, obj: Concept) -> str:
        return obj.pref_label_nl


class ConceptCheckboxes(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj: Concept) -> str:
        return obj.pref_label_nl


class _ChoiceClasses:
    """Radio buttons and checkboxes get their own NL Design System classes."""

    def _style_choices(self) -> None:
        for field in self.fields.values():  # type: ignore[attr-defined]
            if isinstance(field.widget, forms.CheckboxSelectMultiple):
                field.widget.attrs["class"] = _CHECKBOX
            elif isinstance(field.widget, forms.RadioSelect):
                field.widget.attrs["class"] = _RADIO


class ReferenceForm(StyledForm):
    reference = forms.CharField(
        label=_("Cliëntnummer"),
        help_text=_(
            "Het nummer dat uw organisatie zelf voor deze deelnemer gebruikt, bijvoorbeeld uit "
            "het dossier. Meerwaarde bewaart het niet: het maakt er een pseudoniem van. Gebruik "
            "nooit een BSN of een naam."
        ),
        error_messages={
            "required": _(
                "Vul het cliëntnummer in dat uw organisatie voor deze deelnemer gebruikt."
            )
        },
        # Browsers must not remember it, correct it or show it to the next user of the computer.
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "off", "spellcheck": "false"}
        ),
    )


class ParticipantForm(_ChoiceClasses, StyledForm):
    age_band = forms.ChoiceField(
        label=_("Leeftijdsgroep"),
        choices=AgeBand.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies een leeftijdsgroep.")},
    )
    gender = forms.ChoiceField(
        label=_("Gender"),
        choices=[("", _("Niet ingevuld")), *Gender.choices],
        required=False,
    )
    postcode4 = forms.CharField(
        label=_("Postcode (alleen de cijfers)"),
        required=False,
        max_length=4,
        validators=[postcode4_validator],
        help_text=_("De vier cijfers van de postcode, zoals 8011. Nooit de letters of het adres."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 4, "autocomplete": "off"}),
    )
    target_groups = ConceptCheckboxes(
        label=_("Doelgroepen"),
        queryset=Concept.objects.none(),
        required=False,
        help_text=_("Kies de doelgroepen waartoe de deelnemer behoort."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target_groups"].queryset = _accepted("target_groups")
        self._style_choices()

    def service_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.fields}


def participant_initial(participant: Participant) -> dict:
    return {
        "age_band": participant.age_band,
        "gender": participant.gender,
        "postcode4": participant.postcode4,
        "target_groups": [c.pk for c in participant.target_groups.all()],
    }


class ErasureForm(StyledForm):
    reference = ReferenceForm.base_fields["reference"]
    confirm = forms.BooleanField(
        label=_("Ik begrijp dat alle gegevens van deze deelnemer definitief worden gewist."),
        error_messages={"required": _("Vink aan dat u de deelnemer definitief wilt wissen.")},
    )


class ParticipantFilterForm(StyledForm):
    """The list's filters, in the query string (never a client reference)."""

    leeftijd = forms.ChoiceField(
        label=_("Leeftijdsgroep"), choices=[("", _("Alle")), *AgeBand.choices], required=False
    )
    doelgroep = ConceptSelect(
        label=_("Doelgroep"), queryset=Concept.objects.none(), required=False, empty_label=_("Alle")
    )
    aanbod = forms.ModelChoiceField(
        label=_("Met een lopend traject in"),
        queryset=None,
        required=False,
        empty_label=_("Alle aanbod"),
    )

    def __init__(self, *args, offers: QuerySet, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["doelgroep"].queryset = _accepted("target_groups")
        self.fields["aanbod"].queryset = offers


class TrajectoryForm(StyledForm):
    offer = forms.ModelChoiceField(
        label=_("Aanbod"),
        queryset=None,
        empty_label=_("— Kies het aanbod —"),
        error_messages={"required": _("Kies het aanbod waarin de deelnemer meedoet.")},
    )
    start_date = forms.DateField(
        label=_("Startdatum"),
        widget=_DATE,
        error_messages={
            "required": _("Vul de startdatum in."),
            "invalid": _("Vul een geldige datum in, zoals 14-03-2026."),
        },
    )
    referral_source = ConceptSelect(
        label=_("Verwezen door"),
        queryset=Concept.objects.none(),
        required=False,
        empty_label=_("Niet bekend"),
    )

    def __init__(self, *args, offers: QuerySet, **kwargs) -> None:
        kwargs.setdefault("initial", {"start_date": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.fields["offer"].queryset = offers
        self.fields["referral_source"].queryset = _accepted("referral_source")


class TrajectoryEndForm(_ChoiceClasses, StyledForm):
    status = forms.ChoiceField(
        label=_("Hoe is het traject geëindigd?"),
        choices=[(s.value, s.label) for s in FINISHED_STATUSES],
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies of het traject is afgerond of voortijdig is gestopt.")},
    )
    end_date = forms.DateField(
        label=_("Einddatum"),
        widget=_DATE,
        error_messages={
            "required": _("Vul de einddatum in."),
            "invalid": _("Vul een geldige datum in, zoals 14-03-2026."),
        },
    )

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("initial", {"end_date": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self._style_choices()


class GoalForm(StyledForm):
    domain = ConceptSelect(
        label=_("Domein"),
        queryset=Concept.objects.none(),
        required=False,
        empty_label=_("— Geen doel —"),
    )
    weight = forms.DecimalField(
        label=_("Gewicht"),
        required=False,
        max_digits=4,
        decimal_places=2,
        localize=True,
        help_text=_("1 is gewoon; een belangrijker doel krijgt bijvoorbeeld 2."),
        error_messages={"invalid": _("Vul een getal in, zoals 1 of 1,5.")},
        widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 5}),
    )

    def __init__(self, *args, domains: QuerySet, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["domain"].queryset = domains


class BaseGoalFormSet(forms.BaseFormSet):
    def goals(self) -> list[GoalInput]:
        """The filled-in rows in order; a row without a domain is left out."""
        goals = []
        for form in self.forms:
            domain = form.cleaned_data.get("domain")
            if domain is not None:
                weight = form.cleaned_data.get("weight")
                goals.append(
                    GoalInput(domain=domain, weight=weight if weight is not None else Decimal(1))
                )
        return goals


GoalFormSet = forms.formset_factory(
    GoalForm, formset=BaseGoalFormSet, extra=0, min_num=MAX_GOALS, max_num=MAX_GOALS
)


def goal_formset(data=None, *, trajectory) -> BaseGoalFormSet:
    """Always MAX_GOALS rows: the current goals first, then empty rows to add one."""
    initial = [{"domain": goal.domain_id, "weight": goal.weight} for goal in trajectory.goals.all()]
    return GoalFormSet(
        data,
        initial=initial,
        prefix="doelen",
        form_kwargs={"domains": _accepted("domain")},
    )
