"""The offer form in six fieldsets, its locations formset, and the small action forms.

Plain forms, not model forms: the services hold every rule of an offer, and a model form
would check the constraints a second time with less helpful messages.
"""

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from meerwaarde.core.forms import StyledForm
from meerwaarde.offers.constants import (
    Access,
    Accessibility,
    Cost,
    EvidenceLevel,
    Language,
    OfferStatus,
    ServiceArea,
)
from meerwaarde.offers.models import Offer
from meerwaarde.offers.services import (
    CONCEPT_LIST_FIELDS,
    CONCEPT_SCHEMES,
    MAX_AGE,
    MAX_PLACES,
    LocationInput,
    normalise_postcode,
)
from meerwaarde.organisations.forms import PlaceField
from meerwaarde.vocabulary.constants import ConceptStatus
from meerwaarde.vocabulary.models import Concept
from meerwaarde.vocabulary.suggest import REMEMBERED, Suggestion

_CHECKBOX = "utrecht-checkbox utrecht-checkbox--html-input"
_RADIO = "utrecht-radio-button utrecht-radio-button--html-input"


def _accepted(scheme: str):
    return Concept.objects.filter(scheme__code=scheme, status=ConceptStatus.ACCEPTED).order_by(
        "pref_label_nl"
    )


class ConceptCheckboxes(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj: Concept) -> str:
        return obj.pref_label_nl


def describe(suggestion: Suggestion) -> str:
    """ "eerder gekoppeld" for the organisation's own mapping, else how good the match is."""
    remembered = suggestion.reason == str(REMEMBERED)
    return suggestion.reason if remembered else suggestion.quality


class InterventionTypeField(forms.ModelChoiceField):
    """The intervention type select; with suggestions, those come first in their own group."""

    def label_from_instance(self, obj: Concept) -> str:
        return obj.pref_label_nl

    def show_suggestions(self, suggestions: list[Suggestion], local_name: str) -> None:
        everything = [(c.pk, c.pref_label_nl) for c in self.queryset]
        suggested = [
            (s.concept.pk, f"{s.concept.pref_label_nl} ({describe(s)})") for s in suggestions
        ]
        self.choices = [
            ("", _("— Kies een soort aanbod —")),
            (str(_("Voorgesteld bij ‘%(name)s’") % {"name": local_name}), suggested),
            (str(_("Alle soorten aanbod")), everything),
        ]


# Which fields go in which fieldset, in order; the template draws the locations under "Waar".
FIELDSETS = [
    ("wat", _("Wat"), ["name", "intervention_type", "description", "themes", "working_elements"]),
    ("voor-wie", _("Voor wie"), ["target_groups", "age_min", "age_max", "languages"]),
    ("waar", _("Waar"), ["service_area", "accessibility", "accessibility_note"]),
    (
        "kosten",
        _("Kosten en toegang"),
        ["cost", "cost_amount", "cost_note", "access", "referral_note", "sign_up"],
    ),
    ("contact", _("Contact"), ["phone", "email", "website", "schedule"]),
    ("erkenning", _("Erkenning"), ["evidence_level", "evidence_assessed_on"]),
]


class OfferForm(StyledForm):
    name = forms.CharField(
        label=_("Naam van het aanbod"),
        max_length=200,
        help_text=_(
            "Zoals uw organisatie het noemt, bijvoorbeeld ‘Maatjes in de wijk’. "
            "Op basis van de naam stellen we een soort aanbod voor."
        ),
    )
    intervention_type = InterventionTypeField(
        label=_("Soort aanbod"),
        queryset=Concept.objects.none(),
        empty_label=_("— Kies een soort aanbod —"),
        help_text=_(
            "Het soort interventie uit het gedeelde vocabulaire. Daarmee vinden verwijzers "
            "uw aanbod, ook als zij het anders noemen."
        ),
        error_messages={"required": _("Kies een soort aanbod.")},
    )
    description = forms.CharField(
        label=_("Beschrijving"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Wat de deelnemer kan verwachten en wat het oplevert. Hooguit 4000 tekens."),
    )
    themes = ConceptCheckboxes(
        label=_("Thema’s"),
        queryset=Concept.objects.none(),
        required=False,
        help_text=_("Kies alle thema’s waar dit aanbod bij past."),
    )
    working_elements = ConceptCheckboxes(
        label=_("Werkzame elementen"),
        queryset=Concept.objects.none(),
        required=False,
        help_text=_("Wat maakt dat dit aanbod werkt?"),
    )
    target_groups = ConceptCheckboxes(
        label=_("Doelgroepen"),
        queryset=Concept.objects.none(),
        required=False,
        help_text=_("Voor wie het aanbod bedoeld is."),
    )
    age_min = forms.IntegerField(
        label=_("Leeftijd vanaf"),
        required=False,
        min_value=0,
        max_value=MAX_AGE,
        help_text=_("In jaren. Leeg laten als er geen ondergrens is."),
    )
    age_max = forms.IntegerField(
        label=_("Leeftijd tot en met"),
        required=False,
        min_value=0,
        max_value=MAX_AGE,
        help_text=_("In jaren. Leeg laten als er geen bovengrens is."),
    )
    languages = forms.MultipleChoiceField(
        label=_("Talen"),
        choices=Language.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("In welke talen deelnemers terechtkunnen."),
    )
    service_area = forms.ChoiceField(
        label=_("Waar wordt het aanbod gegeven?"),
        choices=ServiceArea.choices,
        initial=ServiceArea.LOCATIONS,
        widget=forms.RadioSelect,
        help_text=_(
            "Bij de hele gemeente of regio: geef hieronder de plaats of plaatsen op die u bedient."
        ),
    )
    accessibility = forms.ChoiceField(
        label=_("Fysieke toegankelijkheid"),
        choices=Accessibility.choices,
        initial=Accessibility.UNKNOWN,
    )
    accessibility_note = forms.CharField(
        label=_("Toelichting op de toegankelijkheid"),
        max_length=300,
        required=False,
        help_text=_("Bijvoorbeeld: lift aanwezig, invalidentoilet op de begane grond."),
    )
    cost = forms.ChoiceField(
        label=_("Kosten voor de deelnemer"),
        choices=Cost.choices,
        initial=Cost.FREE,
        widget=forms.RadioSelect,
    )
    cost_amount = forms.DecimalField(
        label=_("Bedrag in euro"),
        required=False,
        min_value=0,
        max_digits=8,
        decimal_places=2,
        help_text=_("Alleen bij een eigen bijdrage of een prijs, bijvoorbeeld 12,50."),
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    cost_note = forms.CharField(
        label=_("Toelichting op de kosten"),
        max_length=200,
        required=False,
        help_text=_("Bijvoorbeeld: per maand, of vergoed met een stadspas."),
    )
    access = forms.ChoiceField(
        label=_("Toegang"),
        choices=Access.choices,
        initial=Access.WALK_IN,
        widget=forms.RadioSelect,
    )
    referral_note = forms.CharField(
        label=_("Wie kan verwijzen"),
        max_length=300,
        required=False,
        help_text=_("Alleen bij verwijzing, bijvoorbeeld: huisarts, wijkteam of gemeente."),
    )
    sign_up = forms.CharField(
        label=_("Zo meldt u zich aan"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    phone = forms.CharField(
        label=_("Telefoonnummer"),
        max_length=30,
        required=False,
        help_text=_("Bijvoorbeeld 020 123 4567 of 06 12345678."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    email = forms.EmailField(
        label=_("E-mailadres"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    website = forms.URLField(
        label=_("Website"),
        required=False,
        assume_scheme="https",
        help_text=_("Bijvoorbeeld https://www.welzijn.nl/maatjes"),
    )
    schedule = forms.CharField(
        label=_("Openingstijden of rooster"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Bijvoorbeeld: dinsdag en donderdag van 9.00 tot 12.00 uur."),
    )
    evidence_level = forms.ChoiceField(
        label=_("Erkenning (Movisie/NJi)"),
        choices=EvidenceLevel.choices,
        initial=EvidenceLevel.NONE,
        help_text=_(
            "Het niveau uit het Erkenningstraject Interventies, als de interventie is beoordeeld."
        ),
    )
    evidence_assessed_on = forms.DateField(
        label=_("Datum van beoordeling"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_(
            "Een erkenning geldt 3 jaar bij ‘goed beschreven’ en 5 jaar bij de hogere niveaus."
        ),
    )

    def __init__(self, *args, organisation_slug: str = "", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["intervention_type"].queryset = _accepted(CONCEPT_SCHEMES["intervention_type"])
        for name in CONCEPT_LIST_FIELDS:
            self.fields[name].queryset = _accepted(CONCEPT_SCHEMES[name])
        for field in self.fields.values():
            if isinstance(field.widget, forms.CheckboxSelectMultiple):
                field.widget.attrs["class"] = _CHECKBOX
            elif isinstance(field.widget, forms.RadioSelect):
                field.widget.attrs["class"] = _RADIO
        if organisation_slug:
            # Typing the name fetches suggestions for the intervention type; the current
            # choice goes along, so it survives the redraw.
            self.fields["name"].widget.attrs.update(
                {
                    "autocomplete": "off",
                    "hx-get": reverse("offers:suggestions", kwargs={"slug": organisation_slug}),
                    "hx-trigger": "input changed delay:400ms",
                    "hx-target": "#mw-intervention-type",
                    "hx-swap": "outerHTML",
                    "hx-include": "#id_intervention_type",
                    "hx-sync": "this:replace",
                }
            )

    def fieldsets(self) -> list[tuple[str, str, list[forms.BoundField]]]:
        return [(key, legend, [self[name] for name in names]) for key, legend, names in FIELDSETS]

    def service_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.fields}


def initial_for(offer: Offer) -> dict:
    """The form's starting values for an existing offer."""
    initial = {name: getattr(offer, name) for name in OfferForm.base_fields}
    initial["intervention_type"] = offer.intervention_type_id
    for name in CONCEPT_LIST_FIELDS:
        initial[name] = [c.pk for c in getattr(offer, name).all()]
    return initial


class LocationForm(StyledForm):
    place = PlaceField(
        help_text=_("De plaats waar het aanbod is, of die u bedient. Kies uit de lijst."),
    )
    name = forms.CharField(
        label=_("Naam van de locatie"),
        max_length=200,
        required=False,
        help_text=_("Bijvoorbeeld: buurthuis De Boog."),
    )
    address = forms.CharField(
        label=_("Adres"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    postcode = forms.CharField(
        label=_("Postcode"),
        max_length=10,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "size": 8}),
    )

    def clean_postcode(self) -> str:
        return normalise_postcode(self.cleaned_data.get("postcode", ""))

    def location(self) -> LocationInput:
        data = self.cleaned_data
        return LocationInput(
            place=data["place"],
            name=data["name"],
            address=data["address"],
            postcode=data["postcode"],
        )


class BaseLocationFormSet(forms.BaseFormSet):
    def add_fields(self, form, index) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Deze locatie verwijderen")
            form.fields["DELETE"].widget.attrs["class"] = _CHECKBOX

    def clean(self) -> None:
        if any(self.errors):
            return
        if not self.locations():
            raise forms.ValidationError(_("Geef minstens één locatie of plaats op."))

    def locations(self) -> list[LocationInput]:
        return [
            form.location()
            for form in self.forms
            if form.has_changed()
            and form.cleaned_data.get("place")
            and not self._should_delete_form(form)
        ]


LocationFormSet = forms.formset_factory(
    LocationForm,
    formset=BaseLocationFormSet,
    extra=1,
    can_delete=True,
    can_delete_extra=False,
    max_num=50,
)
LOCATIONS_PREFIX = "locaties"


def location_formset(data=None, *, offer: Offer | None = None) -> BaseLocationFormSet:
    """Blank row included: one for a new offer, one extra under the locations of an existing one."""
    initial = None
    if offer is not None:
        initial = [
            {
                "place": location.place,
                "name": location.name,
                "address": location.address,
                "postcode": location.postcode,
            }
            for location in offer.locations.all()
        ]
    return LocationFormSet(data, initial=initial, prefix=LOCATIONS_PREFIX)


class PlacesForm(StyledForm):
    places_available = forms.IntegerField(
        label=_("Vrije plaatsen"),
        required=False,
        min_value=0,
        max_value=MAX_PLACES,
        help_text=_("Hoeveel plaatsen er nu vrij zijn. Leeg laten als u het niet weet."),
    )


class OfferFilterForm(StyledForm):
    """The list's filters, in the query string so a filtered list can be linked to."""

    q = forms.CharField(label=_("Zoek op naam"), max_length=100, required=False)
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Alle")), *OfferStatus.choices], required=False
    )
    bevestigen = forms.BooleanField(
        label=_("Alleen aanbod dat bevestigd moet worden"), required=False
    )
