"""Scheme and run services: the panel, stored runs reproduced exactly, rights, AHP refused."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from jinwei.audit.models import AuditEntry
from jinwei.audit.services import StaleVersionError
from jinwei.indicators.models import Category, Observation
from jinwei.rankings import services
from jinwei.rankings.matrices import load_panel
from jinwei.rankings.models import (
    EvaluationRun,
    EvaluationScheme,
    EvaluationScore,
    SchemeIndicator,
)
from tests.indicators.factories import ObservationFactory
from tests.rankings.evaluation_data import build

pytestmark = pytest.mark.django_db


def test_load_panel_reads_years_regions_indicators_with_nan_for_missing(cast):
    data = build(cast)
    Observation.objects.filter(indicator=data.indicators["RD"], region=cast.taishan).delete()
    ObservationFactory(  # a draft is not evaluated
        indicator=data.indicators["GDP"],
        region=cast.enping,
        period="2021",
        value=Decimal(1),
    )
    panel = load_panel(data.scheme)
    assert panel.years == [2022, 2023]
    assert panel.region_codes == ["440703", "440781", "440783", "440785"]
    assert panel.data.indicator_codes == ["GDP", "RD", "PM25"]
    assert panel.data.benefit == [True, True, False]
    assert panel.data.dimensions == ["economy", "innovation", "green"]
    taishan = panel.region_codes.index("440781")
    assert np.isnan(panel.values[:, taishan, 1]).all()
    enping = panel.region_codes.index("440785")
    assert panel.values[1, enping].tolist() == [250.0, 2.4, 17.0]


def test_load_panel_takes_one_query_for_the_observations(cast, django_assert_num_queries):
    data = build(cast)
    with django_assert_num_queries(3):  # items, regions, observations
        load_panel(data.scheme)


def test_evaluate_stores_method_inputs_weights_and_scores(cast):
    data = build(cast)
    before = AuditEntry.objects.count()
    run = services.scheme_evaluate(actor=cast.supervisor, scheme=data.scheme)
    assert not run.is_published and run.created_by == cast.supervisor
    assert run.method["normalization"] == "minmax"
    assert run.method["missing_policy"] == "exclude"
    assert run.method["engine_version"]
    assert run.inputs["indicators"] == ["GDP", "RD", "PM25"]
    assert run.inputs["directions"] == ["higher", "higher", "lower"]
    assert run.inputs["years"] == [2022, 2023]
    assert set(run.weights["indicators"]["2023"]) == {"GDP", "RD", "PM25"}
    assert EvaluationScore.objects.filter(run=run).count() == 4 * 2
    enping = EvaluationScore.objects.get(run=run, region=cast.enping, year=2023)
    assert enping.rank is not None and enping.score is not None
    assert set(enping.dimension_scores) == {"economy", "innovation", "green"}
    assert AuditEntry.objects.count() == before + 1
    entry = AuditEntry.objects.latest("id")
    assert entry.object_id == str(run.pk) and entry.actor == cast.supervisor


def test_rank_change_is_stored_against_the_previous_year(cast):
    data = build(cast)
    run = services.scheme_evaluate(actor=cast.supervisor, scheme=data.scheme)
    scores = {(s.region.code, s.year): s for s in run.scores.select_related("region")}
    for code in data.regions:
        first, second = scores[(code, 2022)], scores[(code, 2023)]
        assert first.rank_change is None
        assert second.rank_change == first.rank - second.rank
    assert any(s.rank_change for s in scores.values())  # the example's ranks do move


def test_a_run_is_reproduced_exactly_from_its_stored_inputs(cast):
    data = build(cast, weighting="entropy-cn", aggregation="topsis")
    run = services.scheme_evaluate(actor=cast.supervisor, scheme=data.scheme)
    Observation.objects.all().delete()  # the stored run needs nothing else
    run = EvaluationRun.objects.get(pk=run.pk)
    result = services.run_reproduce(run)
    codes = result.region_codes
    for score in run.scores.select_related("region"):
        t, i = result.years.index(score.year), codes.index(score.region.code)
        assert score.score == result.score[t, i]  # exactly, not approximately
        assert score.rank == result.rank[t, i]
        for d, dimension in enumerate(result.dimensions):
            assert score.dimension_scores[dimension] == result.dimension_scores[t, i, d]


def test_missing_data_policy_is_stored_on_the_scores(cast):
    data = build(cast)
    Observation.objects.filter(
        indicator=data.indicators["RD"], region=cast.taishan, period="2023"
    ).delete()
    run = services.scheme_evaluate(actor=cast.supervisor, scheme=data.scheme)
    taishan = run.scores.get(region=cast.taishan, year=2023)
    assert taishan.excluded and taishan.score is None and taishan.rank is None
    assert not run.scores.get(region=cast.taishan, year=2022).excluded

    data.scheme.missing_policy = EvaluationScheme.MissingPolicy.IMPUTE_MEAN
    data.scheme.save()
    run = services.scheme_evaluate(actor=cast.supervisor, scheme=data.scheme)
    taishan = run.scores.get(region=cast.taishan, year=2023)
    assert not taishan.excluded and taishan.rank is not None
    assert taishan.imputed == ["RD"]
    assert run.method["missing_policy"] == "impute_mean"


@pytest.mark.parametrize("who", ["leader", "encheng_staff", "viewer", "outsider"])
def test_only_supervisors_and_admins_run_a_scheme(cast, who):
    data = build(cast)
    with pytest.raises(PermissionDenied):
        services.scheme_evaluate(actor=getattr(cast, who), scheme=data.scheme)
    assert not EvaluationRun.objects.exists()


def test_a_scheme_that_cannot_be_evaluated_says_why_and_stores_nothing(cast):
    data = build(cast, normalization="target")  # no reference values
    with pytest.raises(ValidationError, match="target"):
        services.scheme_evaluate(actor=cast.admin, scheme=data.scheme)
    assert not EvaluationRun.objects.exists()


def _items(data, **weights: Decimal) -> list[SchemeIndicator]:
    categories = {c.code: c for c in Category.objects.all()}
    dims = {"GDP": "economy", "RD": "innovation", "PM25": "green"}
    return [
        SchemeIndicator(
            indicator=data.indicators[code],
            dimension=categories[dims[code]],
            weight=weights.get(code),
        )
        for code in ("GDP", "RD", "PM25")
    ]


def _new_scheme(data, **fields: object) -> EvaluationScheme:
    values: dict[str, object] = {
        "government": data.scheme.government,
        "name": "新方案",
        "peer_group": data.group,
        "first_year": 2022,
        "last_year": 2023,
        **fields,
    }
    return EvaluationScheme(**values)


def test_create_refuses_an_inconsistent_ahp_matrix(cast):
    data = build(cast)
    inconsistent = [[1, 9, 1 / 9], [1 / 9, 1, 9], [9, 1 / 9, 1]]
    scheme = _new_scheme(data, weighting="ahp", ahp_matrix=inconsistent)
    with pytest.raises(ValidationError, match=r"6\.130"):  # the consistency ratio, in any language
        services.scheme_create(actor=cast.supervisor, scheme=scheme, items=_items(data))
    assert not EvaluationScheme.objects.filter(name="新方案").exists()
    consistent = [[1, 3, 5], [1 / 3, 1, 2], [1 / 5, 1 / 2, 1]]
    scheme = _new_scheme(data, weighting="ahp", ahp_matrix=consistent)
    services.scheme_create(actor=cast.supervisor, scheme=scheme, items=_items(data))
    run = services.scheme_evaluate(actor=cast.supervisor, scheme=scheme)
    assert run.method["consistency_ratio"] < 0.1


def test_create_with_fixed_weights_needs_every_weight(cast):
    data = build(cast)
    scheme = _new_scheme(data, weighting="given")
    with translation.override("en"), pytest.raises(ValidationError, match="every indicator"):
        services.scheme_create(
            actor=cast.supervisor, scheme=scheme, items=_items(data, GDP=Decimal("0.5"))
        )
    items = _items(data, GDP=Decimal("0.5"), RD=Decimal("0.3"), PM25=Decimal("0.2"))
    services.scheme_create(actor=cast.supervisor, scheme=scheme, items=items)
    run = services.scheme_evaluate(actor=cast.supervisor, scheme=scheme)
    assert run.weights["indicators"]["2023"] == pytest.approx({"GDP": 0.5, "RD": 0.3, "PM25": 0.2})


def test_create_is_refused_to_staff_and_writes_nothing(cast):
    data = build(cast)
    with pytest.raises(PermissionDenied):
        services.scheme_create(
            actor=cast.encheng_staff, scheme=_new_scheme(data), items=_items(data)
        )
    assert not EvaluationScheme.objects.filter(name="新方案").exists()


def test_update_is_version_checked_and_replaces_the_indicators(cast):
    data = build(cast)
    scheme = data.scheme
    items = _items(data)[:2]
    updated = services.scheme_update(
        actor=cast.supervisor,
        scheme=scheme,
        changes={"aggregation": "topsis"},
        items=items,
        expected_version=scheme.version,
    )
    assert updated.aggregation == "topsis" and updated.version == 2
    assert [i.indicator.code for i in updated.items.select_related("indicator")] == ["GDP", "RD"]
    with pytest.raises(StaleVersionError):
        services.scheme_update(
            actor=cast.admin, scheme=updated, changes={"aggregation": "vikor"}, expected_version=1
        )


def test_publish_makes_a_run_public_once(cast):
    data = build(cast)
    run = services.scheme_evaluate(actor=cast.supervisor, scheme=data.scheme)
    before = AuditEntry.objects.count()
    services.run_publish(actor=cast.supervisor, run=run)
    services.run_publish(actor=cast.supervisor, run=run)
    run.refresh_from_db()
    assert run.is_published
    assert AuditEntry.objects.count() == before + 1
    with pytest.raises(PermissionDenied):
        services.run_publish(actor=cast.leader, run=run, publish=False)


def test_the_demo_step_is_idempotent(db):
    from jinwei.accounts.demo import load_foundation
    from jinwei.indicators.demo import load_indicators
    from jinwei.rankings.demo import SCHEME_NAME, load_evaluation

    load_foundation()
    load_indicators()
    assert load_evaluation() > 0
    run = EvaluationRun.objects.get(scheme__name=SCHEME_NAME)
    assert run.is_published
    assert run.method["weighting"] == "entropy-cn" and run.method["missing_policy"] == "impute_mean"
    assert run.inputs["years"] == [2019, 2020, 2021, 2022, 2023, 2024]
    assert len(run.inputs["regions"]) == 7
    entries = AuditEntry.objects.count()
    assert load_evaluation() == 0
    assert EvaluationRun.objects.count() == 1
    assert AuditEntry.objects.count() == entries
