"""Remembered column mappings and local names, per organisation."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from meerwaarde.imports.models import OFFERS_SCHEME, ColumnMapping, ConceptMapping
from meerwaarde.imports.services import (
    column_map_suggest,
    column_mappings_remember,
    concept_mapping_save,
)
from meerwaarde.offers.tests.factories import InterventionTypeFactory, OfferFactory

pytestmark = pytest.mark.django_db


def test_it_suggests_remembered_columns_and_the_exports_own_names(org_a, org_b, alice):
    column_mappings_remember(
        organisation=org_a,
        kind="metingen",
        column_map={"Datum afname": "datum", "moment": "moment"},
        created_by=alice,
    )

    suggestion = column_map_suggest(
        organisation=org_a, kind="metingen", columns=["Datum afname", "MOMENT", "Opmerking"]
    )
    elsewhere = column_map_suggest(organisation=org_b, kind="metingen", columns=["Datum afname"])

    assert suggestion == {"Datum afname": "datum", "MOMENT": "moment"}
    assert elsewhere == {}
    assert ColumnMapping.objects.get().source_column == "Datum afname"


def test_remembering_a_column_again_changes_its_field(org_a):
    for field in ("datum", "startdatum"):
        column_mappings_remember(
            organisation=org_a, kind="metingen", column_map={"Datum": field}, created_by=None
        )

    assert list(ColumnMapping.objects.values_list("field", flat=True)) == ["startdatum"]


def test_a_local_name_maps_to_an_offer_of_the_organisation_only(org_a, org_b):
    own = OfferFactory(organisation=org_a)
    theirs = OfferFactory(organisation=org_b)

    mapping = concept_mapping_save(
        organisation=org_a,
        scheme=OFFERS_SCHEME,
        local_name=" Maatjes  Oost ",
        offer=own,
        created_by=None,
    )
    with pytest.raises(ValidationError):
        concept_mapping_save(
            organisation=org_a,
            scheme=OFFERS_SCHEME,
            local_name="X",
            offer=theirs,
            created_by=None,
        )

    assert (mapping.local_name, mapping.normalised_name) == ("Maatjes Oost", "maatjes oost")


def test_a_local_name_maps_to_a_concept_of_its_own_list(org_a):
    kind = InterventionTypeFactory()

    mapping = concept_mapping_save(
        organisation=org_a,
        scheme="intervention_types",
        local_name="Maatjes",
        concept=kind,
        created_by=None,
    )
    with pytest.raises(ValidationError):
        concept_mapping_save(
            organisation=org_a,
            scheme="themes",
            local_name="Maatjes",
            concept=kind,
            created_by=None,
        )

    assert mapping.concept == kind


def test_the_database_refuses_a_mapping_to_both_or_neither(org_a):
    with pytest.raises(IntegrityError):
        ConceptMapping.objects.create(organisation=org_a, scheme="themes", local_name="Iets")
