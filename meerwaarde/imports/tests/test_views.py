"""The guided import's pages: upload, columns, local names, preview and start, for the
organisation's coordinators and admins only."""

import hashlib
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from meerwaarde.imports.models import ColumnMapping, ConceptMapping, ImportUpload, UploadStatus
from meerwaarde.imports.uploads import uploads_expire
from meerwaarde.offers.tests.factories import OfferFactory

pytestmark = pytest.mark.django_db

ACTIVITY_HEADER = "Project;maand;bijeenkomsten;deelnemers_bereikt"


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"


def csv_file(text: str, name: str = "activiteiten.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def upload(client, org, text: str, kind: str = "activiteiten", name: str = "activiteiten.csv"):
    return client.post(
        reverse("imports:start", args=[org.slug]), {"kind": kind, "file": csv_file(text, name)}
    )


def stored_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT) / "imports"
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def url(name: str, item: ImportUpload) -> str:
    return reverse(f"imports:{name}", args=[item.organisation.slug, item.uuid])


def mapped(
    client, org, text: str, mapping: dict[str, str], kind: str = "activiteiten"
) -> ImportUpload:
    """An upload whose columns are mapped (by position: ``kolom_<n>``)."""
    upload(client, org, text, kind=kind)
    item = ImportUpload.objects.latest("created_at")
    columns = text.splitlines()[0].split(";")
    data = {f"kolom_{i}": mapping.get(column, "") for i, column in enumerate(columns)}
    response = client.post(url("columns", item), data)
    assert response.status_code == 302, response.content.decode()
    item.refresh_from_db()
    return item


ACTIVITY_MAP = {
    "Project": "aanbod_naam",
    "maand": "maand",
    "bijeenkomsten": "bijeenkomsten",
    "deelnemers_bereikt": "deelnemers_bereikt",
}


# Access -------------------------------------------------------------------------------


def test_every_address_is_404_for_another_organisation_and_403_for_a_worker(
    alice_client, bob_client, charlie_client, org_a
):
    upload(alice_client, org_a, f"{ACTIVITY_HEADER}\nMaatjes;03-2025;4;10\n")
    item = ImportUpload.objects.get()
    addresses = [
        ("get", reverse("imports:start", args=[org_a.slug])),
        ("get", reverse("imports:template", args=[org_a.slug, "aanbod"])),
        *(("get", url(name, item)) for name in ("detail", "columns", "names", "preview")),
        ("post", url("columns", item)),
        ("post", url("preview", item)),
        ("post", url("check", item)),
        ("post", url("discard", item)),
    ]
    for method, address in addresses:
        assert getattr(charlie_client, method)(address).status_code == 404, address
        assert getattr(bob_client, method)(address).status_code == 403, address
    item.refresh_from_db()
    assert item.status == UploadStatus.UPLOADED and item.stored_path


def test_an_upload_of_one_organisation_is_404_under_another_organisations_address(
    alice_client, charlie_client, org_a, org_b
):
    upload(alice_client, org_a, f"{ACTIVITY_HEADER}\nMaatjes;03-2025;4;10\n")
    item = ImportUpload.objects.get()
    address = reverse("imports:columns", args=[org_b.slug, item.uuid])
    assert charlie_client.get(address).status_code == 404


# Step 1: upload ------------------------------------------------------------------------


def test_the_start_page_explains_each_kind_and_offers_its_template(carol_client, org_a):
    page = carol_client.get(reverse("imports:start", args=[org_a.slug])).content.decode()
    assert "Trajecten met metingen" in page and "Activiteiten per maand" in page
    template = carol_client.get(reverse("imports:template", args=[org_a.slug, "metingen"]))
    assert template["Content-Disposition"] == 'attachment; filename="voorbeeld-metingen.csv"'
    header = template.content.decode("utf-8-sig").strip().split(";")
    assert header[:3] == ["clientnummer", "pseudoniem", "aanbod_naam"] and "e1" in header
    unknown = carol_client.get(reverse("imports:template", args=[org_a.slug, "iets"]))
    assert unknown.status_code == 404


def test_an_upload_is_stored_under_the_organisation_with_its_hash(
    settings, alice_client, alice, org_a
):
    text = f"{ACTIVITY_HEADER}\nMaatjes;03-2025;4;10\n"
    response = upload(alice_client, org_a, text)
    item = ImportUpload.objects.get()
    assert response["Location"] == url("columns", item)
    assert item.stored_path == f"imports/{org_a.pk}/{item.uuid}"
    assert item.sha256 == hashlib.sha256(text.encode()).hexdigest()
    assert (item.original_name, item.kind, item.uploaded_by) == (
        "activiteiten.csv",
        "activiteiten",
        alice,
    )
    assert stored_files(settings) == [Path(settings.MEDIA_ROOT) / item.stored_path]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("bsn;Project\n111222333;Maatjes\n", "burgerservicenummer"),
        ("Naam;Project\nJan Jansen;Maatjes\n", "namen"),
        ("", "leeg"),
    ],
)
def test_a_refused_file_is_explained_at_once_and_nothing_stays_on_disk(
    settings, alice_client, org_a, text, message
):
    response = upload(alice_client, org_a, text)
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page.lower() or message in page
    assert 'value="activiteiten" required id="id_kind_2" checked' in page or re.search(
        r'value="activiteiten"[^>]*checked', page
    )
    assert not ImportUpload.objects.exists()
    assert stored_files(settings) == []


def test_a_file_over_the_limit_is_refused_with_its_size(settings, alice_client, org_a):
    settings.IMPORT_MAX_UPLOAD_BYTES = 100
    page = upload(alice_client, org_a, ACTIVITY_HEADER + "\n" + "Maatjes;03-2025;4;10\n" * 10)
    assert "mag hoogstens 100\xa0bytes zijn" in page.content.decode()
    assert not ImportUpload.objects.exists() and stored_files(settings) == []


def test_no_file_is_asked_for_and_the_chosen_kind_kept(alice_client, org_a):
    response = alice_client.post(reverse("imports:start", args=[org_a.slug]), {"kind": "aanbod"})
    page = response.content.decode()
    assert "Kies een bestand." in page
    assert re.search(r'value="aanbod"[^>]*checked', page)


def test_without_csrf_token_the_upload_is_refused(alice, org_a):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = upload(client, org_a, f"{ACTIVITY_HEADER}\nMaatjes;03-2025;4;10\n")
    assert response.status_code == 403 and not ImportUpload.objects.exists()


# Step 2: columns ------------------------------------------------------------------------


def test_the_columns_start_from_what_the_organisation_mapped_before(alice_client, org_a):
    ColumnMapping.objects.create(
        organisation=org_a, kind="activiteiten", source_column="Project", field="aanbod_naam"
    )
    upload(alice_client, org_a, f"{ACTIVITY_HEADER}\nMaatjes;03-2025;4;10\n")
    page = alice_client.get(url("columns", ImportUpload.objects.get())).content.decode()
    assert re.search(r'<option value="aanbod_naam" selected>', page)  # remembered
    assert re.search(r'<option value="maand" selected>', page)  # the field's own name
    assert "Verplichte velden:" in page and "Maand" in page


def test_a_missing_required_field_is_refused_and_the_choices_kept(alice_client, org_a):
    upload(alice_client, org_a, f"{ACTIVITY_HEADER}\nMaatjes;03-2025;4;10\n")
    item = ImportUpload.objects.get()
    response = alice_client.post(
        url("columns", item), {"kolom_0": "", "kolom_1": "maand", "kolom_2": "bijeenkomsten"}
    )
    page = response.content.decode()
    assert "Nog niet gekoppeld: Aanbod." in page
    assert re.search(r'<option value="bijeenkomsten" selected>', page)
    item.refresh_from_db()
    assert item.status == UploadStatus.UPLOADED and item.column_map == {}


def test_two_columns_on_one_field_are_refused(alice_client, org_a):
    upload(alice_client, org_a, f"{ACTIVITY_HEADER}\nMaatjes;03-2025;4;10\n")
    response = alice_client.post(
        url("columns", ImportUpload.objects.get()),
        {"kolom_0": "aanbod_naam", "kolom_1": "maand", "kolom_2": "maand"},
    )
    assert "Ook kolom ‘maand’ is aan dit veld gekoppeld; kies er één." in response.content.decode()


def test_a_measurement_file_asks_for_a_reference_and_maps_answer_columns(
    alice_client, org_a, shipped_instruments
):
    header = "nummer;aanbod_naam;startdatum;instrument_code;moment;datum;E1"
    row = "C-1;Maatjes;06-01-2025;djg6;intake;13-01-2025;ja"
    upload(alice_client, org_a, f"{header}\n{row}\n", kind="metingen")
    item = ImportUpload.objects.get()
    page = alice_client.get(url("columns", item)).content.decode()
    assert re.search(r'<option value="e1" selected>Antwoord op vraag e1</option>', page)
    response = alice_client.post(
        url("columns", item),
        {f"kolom_{i}": v for i, v in enumerate(["", *header.split(";")[1:-1], "e1"])},
    )
    assert "Koppel een kolom aan het cliëntnummer of aan het pseudoniem." in (
        response.content.decode()
    )


# Step 3: local names --------------------------------------------------------------------


def test_unknown_offer_names_are_asked_with_a_suggestion_and_remembered(alice_client, org_a):
    offer = OfferFactory(organisation=org_a, name="Maatjesproject Alfa")
    text = f"{ACTIVITY_HEADER}\nMaatjes Alfa;03-2025;4;10\nMaatjes Alfa;04-2025;2;8\n"
    item = mapped(alice_client, org_a, text, ACTIVITY_MAP)
    page = alice_client.get(url("names", item)).content.decode()
    assert "Maatjes Alfa" in page and "Gebruikt in 2 rijen." in page
    assert "Suggestie: Maatjesproject Alfa" in page
    response = alice_client.post(url("names", item), {"naam_0": str(offer.pk)})
    assert response["Location"] == url("preview", item)
    mapping = ConceptMapping.objects.get(organisation=org_a)
    assert (mapping.scheme, mapping.local_name, mapping.offer) == ("offers", "Maatjes Alfa", offer)
    # Known now: the step is skipped.
    assert alice_client.get(url("names", item))["Location"] == url("preview", item)


def test_another_organisations_offer_cannot_be_chosen(alice_client, org_a, org_b):
    OfferFactory(organisation=org_a, name="Maatjesproject Alfa")
    theirs = OfferFactory(organisation=org_b, name="Maatjes Alfa")
    item = mapped(
        alice_client, org_a, f"{ACTIVITY_HEADER}\nMaatjes Alfa;03-2025;4;10\n", ACTIVITY_MAP
    )
    response = alice_client.post(url("names", item), {"naam_0": str(theirs.pk)})
    assert (
        response.status_code == 200 and "Selecteer een geldige keuze" in response.content.decode()
    )
    assert not ConceptMapping.objects.exists()


def test_unknown_themes_of_an_offer_file_are_asked_per_list(alice_client, org_a):
    from meerwaarde.vocabulary.constants import ConceptStatus
    from meerwaarde.vocabulary.tests.factories import ConceptFactory

    theme = ConceptFactory(scheme__code="themes", code="eenzaamheid", status=ConceptStatus.ACCEPTED)
    text = (
        "aanbod_naam;soort_interventie;beschrijving;themas;plaats\n"
        "Koffie;x;Samen;alleen zijn, eenzaamheid;Zwolle\n"
    )
    upload(alice_client, org_a, text, kind="aanbod")
    item = ImportUpload.objects.get()
    columns = text.splitlines()[0].split(";")
    alice_client.post(url("columns", item), {f"kolom_{i}": c for i, c in enumerate(columns)})
    page = alice_client.get(url("names", item)).content.decode()
    assert "alleen zijn" in page and 'data-scheme="themes"' in page
    assert ">eenzaamheid<" not in page.split('data-scheme="themes"')[1].split("</legend>")[0]
    names = re.findall(
        r'<label class="utrecht-form-label" for="id_naam_(\d+)">([^<]+)</label>', page
    )
    index = next(i for i, name in names if name == "alleen zijn")
    alice_client.post(url("names", item), {f"naam_{index}": str(theme.pk)})
    mapping = ConceptMapping.objects.get(scheme="themes")
    assert (mapping.local_name, mapping.concept) == ("alleen zijn", theme)


# Step 4: preview ------------------------------------------------------------------------


def test_the_preview_shows_the_first_rows_the_counts_and_each_problem(alice_client, org_a):
    OfferFactory(organisation=org_a, name="Maatjes")
    text = f"{ACTIVITY_HEADER}\nMaatjes;03-2025;4;10\nMaatjes;31-02-2025;x;10\n"
    item = mapped(alice_client, org_a, text, ACTIVITY_MAP)
    page = alice_client.get(url("preview", item)).content.decode()
    assert 'data-count="read">2<' in page and 'data-count="created">1<' in page
    assert 'data-count="skipped">1<' in page
    assert "01-03-2025" in page  # the month as it will be read
    assert "‘31-02-2025’ is geen bestaande datum" in page
    assert '<td class="utrecht-table__cell">bijeenkomsten</td>' in page
    assert activity_records() == 0  # a dry run


def activity_records() -> int:
    from meerwaarde.activities.models import ActivityRecord

    return ActivityRecord.objects.count()


def test_many_problems_are_paginated(alice_client, org_a):
    OfferFactory(organisation=org_a, name="Maatjes")
    rows = "".join(
        f"Maatjes;{month:02d}-20{year};x;1\n" for year in range(10, 16) for month in range(1, 13)
    )
    item = mapped(alice_client, org_a, f"{ACTIVITY_HEADER}\n{rows}", ACTIVITY_MAP)
    first = alice_client.get(url("preview", item)).content.decode()
    assert "72 problemen" in first and "Pagina 1 van 2" in first
    second = alice_client.get(url("preview", item) + "?pagina=2").content.decode()
    assert "Pagina 2 van 2" in second and '<td class="utrecht-table__cell">73</td>' in second


def test_all_or_nothing_with_problems_is_refused_and_the_choice_kept(alice_client, org_a):
    OfferFactory(organisation=org_a, name="Maatjes")
    item = mapped(alice_client, org_a, f"{ACTIVITY_HEADER}\nMaatjes;03-2025;x;10\n", ACTIVITY_MAP)
    response = alice_client.post(url("preview", item), {"on_error": "all_or_nothing"})
    page = response.content.decode()
    assert response.status_code == 200 and "sla foute rijen over" in page
    assert re.search(r'value="all_or_nothing"[^>]*checked', page)
    item.refresh_from_db()
    assert item.job is None and item.status == UploadStatus.MAPPED


def test_a_missing_column_in_the_preview_offers_no_start(alice_client, org_a):
    item = mapped(alice_client, org_a, f"{ACTIVITY_HEADER}\nMaatjes;03-2025;4;10\n", ACTIVITY_MAP)
    item.column_map = {"maand": "maand"}
    item.save()
    page = alice_client.get(url("preview", item)).content.decode()
    assert "De verplichte kolom ‘Aanbod’ ontbreekt" in page and "Import starten" not in page
    alice_client.post(url("preview", item), {"on_error": "skip"})
    item.refresh_from_db()
    assert item.job is None


def test_the_preview_hides_client_references(alice_client, org_a, shipped_instruments):
    header = "clientnummer;aanbod_naam;startdatum;instrument_code;moment;datum"
    text = f"{header}\nCLIENT-778;Maatjes;06-01-2025;djg6;intake;13-01-2025\n"
    upload(alice_client, org_a, text, kind="metingen", name="metingen.csv")
    item = ImportUpload.objects.get()
    alice_client.post(
        url("columns", item), {f"kolom_{i}": c for i, c in enumerate(header.split(";"))}
    )
    OfferFactory(organisation=org_a, name="Maatjes")
    page = alice_client.get(url("preview", item)).content.decode()
    assert "CLIENT-778" not in page and "•••" in page


# Abandoned and discarded uploads -------------------------------------------------------


def test_discarding_deletes_the_file(settings, alice_client, org_a):
    upload(alice_client, org_a, f"{ACTIVITY_HEADER}\nMaatjes;03-2025;4;10\n")
    item = ImportUpload.objects.get()
    response = alice_client.post(url("discard", item))
    assert response["Location"] == reverse("imports:start", args=[org_a.slug])
    item.refresh_from_db()
    assert item.status == UploadStatus.FINISHED and item.stored_path == ""
    assert stored_files(settings) == []
    assert alice_client.get(url("columns", item))["Location"] == url("detail", item)


def test_an_upload_left_for_a_day_is_deleted(settings, alice_client, org_a, org_b):
    import datetime

    from django.utils import timezone

    upload(alice_client, org_a, f"{ACTIVITY_HEADER}\nMaatjes;03-2025;4;10\n")
    upload(alice_client, org_a, f"{ACTIVITY_HEADER}\nMaatjes;04-2025;4;10\n")
    old, new = ImportUpload.objects.order_by("pk")
    ImportUpload.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=1, minutes=1)
    )
    assert uploads_expire(organisation=org_b) == 0
    assert uploads_expire(organisation=org_a) == 1
    assert [p.name for p in stored_files(settings)] == [str(new.uuid)]
