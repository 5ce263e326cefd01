"""The forms of the sharing pages. The services check everything again; these only offer the
choices that make sense (the organisation's own reports and programmes, other organisations)."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meerwaarde.analysis.forms import ResultsFilterForm
from meerwaarde.core.forms import StyledForm
from meerwaarde.organisations.models import Organisation
from meerwaarde.programmes.models import Programme
from meerwaarde.reports.models import Report
from meerwaarde.sharing.constants import ImpactSection
from meerwaarde.sharing.models import GrantKind
from meerwaarde.sharing.selectors import partner_choices

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
FILTER_PREFIX = "f"


class PartnerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Organisation) -> str:
        return f"{obj.name} ({obj.place.name})"


class GrantForm(StyledForm):
    partner = PartnerChoiceField(
        label=_("Organisatie die toegang krijgt"),
        queryset=Organisation.objects.none(),
        empty_label=_("Kies een organisatie"),
        help_text=_(
            "Iedereen van die organisatie die is ingelogd, ziet wat u deelt onder ‘Gedeeld met "
            "ons’. Zij zien alleen gebundelde cijfers, nooit gegevens van deelnemers."
        ),
    )
    kind = forms.ChoiceField(
        label=_("Wat deelt u?"),
        choices=GrantKind.choices,
        initial=GrantKind.DASHBOARD,
        widget=forms.RadioSelect,
    )
    report = forms.ModelChoiceField(
        label=_("Verantwoording"),
        queryset=Report.objects.none(),
        required=False,
        empty_label=_("Kies een verantwoording"),
        help_text=_("Alleen als u een verantwoording deelt."),
    )
    programme = forms.ModelChoiceField(
        label=_("Programma"),
        queryset=Programme.objects.none(),
        required=False,
        empty_label=_("Kies een programma"),
        help_text=_("Alleen als u een programma deelt."),
    )
    ends_on = forms.DateField(
        label=_("Toegang tot en met"),
        widget=_DATE,
        help_text=_("Na deze dag ziet de partner niets meer. Hooguit twee jaar vooruit."),
    )
    note = forms.CharField(
        label=_("Toelichting"),
        max_length=200,
        required=False,
        help_text=_("Voor uzelf en de partner, bijvoorbeeld de afspraak waar dit bij hoort."),
    )

    def __init__(self, *args, organisation: Organisation, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = partner_choices(organisation=organisation)
        self.fields["report"].queryset = Report.objects.filter(organisation=organisation).order_by(
            "-created_at", "pk"
        )
        self.fields["programme"].queryset = Programme.objects.filter(
            organisation=organisation
        ).order_by("name", "pk")
        if not self.is_bound:
            self.initial.setdefault("ends_on", timezone.localdate() + datetime.timedelta(days=365))


def dashboard_filter_form(data, *, organisation: Organisation) -> ResultsFilterForm:
    """The dashboard's own filter form, prefixed so it can sit inside another form."""
    return ResultsFilterForm(data, organisation=organisation, prefix=FILTER_PREFIX)


def raw_filters(form: ResultsFilterForm) -> dict[str, str]:
    """What was typed into a prefixed filter form, by the dashboard's own field names."""
    if not form.is_bound:
        return {}
    return {name: form.data.get(form.add_prefix(name), "") for name in form.fields}


class ImpactPageForm(StyledForm):
    introduction = forms.CharField(
        label=_("Inleiding"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Een paar zinnen over uw organisatie en wat de cijfers laten zien."),
    )
    sections = forms.MultipleChoiceField(
        label=_("Onderdelen op de pagina"),
        choices=ImpactSection.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Cijfers over te weinig deelnemers verschijnen niet: daar staat ‘te weinig deelnemers’."
        ),
    )


class ApiTokenForm(StyledForm):
    name = forms.CharField(
        label=_("Naam van de sleutel"),
        max_length=100,
        help_text=_("Bijvoorbeeld het systeem dat de sleutel gebruikt."),
    )
    expires_on = forms.DateField(
        label=_("Geldig tot en met"),
        widget=_DATE,
        help_text=_("Hooguit twee jaar vooruit."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault(
                "expires_on", timezone.localdate() + datetime.timedelta(days=365)
            )
