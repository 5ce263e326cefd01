import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

URL = reverse("bundling:api_figures")


def test_it_returns_the_breakdown_with_hidden_cells_as_null(client, sector):
    response = client.get(URL, {"dimension": "municipality"})

    assert response.status_code == 200
    data = response.json()
    assert data["dimension"] == "municipality" and data["k"] == 10
    deventer = next(row for row in data["rows"] if row["key"] == "2757345")
    assert deventer["reach"]["hidden"] is True
    assert deventer["reach"]["reason"] == "te weinig deelnemers"
    assert deventer["reach"]["participants_reached"] is None
    for outcome in deventer["outcomes"]:
        assert outcome == {**outcome, "hidden": True, "n": None, "mean_change": None}
    zwolle = next(row for row in data["rows"] if row["key"] == "2743477")
    assert zwolle["label"] == "Zwolle (Overijssel)"


def test_it_shows_no_cell_below_k(client, sector):
    for dimension in ("province", "municipality", "theme", "target_group", "intervention_type"):
        data = client.get(URL, {"dimension": dimension}).json()
        for row in [*data["rows"], data["total"]]:
            for outcome in row["outcomes"]:
                assert outcome["hidden"] or outcome["n"] >= 10
            assert row["reach"]["hidden"] or row["reach"]["participants_reached"] >= 10


def test_it_takes_the_sector_selection(client, sector):
    data = client.get(
        URL, {"dimension": "target_group", "focus": "ouderen", "province": "OV"}
    ).json()
    assert [row["key"] for row in data["rows"]] == ["doelgroep-ouderen"]
    assert data["total"]["reach"]["participants_reached"] == 40


@pytest.mark.parametrize(
    ("query", "parameter", "message"),
    [
        ({"dimension": "gemeente"}, "dimension", "Kies voor dimension een van"),
        ({"province": "XX"}, "province", "Selecteer een geldige keuze"),
        ({"theme": "thema-bestaat-niet"}, "theme", "Selecteer een geldige keuze"),
        ({"start": "2025-13"}, "start", "Vul een maand in als jaar-maand"),
        ({"start": "2025-06", "end": "2025-01"}, "end", "De laatste maand ligt vóór de eerste"),
        ({"province": "DR", "municipality": "2743477"}, "municipality", "ligt niet in"),
        ({"plaats": "Zwolle"}, "plaats", "Onbekende parameter"),
    ],
)
def test_it_refuses_invalid_parameters_in_dutch(client, sector, query, parameter, message):
    response = client.get(URL, query)

    assert response.status_code == 400
    assert response.json()["parameter"] == parameter
    assert message in response.json()["detail"]


def test_it_is_described_in_the_openapi_document(client, db):
    schema = client.get(reverse("api-schema"), {"format": "json"}).json()

    operation = schema["paths"]["/api/v1/figures/"]["get"]
    names = {p["name"] for p in operation["parameters"]}
    assert {"dimension", "province", "municipality", "focus", "start", "end"} <= names
    assert "400" in operation["responses"]
