import pytest

from meerwaarde.instruments.definition import load_shipped


@pytest.fixture(scope="session")
def shipped() -> dict:
    """The shipped definitions from their files, by "code-version"; no database."""
    return {definition.key: definition for definition in load_shipped()}


@pytest.fixture
def outcome_domains(db):
    """Two accepted outcome domains in the database, as the builder offers them."""
    from meerwaarde.vocabulary.tests.factories import ConceptFactory, ConceptSchemeFactory

    scheme = ConceptSchemeFactory(code="outcome_domains")
    return {
        code: ConceptFactory(scheme=scheme, code=code, pref_label_nl=label)
        for code, label in [
            ("domein-geestelijke-gezondheid", "Geestelijke gezondheid"),
            ("domein-eenzaamheid", "Ervaren eenzaamheid"),
        ]
    }
