"""The dashboard's filters: in the query string, so a filtered view can be linked to and the CSV
downloads carry the same filters."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meerwaarde.analysis.selectors import Selection, filter_choices
from meerwaarde.core.forms import StyledForm
from meerwaarde.offers.models import Offer
from meerwaarde.organisations.models import Organisation
from meerwaarde.vocabulary.models import Concept

FIRST_YEAR = 2000
MONTH_FORMAT = "%Y-%m"


class MonthField(forms.DateField):
    """A month as ``2025-03`` (what ``<input type="month">`` sends); the first of the month."""

    widget = forms.DateInput(attrs={"type": "month"}, format=MONTH_FORMAT)
    input_formats = [MONTH_FORMAT]
    default_error_messages = {
        "invalid": _("Vul een maand in als jaar-maand, bijvoorbeeld 2025-03."),
    }

    def clean(self, value: object) -> datetime.date | None:
        month = super().clean(value)
        if month is None:
            return None
        if not FIRST_YEAR <= month.year <= timezone.localdate().year + 1:
            raise forms.ValidationError(
                _("Kies een maand tussen %(first)s en volgend jaar."),
                code="out_of_range",
                params={"first": FIRST_YEAR},
            )
        return month.replace(day=1)


class ConceptChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Concept) -> str:
        return obj.pref_label_nl


class ResultsFilterForm(StyledForm):
    aanbod = forms.ModelChoiceField(
        label=_("Aanbod"),
        queryset=Offer.objects.none(),
        required=False,
        empty_label=_("Al het aanbod"),
    )
    soort = ConceptChoiceField(
        label=_("Soort interventie"),
        queryset=Concept.objects.none(),
        required=False,
        empty_label=_("Alle soorten"),
    )
    thema = ConceptChoiceField(
        label=_("Thema van het aanbod"),
        queryset=Concept.objects.none(),
        required=False,
        empty_label=_("Alle thema's"),
    )
    doelgroep = ConceptChoiceField(
        label=_("Doelgroep van het aanbod"),
        queryset=Concept.objects.none(),
        required=False,
        empty_label=_("Alle doelgroepen"),
    )
    van = MonthField(
        label=_("Eerste maand"),
        required=False,
        help_text=_("Bijvoorbeeld 2025-01. Uitkomsten tellen in de maand van de eindmeting."),
    )
    tot = MonthField(label=_("Laatste maand"), required=False, help_text=_("Bijvoorbeeld 2025-12."))

    def __init__(self, *args, organisation: Organisation, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        choices = filter_choices(organisation=organisation)
        self.fields["aanbod"].queryset = choices.offers
        self.fields["soort"].queryset = choices.intervention_types
        self.fields["thema"].queryset = choices.themes
        self.fields["doelgroep"].queryset = choices.target_groups

    def clean(self) -> dict:
        data = super().clean()
        first, last = data.get("van"), data.get("tot")
        if first and last and first > last:
            self.add_error("tot", _("De laatste maand ligt vóór de eerste. Draai ze om."))
        return data

    def selection(self) -> Selection:
        """The organisation, with every filter that is valid; an invalid one is left out (and
        shown as an error), so the page still shows figures."""
        if not self.is_bound:
            return Selection(organisation=self.organisation)
        self.is_valid()
        data = self.cleaned_data
        return Selection(
            organisation=self.organisation,
            offer=data.get("aanbod"),
            intervention_type=data.get("soort"),
            theme=data.get("thema"),
            target_group=data.get("doelgroep"),
            start=data.get("van"),
            end=data.get("tot"),
        )

    @property
    def filtered(self) -> bool:
        return self.is_bound and any(self.cleaned_data.get(name) for name in self.fields)
