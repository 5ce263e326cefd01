"""The search index of the sociale kaart: what search needs of every offer, denormalised.

The rows here are derived data, written only by ``meerwaarde.directory.index``; the full-text
part lives beside them per backend (an FTS5 table on SQLite, the ``*_vector`` columns on
PostgreSQL) and is kept in step by the same code. ADR 0005 explains the design.
"""

from typing import Any

from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils.translation import gettext_lazy as _


class TsVectorField(models.TextField):
    """A ``tsvector`` on PostgreSQL, written as a tsvector literal built in Python.

    On SQLite the FTS5 table holds the full-text index, so the column stays empty there.
    """

    def db_type(self, connection: BaseDatabaseWrapper) -> str:
        return "tsvector" if connection.vendor == "postgresql" else "text"

    def get_db_prep_value(
        self, value: Any, connection: BaseDatabaseWrapper, prepared: bool = False
    ) -> Any:
        if connection.vendor != "postgresql":
            return ""
        return value or ""


class SearchDocument(models.Model):
    """One offer as the search sees it: stemmed text per weight, filter values and codes."""

    offer = models.OneToOneField(
        "offers.Offer",
        verbose_name=_("aanbod"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="search_document",
    )
    organisation_id = models.PositiveIntegerField(_("organisatie"), db_index=True)
    name = models.CharField(_("naam"), max_length=200)
    sort_key = models.CharField(max_length=200, db_index=True)
    status = models.CharField(_("status"), max_length=20)
    last_confirmed_on = models.DateField(_("laatst bevestigd op"))
    is_free = models.BooleanField(_("gratis"))
    walk_in = models.BooleanField(_("zonder verwijzing"))
    age_min = models.PositiveSmallIntegerField(null=True)
    age_max = models.PositiveSmallIntegerField(null=True)
    intervention_type_code = models.CharField(max_length=80)
    # Concept codes, separated by spaces (codes never contain one).
    theme_codes = models.TextField(blank=True)
    target_group_codes = models.TextField(blank=True)
    working_element_codes = models.TextField(blank=True)
    # Distinct stems per weight, separated by spaces: name (A); labels and synonyms of the
    # offer's concepts (B); description, sign-up text, organisation and places (C).
    name_stems = models.TextField(blank=True)
    concept_stems = models.TextField(blank=True)
    body_stems = models.TextField(blank=True)
    # Distinct content words as written (lower case), feeding the term dictionary.
    words = models.TextField(blank=True)

    class Meta:
        verbose_name = _("zoekdocument")
        verbose_name_plural = _("zoekdocumenten")

    def __str__(self) -> str:
        return self.name


class SearchVector(models.Model):
    """PostgreSQL's full-text index of a document; empty on SQLite, where FTS5 serves.

    A vector per field rather than one weighted vector, so the GIN indexes answer "in the
    name" or "in the text" without rechecking weights; a narrow table of its own, so the rows a
    common word hits stay in PostgreSQL's buffers. The concepts need no vector: the search
    matches them from its in-memory concept bitsets.
    """

    document = models.OneToOneField(
        SearchDocument, primary_key=True, on_delete=models.CASCADE, related_name="vector"
    )
    name_vector = TsVectorField(blank=True, default="")
    body_vector = TsVectorField(blank=True, default="")

    class Meta:
        verbose_name = _("zoekvector")
        verbose_name_plural = _("zoekvectoren")

    def __str__(self) -> str:
        return str(self.pk)


class SearchPoint(models.Model):
    """A place an offer is given or serves from; ``reach_km`` widens it for area offers."""

    document = models.ForeignKey(SearchDocument, on_delete=models.CASCADE, related_name="points")
    latitude = models.FloatField()
    longitude = models.FloatField()
    reach_km = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("zoekpunt")
        verbose_name_plural = _("zoekpunten")
        indexes = [models.Index(fields=["latitude", "longitude"], name="searchpoint_coords_idx")]

    def __str__(self) -> str:
        return f"{self.latitude:.4f}, {self.longitude:.4f}"


class SearchTerm(models.Model):
    """A word of the indexed offers, for spelling correction; ``doc_count`` offers contain it.

    A trigram index on ``word`` (FTS5 ``trigram`` table on SQLite, ``pg_trgm`` on PostgreSQL)
    finds the candidates for a misspelt word.
    """

    word = models.CharField(max_length=100, unique=True)
    stem = models.CharField(max_length=100, db_index=True)
    doc_count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("zoekterm")
        verbose_name_plural = _("zoektermen")

    def __str__(self) -> str:
        return self.word


class IndexState(models.Model):
    """One row: the generation of the index, raised by every write under a row lock.

    Because writers take the lock, generations become visible in order, so a process that
    caches the index in memory (``search/store.py``) can catch up by reading the changes after
    the generation it has. Each write also draws a random ``token``: a generation number seen
    again after a rollback carries another token, so no process mistakes it for its own.
    """

    generation = models.BigIntegerField(default=0)
    token = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("indexstand")
        verbose_name_plural = _("indexstanden")

    def __str__(self) -> str:
        return str(self.generation)


class IndexChange(models.Model):
    """The offers a generation changed; ``offer_id`` empty means the whole index was rebuilt."""

    generation = models.BigIntegerField(db_index=True)
    token = models.BigIntegerField(default=0)
    offer_id = models.PositiveIntegerField(null=True)

    class Meta:
        verbose_name = _("indexwijziging")
        verbose_name_plural = _("indexwijzigingen")

    def __str__(self) -> str:
        return f"{self.generation}: {self.offer_id or '*'}"
