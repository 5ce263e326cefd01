"""The seed: loading it, again, and what it must contain."""

import copy
from io import StringIO

import pytest
from django.core.management import call_command

from meerwaarde.vocabulary.constants import ConceptStatus
from meerwaarde.vocabulary.models import Concept, ConceptScheme
from meerwaarde.vocabulary.services import vocabulary_load

pytestmark = pytest.mark.django_db

SCHEMES = [
    "themes",
    "target_groups",
    "intervention_types",
    "working_elements",
    "outcome_domains",
    "results_chain_levels",
    "referral_sources",
]


def test_it_loads_the_seed_idempotently_with_the_command():
    out = StringIO()
    call_command("load_vocabulary", stdout=out)
    schemes, concepts = ConceptScheme.objects.count(), Concept.objects.count()
    histories = Concept.history.count()
    call_command("load_vocabulary", stdout=out)
    assert ConceptScheme.objects.count() == schemes == 7
    assert Concept.objects.count() == concepts
    assert Concept.history.count() == histories, "an unchanged file writes no history"
    assert "0 begrippen nieuw, 0 bijgewerkt" in out.getvalue().splitlines()[-1]


def test_it_updates_changed_concepts_and_sets_their_version(seed_data):
    vocabulary_load(data=seed_data)
    changed = copy.deepcopy(seed_data)
    changed["version"] = "2026.2"
    changed["schemes"][0]["concepts"][0]["synonyms"].append("armoedeaanpak")
    counts = vocabulary_load(data=changed)
    assert counts["updated"] == 1
    concept = Concept.objects.get(code=changed["schemes"][0]["concepts"][0]["code"])
    assert "armoedeaanpak" in concept.synonyms
    assert concept.version == "2026.2"
    assert Concept.objects.exclude(pk=concept.pk).filter(version="2026.2").count() == 0
    assert concept.history.first().history_change_reason.startswith("Geladen")


def test_it_loads_broader_concepts_given_after_their_narrower(seed_data):
    scheme = copy.deepcopy(seed_data["schemes"][0])
    scheme["concepts"].reverse()
    vocabulary_load(data={"version": "x", "schemes": [scheme]})
    child = next(c for c in scheme["concepts"] if c["broader"])
    assert Concept.objects.get(code=child["code"]).broader.code == child["broader"]


def test_it_refuses_a_broader_reference_that_does_not_exist():
    from django.core.exceptions import ValidationError

    data = {
        "version": "1",
        "schemes": [
            {
                "code": "themes",
                "label_nl": "Thema's",
                "label_en": "Themes",
                "concepts": [
                    {
                        "code": "thema-x",
                        "label_nl": "X",
                        "label_en": "X",
                        "definition": "X.",
                        "broader": "thema-bestaat-niet",
                    }
                ],
            }
        ],
    }
    with pytest.raises(ValidationError):
        vocabulary_load(data=data)
    assert not Concept.objects.exists()


def test_the_seed_has_every_scheme_and_enough_intervention_types(vocabulary):
    assert list(ConceptScheme.objects.values_list("code", flat=True)) == SCHEMES
    assert Concept.objects.filter(scheme__code="intervention_types").count() >= 30
    assert not Concept.objects.exclude(status=ConceptStatus.ACCEPTED).exists()
    assert not Concept.objects.filter(pref_label_en="").exists()
    assert not Concept.objects.filter(definition="").exists()


# Themes, target groups and levels the source documents name (DESIGN.md glossary, seeds/).
REQUIRED = [
    "thema-armoede-schulden",
    "thema-sociale-basis-preventie",
    "thema-maatschappelijke-opvang",
    "thema-eenzaamheid",
    "thema-huiselijk-geweld",
    "thema-opvoeden-opgroeien",
    "thema-echtscheiding",
    "thema-statushouders",
    "thema-dementie-thuis",
    "thema-psychische-kwetsbaarheid",
    "thema-lvb",
    "thema-vroegsignalering",
    "thema-positieve-gezondheid",
    "doelgroep-ouderen",
    "doelgroep-psychisch-kwetsbaren",
    "doelgroep-jongeren",
    "doelgroep-mantelzorgers",
    "doelgroep-statushouders",
    "keten-input",
    "keten-activiteit",
    "keten-output",
    "keten-outcome",
    "keten-impact",
]


def test_the_seed_has_the_themes_and_target_groups_of_the_sources(vocabulary):
    accepted = set(
        Concept.objects.filter(status=ConceptStatus.ACCEPTED).values_list("code", flat=True)
    )
    assert set(REQUIRED) - accepted == set()


def test_the_dashboard_counts_come_in_one_query(vocabulary, django_assert_num_queries):
    from meerwaarde.vocabulary.selectors import concept_counts_by_scheme

    with django_assert_num_queries(1):
        rows = concept_counts_by_scheme()
    assert rows[0]["label"] == "Thema's"
    assert rows[0]["concept_count"] >= 1
    assert rows[0]["draft_count"] == 0
