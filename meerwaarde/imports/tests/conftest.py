from meerwaarde.activities.tests.fixtures import sources  # noqa: F401 (a fixture)
