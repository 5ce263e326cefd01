from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from meerwaarde.accounts.constants import OrgRole
from meerwaarde.core.forms import StyledForm, StyledModelForm
from meerwaarde.organisations.models import Organisation
from meerwaarde.places.models import Place
from meerwaarde.places.selectors import place_get_by_label, place_is_ambiguous


class PlaceField(forms.CharField):
    """A text box with suggestions from the Dutch places list; cleans to a Place."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("label", _("Plaats"))
        kwargs.setdefault("help_text", _("Typ de eerste letters en kies de plaats uit de lijst."))
        super().__init__(max_length=160, **kwargs)
        self.widget.attrs.update(
            {
                "list": "places-datalist",
                "autocomplete": "off",
                "hx-get": reverse_lazy("places:autocomplete"),
                "hx-trigger": "input changed delay:200ms",
                "hx-target": "#places-datalist",
                "hx-swap": "innerHTML",
                "data-places-autocomplete": "",
            }
        )

    def prepare_value(self, value):
        # Unbound model forms pass the place's primary key; bound ones pass what was typed.
        if isinstance(value, int):
            value = Place.objects.filter(pk=value).first()
        label = getattr(value, "label", None)
        return label if label is not None else value

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        place = place_get_by_label(label=value)
        if place is None:
            if place_is_ambiguous(label=value):
                raise forms.ValidationError(
                    _(
                        "Er zijn meerdere plaatsen met deze naam. Kies er een uit de lijst, "
                        "met de provincie erbij."
                    ),
                    code="ambiguous",
                )
            raise forms.ValidationError(
                _("Deze plaats kennen we niet. Kies een Nederlandse plaats uit de lijst."),
                code="unknown_place",
            )
        return place


class OrganisationForm(StyledModelForm):
    place = PlaceField()
    website = forms.URLField(
        label=_("Website"),
        required=False,
        assume_scheme="https",
        help_text=_("Bijvoorbeeld https://www.welzijn.nl"),
    )

    class Meta:
        model = Organisation
        fields = [
            "name",
            "kind",
            "kvk_number",
            "place",
            "website",
            "is_member",
            "member_since",
            "description",
        ]
        widgets = {
            "member_since": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 4}),
            "kvk_number": forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 8}),
        }
        help_texts = {
            "kvk_number": _("8 cijfers, zoals 12345678."),
            "member_since": _("Alleen invullen als de organisatie lid is."),
            "description": _("Hooguit 600 tekens."),
        }

    def clean_kvk_number(self) -> str:
        value = (self.cleaned_data.get("kvk_number") or "").replace(" ", "")
        if (
            value
            and Organisation.objects.filter(kvk_number=value).exclude(pk=self.instance.pk).exists()
        ):
            raise forms.ValidationError(_("Er is al een organisatie met dit KvK-nummer."))
        return value

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("member_since") and not cleaned.get("is_member"):
            self.add_error("member_since", _("Een datum ‘lid sinds’ kan alleen bij een lid."))
        return cleaned


class InvitationForm(StyledForm):
    email = forms.EmailField(label=_("E-mailadres"))
    role = forms.ChoiceField(label=_("Rol"), choices=OrgRole.choices, initial=OrgRole.WORKER)


class RoleForm(StyledForm):
    role = forms.ChoiceField(label=_("Rol"), choices=OrgRole.choices)


class FirstAdminForm(StyledForm):
    """When a platform admin creates an organisation: who gets to manage it."""

    admin_email = forms.EmailField(
        label=_("E-mailadres van de eerste organisatiebeheerder"),
        help_text=_("Deze persoon krijgt een uitnodiging per e-mail."),
    )
