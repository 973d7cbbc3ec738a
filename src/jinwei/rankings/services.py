"""Writes of the composite evaluation: schemes (tracked, version-checked) and evaluation runs.

A run stores the method and the whole input panel (region and indicator codes, years,
directions in `inputs`; the values as raw float64 bytes in `input_values`) next to its scores, so
`run_reproduce` recomputes it, bit for bit, without the database.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from typing import Any

import numpy as np
import psycopg
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _

from jinwei.accounts.access import can_manage
from jinwei.audit.models import AuditEntry
from jinwei.audit.services import record, tracked_create, tracked_delete, tracked_update
from jinwei.rankings import composite, engine
from jinwei.rankings.composite import Array, CompositeResult, MethodSpec, PanelData
from jinwei.rankings.matrices import Panel, load_panel
from jinwei.rankings.models import (
    EvaluationRun,
    EvaluationScheme,
    EvaluationScore,
    SchemeIndicator,
)

__all__ = [
    "load_panel",
    "method_of",
    "run_publish",
    "run_reproduce",
    "scheme_create",
    "scheme_evaluate",
    "scheme_problems",
    "scheme_update",
]

ALTERNATIVE_KEYS = ("normalizations", "weightings", "aggregations")


def method_of(scheme: EvaluationScheme) -> MethodSpec:
    """The scheme's chosen method as the numeric code sees it."""
    return MethodSpec(
        normalization=scheme.normalization,
        weighting=scheme.weighting,
        aggregation=scheme.aggregation,
        weights_by_dimension=scheme.weights_by_dimension,
        dimension_weights={k: float(v) for k, v in (scheme.dimension_weights or {}).items()},
        ahp_matrix=[[float(v) for v in row] for row in (scheme.ahp_matrix or [])],
        missing_policy=scheme.missing_policy,
    )


def _ensure_manager(actor: Any, scheme: EvaluationScheme) -> None:
    """Supervisors and admins of the scheme's government; None is a system job (demo, bench)."""
    if actor is not None and not can_manage(actor, scheme.government_id):
        raise PermissionDenied


# ------------------------------------------------------------------------------------ schemes


def ahp_check(matrix: Sequence[Sequence[float]]) -> engine.AHPResult:
    """Saaty's weights of a pairwise-comparison matrix; ValidationError if CR ≥ 0.1 or malformed."""
    try:
        result = engine.ahp(np.array(matrix, dtype=float))
    except (engine.EvaluationError, ValueError) as error:
        raise ValidationError(
            _("The AHP matrix is not valid: %(error)s") % {"error": error}, code="ahp"
        ) from error
    if not result.acceptable:
        raise ValidationError(
            _(
                "The AHP comparisons are not consistent enough: consistency ratio %(cr).3f "
                "(it must be below 0.1). Revise the comparisons."
            )
            % {"cr": result.consistency_ratio},
            code="ahp_inconsistent",
        )
    return result


def scheme_problems(scheme: EvaluationScheme, items: Sequence[SchemeIndicator]) -> list[str]:
    """What makes a scheme impossible to evaluate, in words; empty when it is sound."""
    problems: list[str] = []
    if not items:
        problems.append(_("Choose at least one indicator."))
    if scheme.first_year and scheme.last_year and scheme.first_year > scheme.last_year:
        problems.append(_("The first year must not be after the last year."))
    method = method_of(scheme)
    try:
        method.check()
    except engine.EvaluationError as error:
        problems.append(str(error))
    for key in ALTERNATIVE_KEYS:
        known = _known(key)
        unknown = [n for n in (scheme.alternatives or {}).get(key, []) if n not in known]
        if unknown:
            problems.append(
                _("Unknown alternative methods: %(names)s") % {"names": ", ".join(unknown)}
            )
    dims = list(dict.fromkeys(item.dimension.code for item in items))
    if scheme.weighting == composite.GIVEN and any(item.weight is None for item in items):
        problems.append(_("Fixed weights need a weight for every indicator."))
    if scheme.normalization == "target" and any(
        item.reference is None or item.reference <= 0 for item in items
    ):
        problems.append(
            _("Distance to target needs a positive reference value for every indicator.")
        )
    if scheme.weighting == composite.AHP:
        problems += _ahp_problems(scheme.ahp_matrix, n=len(items), d=len(dims))
    if scheme.dimension_weights:
        missing = [d for d in dims if d not in scheme.dimension_weights]
        if missing:
            problems.append(
                _("Give a weight to every dimension: %(dims)s") % {"dims": ", ".join(missing)}
            )
    return problems


def _known(key: str) -> list[str]:
    if key == "normalizations":
        return list(engine.NORMALIZERS)
    if key == "weightings":
        return composite.weighting_names()
    return list(engine.AGGREGATORS)


def _ahp_problems(matrix: Any, *, n: int, d: int) -> list[str]:
    size = len(matrix or [])
    if size not in (n, d):
        return [
            _(
                "The AHP matrix must compare the %(n)d indicators or the %(d)d dimensions "
                "with each other."
            )
            % {"n": n, "d": d}
        ]
    try:
        ahp_check(matrix)
    except ValidationError as error:
        return list(error.messages)
    return []


def _validate(scheme: EvaluationScheme, items: Sequence[SchemeIndicator]) -> None:
    problems = scheme_problems(scheme, items)
    if problems:
        raise ValidationError(problems)


@transaction.atomic
def scheme_create(
    *, actor: Any, scheme: EvaluationScheme, items: Sequence[SchemeIndicator]
) -> EvaluationScheme:
    """A new scheme with its indicators; each row audited."""
    _ensure_manager(actor, scheme)
    _validate(scheme, items)
    tracked_create(actor=actor, obj=scheme)
    for order, item in enumerate(items, start=1):
        item.scheme = scheme
        item.order = item.order or order
        tracked_create(actor=actor, obj=item)
    return scheme


@transaction.atomic
def scheme_update(
    *,
    actor: Any,
    scheme: EvaluationScheme,
    changes: dict[str, Any],
    items: Sequence[SchemeIndicator] | None = None,
    expected_version: int,
) -> EvaluationScheme:
    """Change the scheme (refused if someone changed it since `expected_version`); `items`, when
    given, replaces its indicator list: kept indicators are updated, others created or removed."""
    _ensure_manager(actor, scheme)
    probe = EvaluationScheme(**{**_fields(scheme), **changes})
    current_items = list(scheme.items.select_related("indicator", "dimension"))
    _validate(probe, items if items is not None else current_items)
    updated = tracked_update(
        actor=actor, obj=scheme, changes=changes, expected_version=expected_version
    )
    if items is not None:
        _replace_items(actor, updated, current_items, items)
    return updated


def _fields(scheme: EvaluationScheme) -> dict[str, Any]:
    return {f.attname: getattr(scheme, f.attname) for f in scheme._meta.concrete_fields}


def _replace_items(
    actor: Any,
    scheme: EvaluationScheme,
    current: Sequence[SchemeIndicator],
    wanted: Sequence[SchemeIndicator],
) -> None:
    by_indicator = {item.indicator_id: item for item in current}
    keep = {item.indicator_id for item in wanted}
    for item in current:
        if item.indicator_id not in keep:
            tracked_delete(actor=actor, obj=item, expected_version=None)
    for order, item in enumerate(wanted, start=1):
        old = by_indicator.get(item.indicator_id)
        fields = {
            "dimension": item.dimension,
            "weight": item.weight,
            "reference": item.reference,
            "order": order,
        }
        if old is None:
            tracked_create(
                actor=actor, obj=SchemeIndicator(scheme=scheme, indicator=item.indicator, **fields)
            )
        else:
            tracked_update(actor=actor, obj=old, changes=fields, expected_version=None)


# --------------------------------------------------------------------------------------- runs


@transaction.atomic
def scheme_evaluate(
    *, actor: Any, scheme: EvaluationScheme, publish: bool = False, note: str = ""
) -> EvaluationRun:
    """Load the panel, evaluate it, store the run with its method, inputs, weights and scores.

    One transaction, one audit entry (the scores are part of the run). Raises ValidationError
    when the scheme cannot be evaluated (the message says why) and PermissionDenied for anyone
    but the government's supervisors and admins.
    """
    _ensure_manager(actor, scheme)
    panel = load_panel(scheme)
    method = method_of(scheme)
    try:
        result = composite.compute(panel.data, method)
    except engine.EvaluationError as error:
        raise ValidationError(
            _("The scheme cannot be evaluated: %(error)s") % {"error": error}, code="evaluation"
        ) from error
    run = EvaluationRun(
        scheme=scheme,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        method=_method_json(method, result),
        inputs=_inputs_json(panel),
        weights=weights_json(result),
        is_published=publish,
    )
    run.full_clean(exclude=["created_by", "input_values"])  # None for system jobs (demo, bench)
    values = _values_bytes(panel.data.values)
    if connection.vendor == "postgresql":
        run.save()  # the values follow as a binary parameter
        _write_values(run, values)
    else:
        run.input_values = values
        run.save()
    _store_scores(run, panel, result)
    record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=run,
        after={"scheme": scheme.pk, "method": run.method, "is_published": publish},
        note=note or _("Composite evaluation computed"),
    )
    return run


def _method_json(method: MethodSpec, result: CompositeResult) -> dict[str, Any]:
    data = method.to_json()
    data["consistency_ratio"] = result.consistency_ratio
    data["skipped"] = {str(year): list(reason) for year, reason in result.skipped.items()}
    return data


def _inputs_json(panel: Panel) -> dict[str, Any]:
    """What `PanelData.to_json` holds except the values, which go to `input_values` (see
    `run_panel`)."""
    panel_data = panel.data
    data: dict[str, Any] = {
        "years": panel_data.years,
        "regions": panel_data.region_codes,
        "indicators": panel_data.indicator_codes,
        "directions": ["higher" if b else "lower" for b in panel_data.benefit],
        "dimensions": panel_data.dimensions,
        "fixed_weights": panel_data.fixed_weights,
        "reference": panel_data.reference,
    }
    # labels for people reading the stored run; not needed to recompute it
    data["labels"] = {
        "regions": panel.region_names,
        "indicators": [info.name for info in panel.indicators],
        "units": [info.unit for info in panel.indicators],
        "decimals": [info.decimals for info in panel.indicators],
        "valid_min": [info.valid_min for info in panel.indicators],
        "valid_max": [info.valid_max for info in panel.indicators],
        "dimensions": panel.dimension_names,
    }
    return data


VALUES_DTYPE = np.dtype("<f8")


def _values_bytes(values: Array) -> bytes:
    return np.ascontiguousarray(values, dtype=VALUES_DTYPE).tobytes()


def _write_values(run: EvaluationRun, values: bytes) -> None:
    """Django's PostgreSQL cursor would write 13 MB of bytes as a 26 MB hex literal in the SQL
    text for the server to parse; a server-side binding sends them as they are."""
    table = EvaluationRun._meta.db_table
    sql = f"UPDATE {table} SET input_values = %b WHERE id = %s"  # noqa: S608
    started = time.monotonic()
    with psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(sql, [values, run.pk])
    if connection.queries_logged:  # counted like the queries of Django's cursor
        connection.queries_log.append({"sql": sql, "time": f"{time.monotonic() - started:.3f}"})
    run.input_values = values


def weights_json(result: CompositeResult) -> dict[str, Any]:
    """Per year: indicator weights and each dimension's share; None for years not evaluated."""
    return {
        "indicators": {
            str(year): dict(zip(result.indicator_codes, composite.json_floats(row), strict=True))
            for year, row in zip(result.years, result.weights, strict=True)
        },
        "dimensions": {
            str(year): dict(zip(result.dimensions, composite.json_floats(row), strict=True))
            for year, row in zip(result.years, result.dimension_weight, strict=True)
        },
    }


def _store_scores(run: EvaluationRun, panel: Panel, result: CompositeResult) -> None:
    """One row per region and year, written in bulk (COPY on PostgreSQL, one executemany on
    SQLite) from columns built with numpy: a province's run has tens of thousands of rows, too
    many to build and save as model instances."""
    years, regions = len(result.years), len(panel.region_ids)
    dimensions = _json_objects(
        result.dimensions,
        composite.json_floats(result.dimension_scores.reshape(years * regions, -1)),
    )
    codes = np.array(result.indicator_codes)
    filled = result.imputed.reshape(years * regions, -1)
    imputed = ["[]"] * (years * regions)
    for k in np.flatnonzero(filled.any(axis=-1)).tolist():
        imputed[k] = json.dumps(codes[filled[k]].tolist())
    rows = zip(
        [run.pk] * (years * regions),
        np.tile(np.asarray(panel.region_ids, dtype=np.int64), years).tolist(),
        np.repeat(np.asarray(result.years, dtype=np.int64), regions).tolist(),
        composite.json_floats(result.score.reshape(-1)),
        _integers(result.rank),
        _integers(result.rank_change),
        dimensions,
        imputed,
        np.asarray(result.excluded, dtype=bool).reshape(-1).tolist(),
        strict=True,
    )
    table = EvaluationScore._meta.db_table
    columns = (
        "run_id, region_id, year, score, rank, rank_change, dimension_scores, imputed, excluded"
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # COPY: PostgreSQL's bulk path
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        marks = ", ".join(["%s"] * 9)
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", list(rows))  # noqa: S608


def _json_objects(keys: Sequence[str], rows: Sequence[Sequence[float | None]]) -> list[str]:
    """One JSON object per row, {key: number or null}, encoded in one call (floats as repr: they
    read back as the same double). The objects are flat and their keys are dimension codes
    (slugs), so "}, {" separates them and occurs nowhere else; anything else is encoded row by
    row."""
    objects = [dict(zip(keys, row, strict=True)) for row in rows]
    if not objects:
        return []
    parts = json.dumps(objects)[2:-2].split("}, {")
    if len(parts) != len(objects):  # pragma: no cover - a code with "}, {" in it
        return [json.dumps(row) for row in objects]
    return ["{" + part + "}" for part in parts]


def _integers(a: Array) -> list[int | None]:
    """A float array of whole numbers, flattened, as ints with None for NaN."""
    flat = np.asarray(a, dtype=float).reshape(-1)
    missing = np.isnan(flat)
    values: list[int | None] = np.where(missing, 0, flat).astype(np.int64).tolist()
    for k in np.flatnonzero(missing).tolist():
        values[k] = None
    return values


def run_reproduce(run: EvaluationRun) -> CompositeResult:
    """Recompute a stored run from its stored inputs and method alone (no other table read)."""
    return composite.compute(run_panel(run), run_method(run))


def run_panel(run: EvaluationRun) -> PanelData:
    """The stored panel: the axes from `inputs`, the numbers from `input_values`, bit for bit."""
    inputs = run.inputs
    shape = (len(inputs["years"]), len(inputs["regions"]), len(inputs["indicators"]))
    values = np.frombuffer(run.input_values, dtype=VALUES_DTYPE)
    if values.size != shape[0] * shape[1] * shape[2]:
        raise ValueError(f"run {run.pk}: stored values do not match its {shape} panel")
    return PanelData.from_json({**inputs, "values": values.reshape(shape)})


def run_method(run: EvaluationRun) -> MethodSpec:
    return MethodSpec.from_json(run.method)


@transaction.atomic
def run_publish(*, actor: Any, run: EvaluationRun, publish: bool = True) -> EvaluationRun:
    """Publish a run (everyone in the government may read it) or take it back."""
    _ensure_manager(actor, run.scheme)
    if run.is_published != publish:
        run.is_published = publish
        run.save(update_fields=["is_published"])
        record(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            obj=run,
            before={"is_published": not publish},
            after={"is_published": publish},
        )
    return run
