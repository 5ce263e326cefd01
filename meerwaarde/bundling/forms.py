"""The sector view's filters: in the query string, so a view can be linked to; the API reads the
same form under its English parameter names."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from meerwaarde.analysis.forms import ConceptChoiceField, MonthField
from meerwaarde.bundling.sector import FOCUS_GROUPS, SectorSelection
from meerwaarde.core.forms import StyledForm
from meerwaarde.offers.models import Offer
from meerwaarde.organisations.constants import OrganisationKind
from meerwaarde.places.constants import Province
from meerwaarde.places.models import Place
from meerwaarde.vocabulary.models import Concept

# SectorSelection's names → the form's (Dutch) names.
FIELD_NAMES = {
    "province": "provincie",
    "municipality": "plaats",
    "theme": "thema",
    "target_group": "doelgroep",
    "intervention_type": "soort",
    "focus": "focus",
    "start": "van",
    "end": "tot",
}


class PlaceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Place) -> str:
        return obj.label


class SectorFilterForm(StyledForm):
    provincie = forms.ChoiceField(
        label=_("Provincie"),
        choices=[("", _("Alle provincies")), *Province.choices],
        required=False,
    )
    plaats = PlaceChoiceField(
        label=_("Plaats"),
        queryset=Place.objects.none(),
        to_field_name="geonameid",
        required=False,
        empty_label=_("Alle plaatsen"),
        help_text=_("De plaats waar de organisatie gevestigd is."),
    )
    thema = ConceptChoiceField(
        label=_("Thema van het aanbod"),
        queryset=Concept.objects.none(),
        to_field_name="code",
        required=False,
        empty_label=_("Alle thema's"),
    )
    doelgroep = ConceptChoiceField(
        label=_("Doelgroep van het aanbod"),
        queryset=Concept.objects.none(),
        to_field_name="code",
        required=False,
        empty_label=_("Alle doelgroepen"),
    )
    soort = ConceptChoiceField(
        label=_("Soort interventie"),
        queryset=Concept.objects.none(),
        to_field_name="code",
        required=False,
        empty_label=_("Alle soorten"),
    )
    focus = forms.ChoiceField(
        label=_("Aandachtsgroep"),
        choices=[("", _("Alle deelnemers")), *((g.code, g.label) for g in FOCUS_GROUPS)],
        required=False,
    )
    van = MonthField(
        label=_("Eerste maand"),
        required=False,
        help_text=_("Bijvoorbeeld 2025-01. Uitkomsten tellen in de maand van de eindmeting."),
    )
    tot = MonthField(label=_("Laatste maand"), required=False, help_text=_("Bijvoorbeeld 2025-12."))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        offers = Offer.objects.filter(organisation__kind=OrganisationKind.SOCIAL_WORK)
        concepts = Concept.objects.select_related("scheme").order_by("pref_label_nl", "pk")
        self.fields["plaats"].queryset = Place.objects.filter(
            pk__in=offers.values("organisation__place")
        ).order_by("name", "province")
        self.fields["thema"].queryset = concepts.filter(
            scheme__code="themes", pk__in=offers.values("themes")
        )
        self.fields["doelgroep"].queryset = concepts.filter(
            scheme__code="target_groups", pk__in=offers.values("target_groups")
        )
        self.fields["soort"].queryset = concepts.filter(
            scheme__code="intervention_types", pk__in=offers.values("intervention_type")
        )

    def clean(self) -> dict:
        data = super().clean()
        try:
            self._selection(data)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                field = FIELD_NAMES.get(name)
                if field is not None and field not in self.errors:
                    self.add_error(field, messages)
        return data

    @staticmethod
    def _selection(data: dict) -> SectorSelection:
        return SectorSelection(**{name: data.get(field) for name, field in FIELD_NAMES.items()})

    def selection(self) -> SectorSelection:
        """Every filter that is valid; an invalid one is left out (and shown as an error), so
        the page still shows figures."""
        if not self.is_bound:
            return SectorSelection()
        self.is_valid()
        data = {name: value for name, value in self.cleaned_data.items() if name not in self.errors}
        return self._selection(data)

    @property
    def filtered(self) -> bool:
        return self.is_bound and any(self.cleaned_data.get(name) for name in self.fields)


class ComparisonForm(StyledForm):
    """The benchmark's period: the months of the end measurements, inclusive."""

    van = MonthField(label=_("Eerste maand"), required=False, help_text=_("Bijvoorbeeld 2025-01."))
    tot = MonthField(label=_("Laatste maand"), required=False, help_text=_("Bijvoorbeeld 2025-12."))

    def clean(self) -> dict:
        data = super().clean()
        first, last = data.get("van"), data.get("tot")
        if first and last and first > last:
            self.add_error("tot", _("De laatste maand ligt vóór de eerste. Draai ze om."))
        return data

    def period(self) -> tuple:
        """(first, last) month of the valid fields; None where empty or invalid."""
        if not self.is_bound:
            return None, None
        self.is_valid()
        return self.cleaned_data.get("van"), self.cleaned_data.get("tot")
