"""Invariants of concepts and mappings: in clean() with Dutch messages, and in the database."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from meerwaarde.organisations.tests.factories import OrganisationFactory
from meerwaarde.vocabulary.constants import ConceptStatus
from meerwaarde.vocabulary.models import Concept, LocalNameMapping
from meerwaarde.vocabulary.normalise import normalise
from meerwaarde.vocabulary.tests.factories import ConceptFactory, ConceptSchemeFactory

pytestmark = pytest.mark.django_db


def test_it_normalises_case_accents_and_punctuation():
    assert normalise("  Taalcafé 'De Wereld'!  ") == "taalcafe de wereld"
    assert normalise("SchuldHulp-Maatje") == "schuldhulp maatje"


def test_it_refuses_a_deprecated_concept_without_replacement_in_the_database():
    concept = ConceptFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Concept.objects.filter(pk=concept.pk).update(status=ConceptStatus.DEPRECATED)


def test_it_refuses_a_replacement_on_a_living_concept_in_the_database():
    concept, other = ConceptFactory(), ConceptFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Concept.objects.filter(pk=concept.pk).update(replaced_by=other)


def test_it_refuses_a_concept_broader_than_itself_in_the_database():
    concept = ConceptFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Concept.objects.filter(pk=concept.pk).update(broader=concept)


def test_it_refuses_an_unknown_status_in_the_database():
    concept = ConceptFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Concept.objects.filter(pk=concept.pk).update(status="weg")


def test_it_requires_broader_in_the_same_scheme():
    concept = ConceptFactory(broader=ConceptFactory())
    with pytest.raises(ValidationError) as error:
        concept.full_clean()
    assert "dezelfde begrippenlijst" in error.value.message_dict["broader"][0]


def test_it_refuses_a_cycle_of_broader_concepts():
    scheme = ConceptSchemeFactory()
    parent = ConceptFactory(scheme=scheme)
    child = ConceptFactory(scheme=scheme, broader=parent)
    parent.broader = child
    with pytest.raises(ValidationError) as error:
        parent.full_clean()
    assert "kring" in error.value.message_dict["broader"][0]


def test_it_requires_an_accepted_replacement_in_the_same_scheme():
    scheme = ConceptSchemeFactory()
    draft = ConceptFactory(scheme=scheme, status=ConceptStatus.DRAFT)
    concept = ConceptFactory(scheme=scheme)
    concept.status, concept.replaced_by = ConceptStatus.DEPRECATED, draft
    with pytest.raises(ValidationError) as error:
        concept.full_clean()
    assert "vastgesteld" in error.value.message_dict["replaced_by"][0]
    concept.replaced_by = ConceptFactory()
    with pytest.raises(ValidationError) as error:
        concept.full_clean()
    assert "dezelfde begrippenlijst" in error.value.message_dict["replaced_by"][0]


def test_it_explains_the_code_format_in_dutch():
    concept = ConceptFactory.build(scheme=ConceptSchemeFactory(), code="Geen Code!")
    with pytest.raises(ValidationError) as error:
        concept.full_clean()
    assert "kleine letters" in error.value.message_dict["code"][0]


def test_it_keeps_a_normalised_search_text():
    concept = ConceptFactory(pref_label_nl="Taalcafé", synonyms=["Praatcafé Nederlands"])
    assert "taalcafe" in concept.search_text
    assert "praatcafe nederlands" in concept.search_text


def test_it_allows_one_mapping_per_normalised_name_per_organisation():
    organisation = OrganisationFactory()
    concept = ConceptFactory()
    LocalNameMapping.objects.create(
        organisation=organisation, local_name="Taalcafé", concept=concept
    )
    LocalNameMapping.objects.create(
        organisation=OrganisationFactory(), local_name="Taalcafé", concept=concept
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        LocalNameMapping.objects.create(
            organisation=organisation, local_name="TAALCAFE", concept=concept
        )
