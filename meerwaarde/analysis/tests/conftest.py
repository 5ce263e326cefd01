import datetime

import pytest

from meerwaarde.analysis.tests.factories import Outcomes


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The measurements table, until the measurements app ships its migration.

    The apps of issue 4 are built side by side; drop this fixture once
    meerwaarde/measurements/migrations/0001_initial.py exists.
    """
    from django.db import connection

    from meerwaarde.measurements.models import Measurement

    with django_db_blocker.unblock():
        if Measurement._meta.db_table not in connection.introspection.table_names():
            with connection.schema_editor() as editor:
                editor.create_model(Measurement)


@pytest.fixture
def outcomes(shipped_instruments, org_a) -> Outcomes:
    """Builds offers, trajectories and measurements through the other apps' services."""
    return Outcomes(
        instruments=shipped_instruments,
        organisation=org_a,
        today=datetime.date.today(),
    )
