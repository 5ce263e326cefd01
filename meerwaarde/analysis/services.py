"""Writes of the analysis storage: keep pairs and running sums in step with the measurements.

``outcomes_refresh`` runs after every measurement write, ``outcomes_forget`` before
trajectories go, ``outcomes_offer_changed`` when an offer may have changed its intervention
type; each applies only the difference to the sums, in the caller's transaction.
``outcomes_rebuild`` recomputes everything from the measurements (demo, benchmark, repair).
After any sequence of these the sums equal a rebuild (tests/test_services.py).
"""

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, fields
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import (
    Case,
    Count,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce

from meerwaarde.analysis.constants import END, GAS_EXPECTED_T, INTAKE, Scope
from meerwaarde.analysis.models import CategoryMoves, OutcomePair, OutcomeSums
from meerwaarde.analysis.pairs import MeasurementRow, Pair, Placement, pairs_for
from meerwaarde.core import generations
from meerwaarde.instruments.definition import InstrumentDefinition
from meerwaarde.instruments.models import Instrument
from meerwaarde.measurements.models import Measurement
from meerwaarde.offers.models import Offer
from meerwaarde.participants.models import Trajectory

_KEY = ("scope", "organisation_id", "offer_id", "intervention_type_id", "month")
_SUMS = (
    "n",
    "sum_x1",
    "sum_x1_sq",
    "sum_x2",
    "sum_x2_sq",
    "sum_d",
    "sum_d_sq",
    "improved",
    "deteriorated",
)
# The columns that single out a row within its scope (the partial unique indexes).
_CONFLICT = {
    Scope.OFFER: ("offer_id",),
    Scope.INTERVENTION_TYPE: ("intervention_type_id",),
    Scope.ALL: (),
}
_SCOPE_COLUMNS = {
    Scope.OFFER: ("organisation_id", "offer_id"),
    Scope.INTERVENTION_TYPE: ("intervention_type_id",),
    Scope.ALL: (),
}
_ROWS_PER_STATEMENT = 500
_ROWS_PER_UPDATE = 100
_PAIRS_PER_BATCH = 5000

# scope, organisation, offer, intervention type, month, instrument, scale
SumsKey = tuple[str, int | None, int | None, int | None, object, int, str]
MovesKey = tuple[str, int | None, int | None, int | None, object, int, str, str, str]


# What a pair adds -------------------------------------------------------------------------


def _scope_keys(pair: Pair) -> list[tuple[str, int | None, int | None, int | None]]:
    return _scope_keys_of(pair.organisation_id, pair.offer_id, pair.intervention_type_id)


def _scope_keys_of(
    organisation_id: int, offer_id: int, type_id: int
) -> list[tuple[str, int | None, int | None, int | None]]:
    return [
        (Scope.OFFER, organisation_id, offer_id, None),
        (Scope.INTERVENTION_TYPE, None, None, type_id),
        (Scope.ALL, None, None, None),
    ]


def _contribution(pair: Pair) -> tuple[float, ...]:
    x1 = GAS_EXPECTED_T if pair.start_value is None else pair.start_value
    x2 = pair.end_value
    d = x2 - x1
    return (
        1,
        x1,
        x1 * x1,
        x2,
        x2 * x2,
        d,
        d * d,
        1 if pair.reliable_change == 1 else 0,
        1 if pair.reliable_change == -1 else 0,
    )


def _moves_categories(pair: Pair) -> tuple[str, str] | None:
    """(from, to) when the pair moves between categories; GAS comes from ""."""
    if not pair.end_category:
        return None
    if pair.start_value is not None and not pair.start_category:
        return None
    return pair.start_category, pair.end_category


@dataclass
class _Deltas:
    sums: dict[SumsKey, list[float]]
    moves: dict[MovesKey, int]

    @classmethod
    def empty(cls) -> "_Deltas":
        return cls(sums=defaultdict(lambda: [0] * len(_SUMS)), moves=defaultdict(int))

    def add_many(self, pairs: Iterable[Pair], sign: int) -> None:
        """``add`` for many pairs: summed per offer and key first, then spread over the
        scopes, so a batch pays the three scopes once per key, not once per pair."""
        by_offer: dict[tuple, list[float]] = defaultdict(lambda: [0] * len(_SUMS))
        moves: dict[tuple, int] = defaultdict(int)
        for pair in pairs:
            key = (
                *(pair.organisation_id, pair.offer_id, pair.intervention_type_id),
                *(pair.month, pair.instrument_id, pair.scale),
            )
            totals = by_offer[key]
            for i, value in enumerate(_contribution(pair)):
                totals[i] += value
            categories = _moves_categories(pair)
            if categories is not None:
                moves[(*key, *categories)] += 1
        for (organisation_id, offer_id, type_id, *rest), totals in by_offer.items():
            for scope_key in _scope_keys_of(organisation_id, offer_id, type_id):
                sums = self.sums[(*scope_key, *rest)]  # type: ignore[index]
                for i, value in enumerate(totals):
                    sums[i] += sign * value
        for (organisation_id, offer_id, type_id, *rest), count in moves.items():
            for scope_key in _scope_keys_of(organisation_id, offer_id, type_id):
                self.moves[(*scope_key, *rest)] += sign * count  # type: ignore[index]

    def add(self, pair: Pair, sign: int) -> None:
        contribution = _contribution(pair)
        categories = _moves_categories(pair)
        for scope_key in _scope_keys(pair):
            key: SumsKey = (*scope_key, pair.month, pair.instrument_id, pair.scale)
            totals = self.sums[key]
            for i, value in enumerate(contribution):
                totals[i] += sign * value
            if categories is not None:
                self.moves[(*key, *categories)] += sign


# Applying deltas --------------------------------------------------------------------------


def _chunks(rows: Sequence, size: int) -> Iterator[Sequence]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def _upsert(
    table: str, scope: str, key_columns: Sequence[str], value_columns: Sequence[str], rows: list
) -> None:
    """Add the rows' values to the stored ones, inserting keys that are not there yet.

    One INSERT ... ON CONFLICT per chunk, aimed at the scope's partial unique index (the
    scope is a literal so both databases can match the index's predicate). Rows come sorted
    by key, so concurrent writers lock rows in the same order.
    """
    quote = connection.ops.quote_name
    columns = [*key_columns, *value_columns]
    conflict = [*_CONFLICT[Scope(scope)], "month", "instrument_id", "scale", *key_columns[7:]]
    updates = ", ".join(
        f"{quote(c)} = {quote(table)}.{quote(c)} + EXCLUDED.{quote(c)}" for c in value_columns
    )
    placeholder = "(" + ", ".join(["%s"] * len(columns)) + ")"
    with connection.cursor() as cursor:
        for chunk in _chunks(rows, _ROWS_PER_STATEMENT):
            # Names from the models, the scope from its enum, every value a parameter.
            sql = (
                f"INSERT INTO {quote(table)} ({', '.join(quote(c) for c in columns)}) "  # noqa: S608
                f"VALUES {', '.join([placeholder] * len(chunk))} "
                f"ON CONFLICT ({', '.join(quote(c) for c in conflict)}) "
                f"WHERE {quote('scope')} = '{Scope(scope).value}' "
                f"DO UPDATE SET {updates}"
            )
            params = [value for row in chunk for value in row]
            cursor.execute(sql, params)


def _adapt(key: tuple) -> tuple:
    """A key ready as query parameters (SQLite wants dates as text)."""
    return (*key[:4], connection.ops.adapt_datefield_value(key[4]), *key[5:])


def _insertable(values: Sequence[float]) -> bool:
    """Whether a delta could stand as a row of its own: the databases check a proposed row's
    constraints before they see the conflict, so a subtraction cannot go through an upsert."""
    n, improved, deteriorated = values[0], values[7], values[8]
    return improved >= 0 and deteriorated >= 0 and improved + deteriorated <= n


def _add_to_existing(
    model: type[OutcomeSums] | type[CategoryMoves],
    key_columns: Sequence[str],
    value_columns: Sequence[str],
    rows: list[tuple[tuple, Sequence[float]]],
) -> None:
    """Add deltas to rows that must exist (those a stored pair went into): per chunk one read
    of their ids and one UPDATE with a CASE per column."""
    for chunk in _chunks(rows, _ROWS_PER_UPDATE):
        wanted = Q()
        for key, _values in chunk:
            wanted |= Q(**dict(zip(key_columns, key, strict=True)))
        ids = {
            tuple(found[:-1]): found[-1]
            for found in model.objects.filter(wanted).values_list(*key_columns, "pk")
        }
        if len(ids) != len(chunk):
            raise IntegrityError(
                "The outcome sums are out of step with the pairs; run rebuild_outcomes."
            )
        updates = {
            column: F(column)
            + Case(
                *[When(pk=ids[key], then=Value(values[i])) for key, values in chunk],
                default=Value(0),
                output_field=FloatField() if column.startswith("sum_") else IntegerField(),
            )
            for i, column in enumerate(value_columns)
            if any(values[i] for _key, values in chunk)
        }
        model.objects.filter(pk__in=ids.values()).update(**updates)


def _apply(deltas: _Deltas) -> None:
    """Add the deltas to the sums and moves, then delete the rows that fell to zero."""
    generations.bump(generations.FIGURES)
    sums_columns = (*_KEY, "instrument_id", "scale")
    moves_columns = (*sums_columns, "from_category", "to_category")
    sums = sorted((k, v) for k, v in deltas.sums.items() if any(v))
    moves = sorted((k, (c,)) for k, c in deltas.moves.items() if c)
    for scope in Scope:
        adding = [(k, v) for k, v in sums if k[0] == scope and _insertable(v)]
        if adding:
            _upsert(
                OutcomeSums._meta.db_table,
                scope,
                sums_columns,
                _SUMS,
                [(*_adapt(key), *values) for key, values in adding],
            )
        adding_moves = [(k, v) for k, v in moves if k[0] == scope and v[0] > 0]
        if adding_moves:
            _upsert(
                CategoryMoves._meta.db_table,
                scope,
                moves_columns,
                ("count",),
                [(*_adapt(key), *count) for key, count in adding_moves],
            )
    _add_to_existing(OutcomeSums, sums_columns, _SUMS, [r for r in sums if not _insertable(r[1])])
    _add_to_existing(CategoryMoves, moves_columns, ("count",), [r for r in moves if r[1][0] < 0])
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        # Literal zeros, so both databases use the partial indexes of empty rows.
        for model, column in ((OutcomeSums, "n"), (CategoryMoves, "count")):
            table = quote(model._meta.db_table)
            cursor.execute(f"DELETE FROM {table} WHERE {quote(column)} = 0")  # noqa: S608


# Reading what is stored -------------------------------------------------------------------


def _pair_of(row: OutcomePair) -> Pair:
    return Pair(
        organisation_id=row.organisation_id,
        offer_id=row.offer_id,
        intervention_type_id=row.intervention_type_id,
        month=row.month,
        instrument_id=row.instrument_id,
        scale=row.scale,
        start_value=row.start_value,
        end_value=row.end_value,
        start_category=row.start_category,
        end_category=row.end_category,
        reliable_change=row.reliable_change,
    )


_PAIR_FIELDS = tuple(field.name for field in fields(Pair))
_MONTH_FIELD_INDEX = 1 + _PAIR_FIELDS.index("month")  # after the trajectory id


def _row_of(pair: Pair, trajectory_id: int) -> OutcomePair:
    return OutcomePair(trajectory_id=trajectory_id, **{f: getattr(pair, f) for f in _PAIR_FIELDS})


def _insert_pairs(rows: list[tuple]) -> None:
    """Plain INSERTs (COPY on PostgreSQL) of (trajectory_id, *Pair fields): a model instance
    per row made the rebuild spend three quarters of its time in the ORM."""
    quote = connection.ops.quote_name
    columns = ["trajectory_id", *_PAIR_FIELDS]  # the model's columns have the same names
    # Names from the model, every value a parameter.
    target = f"{quote(OutcomePair._meta.db_table)} ({', '.join(quote(c) for c in columns)})"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {target} FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {target} VALUES ({marks})", rows)  # noqa: S608


def _definitions(instrument_ids: Iterable[int]) -> dict[int, InstrumentDefinition]:
    ids = set(instrument_ids)
    if not ids:
        return {}
    return {i.pk: i.parsed for i in Instrument.objects.filter(pk__in=ids)}


def _current_measurements(trajectory_id: int) -> list[MeasurementRow]:
    """The trajectory's current intake and end measurements."""
    return [
        MeasurementRow(instrument_id=i, moment=m, measured_on=on, scores=scores or {})
        for i, m, on, scores in Measurement.objects.filter(
            trajectory_id=trajectory_id, is_current=True, moment__in=[INTAKE, END]
        ).values_list("instrument_id", "moment", "measured_on", "scores")
    ]


# The services -----------------------------------------------------------------------------


@transaction.atomic
def outcomes_refresh(*, trajectory: Trajectory) -> None:
    """Recompute the trajectory's pairs from its current measurements and apply the change.

    Cheap when nothing changed (three reads); otherwise one upsert per scope and table.
    The offer's intervention type is read afresh, so a pair always counts where its offer is.
    """
    # Serialises refreshes of one trajectory (PostgreSQL), so none adds a pair twice.
    list(Trajectory.objects.select_for_update().filter(pk=trajectory.pk).values_list("pk"))
    offer = Offer.objects.only("organisation", "intervention_type").get(pk=trajectory.offer_id)
    rows = _current_measurements(trajectory.pk)
    new = {
        pair.key: pair
        for pair in pairs_for(
            placement=Placement(
                organisation_id=offer.organisation_id,
                offer_id=offer.pk,
                intervention_type_id=offer.intervention_type_id,
            ),
            measurements=rows,
            definitions=_definitions(row.instrument_id for row in rows),
        )
    }
    stored = {
        (row.instrument_id, row.scale): row
        for row in OutcomePair.objects.filter(trajectory_id=trajectory.pk)
    }
    deltas = _Deltas.empty()
    gone: list[int] = []
    added: list[OutcomePair] = []
    for key in stored.keys() | new.keys():
        old_row, pair = stored.get(key), new.get(key)
        old = _pair_of(old_row) if old_row is not None else None
        if old == pair:
            continue
        if old_row is not None and old is not None:
            deltas.add(old, -1)
            gone.append(old_row.pk)
        if pair is not None:
            deltas.add(pair, +1)
            added.append(_row_of(pair, trajectory.pk))
    if not gone and not added:
        return
    _apply(deltas)
    OutcomePair.objects.filter(pk__in=gone).delete()
    OutcomePair.objects.bulk_create(added)


_TRAJECTORIES_PER_REFRESH = 2000


def _ids_in(ids: Sequence[int]) -> Any:
    """``ids`` for a ``__in`` lookup as one parameter (an array on PostgreSQL, a JSON list on
    SQLite) instead of one placeholder per id: with thousands of ids, Django and psycopg spend
    longer preparing such a query than the database spends running it."""
    if connection.vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::bigint[])", (list(ids),))
    return RawSQL("SELECT value FROM json_each(%s)", (json.dumps(list(ids)),))


def _refresh_chunk(ids: Sequence[int], deltas: "_Deltas", gone: list[int], added: list[tuple]):
    """``outcomes_refresh`` for a chunk of trajectories in four queries, adding to the batch's
    deltas, pair ids to delete and pair rows to insert."""
    placements = {
        pk: Placement(organisation_id, offer_id, type_id)
        for pk, organisation_id, offer_id, type_id in Trajectory.objects.select_for_update(
            of=("self",)
        )
        .filter(pk__in=_ids_in(ids))
        .order_by("pk")
        .values_list("pk", "offer__organisation_id", "offer_id", "offer__intervention_type_id")
    }
    rows: dict[int, list[MeasurementRow]] = defaultdict(list)
    for trajectory_id, *measurement in Measurement.objects.filter(
        trajectory_id__in=_ids_in(ids), is_current=True, moment__in=[INTAKE, END]
    ).values_list("trajectory_id", "instrument_id", "moment", "measured_on", "scores"):
        instrument_id, moment, measured_on, scores = measurement
        rows[trajectory_id].append(MeasurementRow(instrument_id, moment, measured_on, scores or {}))
    stored: dict[int, dict[tuple[int, str], tuple[int, Pair]]] = defaultdict(dict)
    for pk, trajectory_id, *values in OutcomePair.objects.filter(trajectory_id__in=ids).values_list(
        "pk", "trajectory_id", *_PAIR_FIELDS
    ):
        pair = Pair(*values)
        stored[trajectory_id][pair.key] = (pk, pair)
    definitions = _definitions({row.instrument_id for group in rows.values() for row in group})
    month, adapt = _MONTH_FIELD_INDEX, connection.ops.adapt_datefield_value
    removed: list[Pair] = []
    placed: list[Pair] = []
    for trajectory_id, placement in placements.items():
        new = {
            pair.key: pair
            for pair in pairs_for(
                placement=placement,
                measurements=rows.get(trajectory_id, []),
                definitions=definitions,
            )
        }
        old = stored.get(trajectory_id, {})
        for key in old.keys() | new.keys():
            old_pk, old_pair = old.get(key, (None, None))
            new_pair = new.get(key)
            if old_pair == new_pair:
                continue
            if old_pk is not None and old_pair is not None:
                removed.append(old_pair)
                gone.append(old_pk)
            if new_pair is not None:
                placed.append(new_pair)
                values = [trajectory_id, *(getattr(new_pair, f) for f in _PAIR_FIELDS)]
                values[month] = adapt(values[month])
                added.append(tuple(values))
    deltas.add_many(removed, -1)
    deltas.add_many(placed, +1)


@transaction.atomic
def outcomes_refresh_many(*, trajectory_ids: Iterable[int]) -> None:
    """``outcomes_refresh`` for many trajectories at once: the same pairs and sums.

    Per 2,000 trajectories four reads (the trajectories, locked, with their offer; their
    current intake and end measurements; their stored pairs; the instruments); then the
    summed difference goes in once, as one ``outcomes_refresh`` would apply it, and the pairs
    are deleted and inserted in bulk. For a write of many measurements at once (the import),
    where a refresh per trajectory cost six queries each.
    """
    ids = sorted(set(trajectory_ids))
    deltas = _Deltas.empty()
    gone: list[int] = []
    added: list[tuple] = []
    for chunk in _chunks(ids, _TRAJECTORIES_PER_REFRESH):
        _refresh_chunk(chunk, deltas, gone, added)
    if not gone and not added:
        return
    _apply(deltas)
    for chunk in _chunks(gone, _PAIRS_PER_BATCH):
        OutcomePair.objects.filter(pk__in=chunk).delete()
    _insert_pairs(added)


# Grouped over many pairs in the database: forgetting, moving and rebuilding ----------------

_X1 = Coalesce(F("start_value"), Value(GAS_EXPECTED_T), output_field=FloatField())
_D = ExpressionWrapper(F("end_value") - _X1, output_field=FloatField())


def _count_if(condition: Q) -> Sum:
    return Sum(Case(When(condition, then=1), default=0, output_field=IntegerField()))


def _grouped_sums(pairs: QuerySet[OutcomePair], scope: Scope) -> QuerySet:
    """The sums of ``pairs`` per key of ``scope``, as OutcomeSums columns (same names)."""
    return (
        pairs.order_by()
        .values(*_SCOPE_COLUMNS[scope], "month", "instrument_id", "scale")
        .annotate(
            n=Count("pk"),
            sum_x1=Sum(_X1),
            sum_x1_sq=Sum(ExpressionWrapper(_X1 * _X1, output_field=FloatField())),
            sum_x2=Sum("end_value"),
            sum_x2_sq=Sum(
                ExpressionWrapper(F("end_value") * F("end_value"), output_field=FloatField())
            ),
            sum_d=Sum(_D),
            sum_d_sq=Sum(ExpressionWrapper(_D * _D, output_field=FloatField())),
            improved=_count_if(Q(reliable_change=1)),
            deteriorated=_count_if(Q(reliable_change=-1)),
        )
    )


def _grouped_moves(pairs: QuerySet[OutcomePair], scope: Scope) -> QuerySet:
    """The category moves of ``pairs`` per key of ``scope``, as CategoryMoves columns."""
    return (
        pairs.order_by()
        .exclude(end_category="")
        .filter(Q(start_value__isnull=True) | ~Q(start_category=""))
        .values(
            *_SCOPE_COLUMNS[scope],
            "month",
            "instrument_id",
            "scale",
            from_category=F("start_category"),
            to_category=F("end_category"),
        )
        .annotate(count=Count("pk"))
    )


def _scope_key(scope: Scope, row: dict) -> tuple[str, int | None, int | None, int | None]:
    return (
        scope,
        row.get("organisation_id"),
        row.get("offer_id"),
        row.get("intervention_type_id"),
    )


def _add_grouped(
    deltas: _Deltas,
    pairs: QuerySet[OutcomePair],
    sign: int,
    scopes: Iterable[Scope] = tuple(Scope),
    retype: int | None = None,
) -> None:
    """Add the grouped sums and moves of ``pairs`` × ``sign`` (with ``retype`` as their type)."""
    for scope in scopes:
        for row in _grouped_sums(pairs, scope):
            scope_key = _scope_key(scope, row)
            if retype is not None:
                scope_key = (*scope_key[:3], retype)
            key: SumsKey = (*scope_key, row["month"], row["instrument_id"], row["scale"])
            totals = deltas.sums[key]
            for i, name in enumerate(_SUMS):
                totals[i] += sign * row[name]
        for row in _grouped_moves(pairs, scope):
            scope_key = _scope_key(scope, row)
            if retype is not None:
                scope_key = (*scope_key[:3], retype)
            moves_key: MovesKey = (
                *scope_key,
                row["month"],
                row["instrument_id"],
                row["scale"],
                row["from_category"],
                row["to_category"],
            )
            deltas.moves[moves_key] += sign * row["count"]


@transaction.atomic
def outcomes_forget(*, trajectories: QuerySet[Trajectory] | Iterable[Trajectory]) -> int:
    """Take the trajectories' pairs out of the sums and delete them; returns how many pairs.

    Call before trajectories (or their participant) are deleted. The sums are subtracted as
    grouped totals, so forgetting many trajectories costs a few queries, not one per pair.
    """
    if isinstance(trajectories, QuerySet):
        pairs = OutcomePair.objects.filter(trajectory__in=trajectories.values_list("pk", flat=True))
    else:
        pairs = OutcomePair.objects.filter(trajectory_id__in=[t.pk for t in trajectories])
    deltas = _Deltas.empty()
    _add_grouped(deltas, pairs, -1)
    if not deltas.sums:
        return 0
    _apply(deltas)
    deleted, _ = pairs.delete()
    return deleted


@transaction.atomic
def outcomes_offer_changed(*, offer: Offer) -> int:
    """Move the offer's pairs to its current intervention type; returns how many moved.

    Only the intervention-type scope changes: the offer rows do not carry the type and the
    rows of all are untouched. One indexed query when the type did not change.
    """
    stale = OutcomePair.objects.filter(offer_id=offer.pk).exclude(
        intervention_type_id=offer.intervention_type_id
    )
    if not stale.exists():
        return 0
    deltas = _Deltas.empty()
    _add_grouped(deltas, stale, -1, scopes=[Scope.INTERVENTION_TYPE])
    _add_grouped(
        deltas, stale, +1, scopes=[Scope.INTERVENTION_TYPE], retype=offer.intervention_type_id
    )
    _apply(deltas)
    return stale.update(intervention_type_id=offer.intervention_type_id)


@dataclass(frozen=True)
class RebuildResult:
    pairs: int
    sums: int
    moves: int


def _insert_grouped(
    model: type[OutcomeSums] | type[CategoryMoves], grouped: QuerySet, scope: Scope
) -> None:
    """INSERT ... SELECT of a grouped query: the database does all the summing."""
    query = grouped.annotate(scope=Value(scope.value)).query
    sql, params = query.sql_with_params()
    columns = [*query.values_select, *query.annotation_select]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(model._meta.db_table)} "
            f"({', '.join(quote(c) for c in columns)}) {sql}",
            params,
        )


@transaction.atomic
def outcomes_rebuild_sums() -> RebuildResult:
    """Recompute every sum and move from the stored pairs, in the database.

    For a benchmark or an import that bulk-inserted ``OutcomePair`` rows itself.
    """
    generations.bump(generations.FIGURES)
    CategoryMoves.objects.all().delete()
    OutcomeSums.objects.all().delete()
    pairs = OutcomePair.objects.all()
    for scope in Scope:
        _insert_grouped(OutcomeSums, _grouped_sums(pairs, scope), scope)
        _insert_grouped(CategoryMoves, _grouped_moves(pairs, scope), scope)
    return RebuildResult(
        pairs=OutcomePair.objects.count(),
        sums=OutcomeSums.objects.count(),
        moves=CategoryMoves.objects.count(),
    )


def _current_by_trajectory() -> Iterator[tuple[tuple[int, int, int, int], list[MeasurementRow]]]:
    """Every current intake and end measurement, grouped by trajectory, streamed."""
    rows = (
        Measurement.objects.filter(is_current=True, moment__in=[INTAKE, END])
        .order_by("trajectory_id", "pk")
        .values_list(
            "trajectory_id",
            "trajectory__offer__organisation_id",
            "trajectory__offer_id",
            "trajectory__offer__intervention_type_id",
            "instrument_id",
            "moment",
            "measured_on",
            "scores",
        )
        .iterator(chunk_size=_PAIRS_PER_BATCH)
    )
    current: tuple[int, int, int, int] | None = None
    group: list[MeasurementRow] = []
    for trajectory_id, organisation_id, offer_id, type_id, *measurement in rows:
        head = (trajectory_id, organisation_id, offer_id, type_id)
        if head != current:
            if current is not None:
                yield current, group
            current, group = head, []
        instrument_id, moment, measured_on, scores = measurement
        group.append(MeasurementRow(instrument_id, moment, measured_on, scores or {}))
    if current is not None:
        yield current, group


@transaction.atomic
def outcomes_rebuild() -> RebuildResult:
    """Recompute every pair from the current measurements, then every sum: the repair tool.

    Streams the measurements once and inserts pairs in batches; the sums are then summed by
    the database. Call after measurements were bulk-inserted without the services (the demo,
    the benchmark); command ``rebuild_outcomes``.
    """
    generations.bump(generations.FIGURES)
    CategoryMoves.objects.all().delete()
    OutcomeSums.objects.all().delete()
    OutcomePair.objects.all().delete()
    definitions = {i.pk: i.parsed for i in Instrument.objects.all()}
    month, adapt = _MONTH_FIELD_INDEX, connection.ops.adapt_datefield_value
    batch: list[tuple] = []
    for (trajectory_id, organisation_id, offer_id, type_id), rows in _current_by_trajectory():
        placement = Placement(organisation_id, offer_id, type_id)
        for pair in pairs_for(placement=placement, measurements=rows, definitions=definitions):
            values = [trajectory_id, *(getattr(pair, f) for f in _PAIR_FIELDS)]
            values[month] = adapt(values[month])
            batch.append(tuple(values))
        if len(batch) >= _PAIRS_PER_BATCH:
            _insert_pairs(batch)
            batch = []
    _insert_pairs(batch)
    return outcomes_rebuild_sums()
