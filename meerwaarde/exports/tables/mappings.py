"""The organisation's own names linked to concepts of the uniform vocabulary.

The import's column mappings join here once ``meerwaarde/imports`` stores them.
"""

from django.utils.translation import gettext_lazy as _

from meerwaarde.exports.columns import Column, Kind, Table, each
from meerwaarde.vocabulary.models import LocalNameMapping

MAPPINGS = Table(
    name="koppelingen",
    description=_("Eigen namen van de organisatie, gekoppeld aan een begrip uit de woordenlijst."),
    columns=(
        Column("lokale_naam", Kind.TEXT, _("De naam zoals de organisatie die gebruikt.")),
        Column("begrip", Kind.CODE, _("Code van het begrip in de uniforme woordenlijst.")),
    ),
    source=lambda organisation: (
        LocalNameMapping.objects.filter(organisation=organisation)
        .order_by("local_name", "pk")
        .values_list("local_name", "concept__code")
    ),
    rows=each(tuple),
)
