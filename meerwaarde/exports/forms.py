from django import forms
from django.utils.translation import gettext_lazy as _

FORMATS = [
    (
        "csv",
        _("Een zip-bestand met CSV-bestanden, één per tabel (voor Excel en andere programma's)"),
    ),
    ("xlsx", _("Eén Excel-werkmap met een blad per tabel")),
]


class ExportForm(forms.Form):
    fmt = forms.ChoiceField(
        label=_("Vorm"), choices=FORMATS, initial="csv", widget=forms.RadioSelect
    )
