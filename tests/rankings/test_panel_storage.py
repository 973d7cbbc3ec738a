"""How a panel is read in bulk and how a run's inputs are stored: every read path gives the same
panel, and a stored run gives back its numbers bit for bit."""

from __future__ import annotations

import importlib
import json
from decimal import Decimal

import numpy as np
import pytest
from django.apps import apps

from jinwei.indicators.models import Observation
from jinwei.rankings import matrices, services
from jinwei.rankings.models import EvaluationRun, SchemeIndicator
from tests.factories import RegionFactory
from tests.indicators.factories import ObservationFactory
from tests.rankings.evaluation_data import VALUES, build

pytestmark = pytest.mark.django_db

CODES = ["440703", "440781", "440783", "440785"]  # the panel's region order (by code)


def _with_noise(cast):
    """The example without RD in the scheme, plus rows inside the id ranges a large panel reads
    that are not the panel's: a region of another group, an indicator not in the scheme (RD,
    between GDP and PM25), a quarter, a draft, a year after the scheme's."""
    outsider = RegionFactory(code="449990", name="他组县", parent=cast.jiangmen.parent)
    data = build(cast)  # its new counties come after the outsider: the outsider is in range
    SchemeIndicator.objects.filter(scheme=data.scheme, indicator__code="RD").delete()
    gdp, enping = data.indicators["GDP"], cast.enping
    approved = Observation.Status.APPROVED
    ObservationFactory(indicator=gdp, region=outsider, period="2023", value=1, status=approved)
    ObservationFactory(indicator=gdp, region=enping, period="2023Q3", value=2, status=approved)
    ObservationFactory(indicator=gdp, region=enping, period="2024", value=3, status=approved)
    Observation.objects.filter(indicator=gdp, region=cast.taishan, period="2022").update(
        status=Observation.Status.DRAFT
    )
    return data


def _expected() -> np.ndarray:
    values = np.array(
        [[[VALUES[code][c][t] for c in ("GDP", "PM25")] for code in CODES] for t in range(2)],
        dtype=float,
    )
    values[0, CODES.index("440781"), 0] = np.nan  # the draft
    return values


@pytest.mark.parametrize(
    ("scan_cells", "pack_limit", "lookup_limit"),
    [
        (10**9, 2**62, 1 << 22),  # a small panel: the exact id lists, through the indexes
        (0, 2**62, 1 << 22),  # a large panel: ranges over the ids, one pass over the table
        (0, 1, 1 << 22),  # ids too sparse to pack the indicator with the year and region
        (0, 2**62, 0),  # ids too sparse for a lookup table: binary search
    ],
)
def test_every_way_of_reading_the_panel_gives_the_same_numbers(
    cast, monkeypatch, scan_cells, pack_limit, lookup_limit
):
    data = _with_noise(cast)
    monkeypatch.setattr(matrices, "SCAN_CELLS", scan_cells)
    monkeypatch.setattr(matrices, "PACK_LIMIT", pack_limit)
    monkeypatch.setattr(matrices, "LOOKUP_LIMIT", lookup_limit)
    panel = matrices.load_panel(data.scheme)
    assert panel.region_codes == CODES
    assert panel.data.indicator_codes == ["GDP", "PM25"]
    np.testing.assert_array_equal(panel.values, _expected())  # NaN where NaN


def test_a_panel_with_no_observation_is_all_missing(cast, monkeypatch):
    data = build(cast)
    Observation.objects.all().delete()
    for scan_cells in (0, 10**9):
        monkeypatch.setattr(matrices, "SCAN_CELLS", scan_cells)
        assert np.isnan(matrices.load_panel(data.scheme).values).all()


def test_values_come_back_as_the_decimals_nearest_doubles(cast, monkeypatch):
    data = build(cast)
    awkward = ["0.1", "123456789.123456", "-2.5", "1E+3", "0.000001", "98765432109.87"]
    cells = Observation.objects.filter(indicator=data.indicators["GDP"]).order_by("id")
    for pk, text in zip(cells.values_list("pk", flat=True), awkward, strict=False):
        Observation.objects.filter(pk=pk).update(value=Decimal(text))
    expected = [float(Decimal(text)) for text in awkward] + [
        float(value) for value in cells.values_list("value", flat=True)[len(awkward) :]
    ]
    assert float(Decimal("123456789.123456")) in expected
    monkeypatch.setattr(matrices, "SCAN_CELLS", 0)
    panel = matrices.load_panel(data.scheme)
    read = sorted(panel.values[:, :, 0].ravel().tolist())
    assert read == sorted(expected)


def test_a_run_stores_its_numbers_as_bytes_and_gives_them_back_exactly(cast):
    data = build(cast)
    Observation.objects.filter(indicator=data.indicators["RD"], region=cast.taishan).delete()
    run = services.scheme_evaluate(actor=cast.supervisor, scheme=data.scheme)
    panel = matrices.load_panel(data.scheme)
    stored = EvaluationRun.objects.get(pk=run.pk)
    assert not {"values", "values_base64", "shape"} & set(stored.inputs)
    assert bytes(stored.input_values) == panel.values.astype("<f8").tobytes()
    again = services.run_panel(stored)
    assert again.values.tobytes() == panel.values.tobytes()  # NaN included, bit for bit
    for name in ("years", "region_codes", "indicator_codes", "benefit", "dimensions"):
        assert getattr(again, name) == getattr(panel.data, name)
    assert again.fixed_weights == panel.data.fixed_weights
    assert again.reference == panel.data.reference


def test_a_run_whose_bytes_do_not_fit_its_axes_is_refused(cast):
    data = build(cast)
    run = services.scheme_evaluate(actor=cast.supervisor, scheme=data.scheme)
    EvaluationRun.objects.filter(pk=run.pk).update(input_values=b"\0" * 8)
    with pytest.raises(ValueError, match="do not match"):
        services.run_panel(EvaluationRun.objects.get(pk=run.pk))


@pytest.mark.parametrize("layout", ["lists", "base64"])
def test_the_migration_moves_runs_stored_as_json_and_back(cast, layout):
    migration = importlib.import_module("jinwei.rankings.migrations.0002_run_input_values")
    data = build(cast)
    Observation.objects.filter(indicator=data.indicators["RD"], region=cast.taishan).delete()
    run = services.scheme_evaluate(actor=cast.supervisor, scheme=data.scheme)
    values = services.run_panel(run).values
    old = dict(run.inputs)
    if layout == "lists":  # how small panels were stored: null for a missing value
        old["values"] = [[[None if np.isnan(v) else v for v in row] for row in m] for m in values]
    else:
        migration.to_json(apps, None)
        old = EvaluationRun.objects.get(pk=run.pk).inputs
        assert old["shape"] == list(values.shape)
    EvaluationRun.objects.filter(pk=run.pk).update(inputs=old, input_values=b"")

    migration.to_bytes(apps, None)

    moved = EvaluationRun.objects.get(pk=run.pk)
    assert bytes(moved.input_values) == values.tobytes()
    assert not {"values", "values_base64", "shape"} & set(moved.inputs)
    result = services.run_reproduce(moved)
    stored = {(s.region.code, s.year): s for s in moved.scores.select_related("region")}
    for (code, year), score in stored.items():
        t, i = result.years.index(year), result.region_codes.index(code)
        assert score.rank == (None if np.isnan(result.rank[t, i]) else result.rank[t, i])


@pytest.mark.parametrize(
    "rows",
    [[], [[0.1, None]], [[1 / 3, 2.5e-300], [None, None], [-0.0, 1e300]]],
)
def test_dimension_scores_are_encoded_as_one_json_object_per_row(rows):
    encoded = services._json_objects(["innovation", "green"], rows)
    assert [json.loads(text) for text in encoded] == [
        {"innovation": a, "green": b} for a, b in rows
    ]
