"""The organisation's own names linked to concepts of the uniform vocabulary, and what the
import remembered: which column of its files holds which field, and which of its names (in
imported files) stand for which concept or offer.
"""

from django.utils.translation import gettext_lazy as _

from meerwaarde.exports.columns import Column, Kind, Table, each
from meerwaarde.imports.fields import ImportKind
from meerwaarde.imports.models import ColumnMapping, ConceptMapping
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

IMPORT_COLUMNS = Table(
    name="importkolommen",
    description=_("Welke kolom in de importbestanden van de organisatie welk veld bevat."),
    columns=(
        Column("soort_import", Kind.CODE, _("Soort import."), choices=ImportKind),
        Column("kolom", Kind.TEXT, _("De kolomkop zoals die in het bestand staat.")),
        Column("veld", Kind.TEXT, _("Het veld van Meerwaarde dat de kolom bevat.")),
    ),
    source=lambda organisation: (
        ColumnMapping.objects.filter(organisation=organisation)
        .order_by("kind", "source_column", "pk")
        .values_list("kind", "source_column", "field")
    ),
    rows=each(tuple),
)

IMPORT_NAMES = Table(
    name="importnamen",
    description=_(
        "Eigen namen in importbestanden, gekoppeld aan een begrip of aan een eigen aanbod."
    ),
    columns=(
        Column("lijst", Kind.TEXT, _("De lijst waar de naam bij hoort (of ‘offers’ voor aanbod).")),
        Column("eigen_naam", Kind.TEXT, _("De naam zoals die in het bestand staat.")),
        Column("begrip", Kind.CODE, _("Code van het begrip; leeg bij een aanbod.")),
        Column("aanbod_id", Kind.INTEGER, _("Het aanbod (aanbod.csv); leeg bij een begrip.")),
    ),
    source=lambda organisation: (
        ConceptMapping.objects.filter(organisation=organisation)
        .order_by("scheme", "local_name", "pk")
        .values_list("scheme", "local_name", "concept__code", "offer_id")
    ),
    rows=each(tuple),
)
