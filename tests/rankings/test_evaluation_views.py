"""Composite-evaluation pages: schemes, runs, sensitivity, what moves a rank; rights and queries."""

from __future__ import annotations

import pytest
from django.urls import reverse

from jinwei.indicators.models import Category, Observation
from jinwei.lib.xlsx import CONTENT_TYPE
from jinwei.rankings.models import EvaluationRun, EvaluationScheme, SchemeIndicator
from jinwei.rankings.services import scheme_evaluate
from tests.rankings.evaluation_data import build

pytestmark = pytest.mark.django_db


def form_data(data, **overrides: object) -> dict[str, object]:
    post: dict[str, object] = {
        "name": "新评价方案",
        "peer_group": data.group.pk,
        "first_year": 2022,
        "last_year": 2023,
        "missing_policy": "exclude",
        "normalization": "minmax",
        "weighting": "equal",
        "aggregation": "wsum",
        "alt_weightings": ["critic"],
    }
    for indicator in data.indicators.values():
        post[f"ind_{indicator.pk}"] = "on"
        post[f"dim_{indicator.pk}"] = indicator.category.code
    post.update(overrides)
    return post


# --- schemes ------------------------------------------------------------------------------


def test_a_supervisor_creates_a_scheme(cast):
    data = build(cast)
    client = cast.client_for(cast.supervisor)
    response = client.post(reverse("rankings:scheme_create"), form_data(data))
    scheme = EvaluationScheme.objects.get(name="新评价方案")
    assert response.status_code == 302
    assert response["Location"] == reverse("rankings:scheme_detail", args=[scheme.pk])
    assert scheme.government == cast.enping
    assert scheme.alternatives["weightings"] == ["critic"]
    assert SchemeIndicator.objects.filter(scheme=scheme).count() == 3


@pytest.mark.parametrize("who", ["leader", "encheng_staff", "viewer", "statistician"])
def test_others_may_not_create_a_scheme(cast, who):
    data = build(cast)
    client = cast.client_for(getattr(cast, who))
    assert client.get(reverse("rankings:scheme_create")).status_code == 403
    response = client.post(reverse("rankings:scheme_create"), form_data(data))
    assert response.status_code == 403
    assert not EvaluationScheme.objects.filter(name="新评价方案").exists()


def ahp_fields(data, matrix: dict[tuple[str, str], str]) -> dict[str, object]:
    return {f"ahp_{row}_{column}": value for (row, column), value in matrix.items()}


def test_an_inconsistent_ahp_grid_is_refused_with_its_consistency_ratio(cast):
    data = build(cast)
    client = cast.client_for(cast.supervisor)
    # economy, innovation, green in catalogue order; 9, 1/9 and 9 in a circle: inconsistent
    grid = ahp_fields(
        data,
        {("economy", "innovation"): "9", ("economy", "green"): "1/9", ("innovation", "green"): "9"},
    )
    response = client.post(
        reverse("rankings:scheme_create"), form_data(data, weighting="ahp", **grid)
    )
    assert response.status_code == 200
    assert "0.1" in response.content.decode()
    errors = response.context["form"].non_field_errors()
    assert any("consisten" in str(e) or "一致" in str(e) for e in errors)
    assert not EvaluationScheme.objects.filter(name="新评价方案").exists()

    grid = ahp_fields(
        data,
        {("economy", "innovation"): "3", ("economy", "green"): "5", ("innovation", "green"): "2"},
    )
    response = client.post(
        reverse("rankings:scheme_create"), form_data(data, weighting="ahp", **grid)
    )
    assert response.status_code == 302
    scheme = EvaluationScheme.objects.get(name="新评价方案")
    assert scheme.ahp_matrix[0] == [1.0, 3.0, 5.0]
    assert scheme.ahp_matrix[2][0] == pytest.approx(0.2)
    detail = client.get(reverse("rankings:scheme_detail", args=[scheme.pk]))
    assert "0.003" in detail.content.decode()  # the consistency ratio is shown


def test_a_supervisor_edits_a_scheme_and_a_stale_form_is_refused(cast):
    data = build(cast)
    client = cast.client_for(cast.supervisor)
    url = reverse("rankings:scheme_edit", args=[data.scheme.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["form"].initial["version"] == 1
    post = form_data(data, name="改名方案", aggregation="topsis", version=1)
    post.pop(f"ind_{data.indicators['PM25'].pk}")
    assert client.post(url, post).status_code == 302
    data.scheme.refresh_from_db()
    assert data.scheme.name == "改名方案" and data.scheme.aggregation == "topsis"
    assert data.scheme.items.count() == 2
    stale = client.post(url, form_data(data, name="又改", version=1))
    assert stale.status_code == 200
    data.scheme.refresh_from_db()
    assert data.scheme.name == "改名方案"


def test_others_may_not_edit_and_outsiders_do_not_see_the_scheme(cast):
    data = build(cast)
    url = reverse("rankings:scheme_edit", args=[data.scheme.pk])
    assert cast.client_for(cast.leader).post(url, form_data(data, version=1)).status_code == 403
    assert cast.client_for(cast.outsider).get(url).status_code == 404
    detail = reverse("rankings:scheme_detail", args=[data.scheme.pk])
    assert cast.client_for(cast.outsider).get(detail).status_code == 404
    assert cast.client_for(cast.viewer).get(detail).status_code == 200
    data.scheme.refresh_from_db()
    assert data.scheme.version == 1


# --- runs -----------------------------------------------------------------------------------


def test_a_supervisor_runs_a_scheme_and_may_publish_it(cast):
    data = build(cast)
    client = cast.client_for(cast.supervisor)
    url = reverse("rankings:scheme_run", args=[data.scheme.pk])
    response = client.post(url, {"publish": "on"})
    run = EvaluationRun.objects.get()
    assert response["Location"] == reverse("rankings:run_detail", args=[run.pk])
    assert run.is_published and run.created_by == cast.supervisor
    assert client.get(url).status_code == 405


@pytest.mark.parametrize(
    ("who", "status"), [("leader", 403), ("hengpi_staff", 403), ("outsider", 404)]
)
def test_others_may_not_run_a_scheme(cast, who, status):
    data = build(cast)
    response = cast.client_for(getattr(cast, who)).post(
        reverse("rankings:scheme_run", args=[data.scheme.pk]), {"publish": "on"}
    )
    assert response.status_code == status
    assert not EvaluationRun.objects.exists()


def test_an_unpublished_run_is_seen_by_supervisors_only(cast):
    data = build(cast)
    run = scheme_evaluate(actor=cast.supervisor, scheme=data.scheme)
    url = reverse("rankings:run_detail", args=[run.pk])
    assert cast.client_for(cast.supervisor).get(url).status_code == 200
    assert cast.client_for(cast.admin).get(url).status_code == 200
    for reader in (cast.leader, cast.viewer, cast.encheng_staff, cast.outsider):
        assert cast.client_for(reader).get(url).status_code == 404
    for name in ("rankings:sensitivity", "rankings:run_export"):
        assert cast.client_for(cast.leader).get(reverse(name, args=[run.pk])).status_code == 404
    listing = cast.client_for(cast.leader).get(reverse("rankings:scheme_list"))
    assert url not in listing.content.decode()


def test_the_run_page_shows_method_policy_imputed_cells_and_rank_changes(cast):
    data = build(cast, missing_policy="impute_mean")
    Observation.objects.filter(
        indicator=data.indicators["RD"], region__code="440703", period="2023"
    ).delete()
    run = scheme_evaluate(actor=cast.supervisor, scheme=data.scheme, publish=True)
    client = cast.client_for(cast.viewer)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("rankings:run_detail", args=[run.pk]) + "?year=2023")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Fill with the group mean" in html  # the policy
    assert "Min-max" in html and "Equal" in html and "Weighted sum" in html
    assert '<span class="imputed">研发投入强度</span>' in html
    assert "↑2 advanced" in html and "↓2 fell back" in html  # 恩平 3 → 1, 蓬江 1 → 3
    assert 'data-chart="rank-figure"' in html
    figure = page.context["figure"]
    assert {trace["name"] for trace in figure["data"]} == {r.name for r in data.regions.values()}


def test_the_run_exports_to_excel_with_one_sheet_per_year(cast):
    from io import BytesIO

    from openpyxl import load_workbook

    data = build(cast)
    run = scheme_evaluate(actor=cast.supervisor, scheme=data.scheme, publish=True)
    response = cast.client_for(cast.leader).get(reverse("rankings:run_export", args=[run.pk]))
    assert response["Content-Type"] == CONTENT_TYPE
    book = load_workbook(BytesIO(response.content))
    assert book.sheetnames[:2] == ["2022", "2023"]
    sheet = book["2023"]
    ranks = [sheet.cell(row=r, column=1).value for r in range(3, 7)]
    assert ranks == sorted(ranks) and ranks[0] == 1


def test_the_sensitivity_page_shows_n_seed_and_every_combination(cast):
    data = build(cast)
    run = scheme_evaluate(actor=cast.supervisor, scheme=data.scheme, publish=True)
    client = cast.client_for(cast.leader)
    url = reverse("rankings:sensitivity", args=[run.pk])
    page = client.get(url, {"year": 2023, "draws": 200, "seed": 7, "kappa": 50})
    assert page.status_code == 200
    carlo = page.context["carlo"]
    assert (carlo.draws, carlo.seed, carlo.kappa) == (200, 7, 50)
    assert len(page.context["combos_table"].rows) == 2 * 2 * 2
    again = client.get(url, {"year": 2023, "draws": 200, "seed": 7, "kappa": 50})
    assert (again.context["carlo"].median == carlo.median).all()
    default = client.get(url)
    assert default.context["carlo"].draws == 1000
    html = default.content.decode()
    assert "1000" in html and str(default.context["carlo"].seed) in html


def test_what_moves_shows_contributions_and_improvements(cast):
    data = build(cast)
    run = scheme_evaluate(actor=cast.supervisor, scheme=data.scheme, publish=True)
    client = cast.client_for(cast.encheng_staff)
    page = client.get(reverse("rankings:what_moves", args=[run.pk, "440785"]), {"year": 2023})
    assert page.status_code == 200
    result = page.context["result"]
    assert result.targets and len(result.contributions) == 3
    assert len(page.context["improvements_table"].rows) == 3
    unknown = client.get(reverse("rankings:what_moves", args=[run.pk, "110000"]))
    assert unknown.status_code == 404


def test_what_moves_for_the_leader_says_there_is_no_one_to_overtake(cast):
    data = build(cast)
    run = scheme_evaluate(actor=cast.supervisor, scheme=data.scheme, publish=True)
    leader = run.scores.get(year=2023, rank=1).region
    page = cast.client_for(cast.leader).get(
        reverse("rankings:what_moves", args=[run.pk, leader.code]), {"year": 2023}
    )
    assert page.status_code == 200
    assert page.context["result"].targets == []


def _published_run(cast, extra_regions: int) -> EvaluationRun:
    data = build(
        cast,
        group_name=f"组{extra_regions}",
        name=f"方案{extra_regions}",
        extra_regions=extra_regions,
    )
    return scheme_evaluate(actor=cast.supervisor, scheme=data.scheme, publish=True)


@pytest.mark.parametrize("extra_regions", [0, 6])
def test_the_run_pages_take_few_queries_whatever_the_number_of_regions(
    cast, extra_regions, django_assert_max_num_queries
):
    run = _published_run(cast, extra_regions)
    client = cast.client_for(cast.leader)
    client.get(reverse("rankings:scheme_list"))  # the session and grants, once
    for url in (
        reverse("rankings:run_detail", args=[run.pk]),
        reverse("rankings:sensitivity", args=[run.pk]) + "?draws=200",
        reverse("rankings:what_moves", args=[run.pk, "440785"]),
        reverse("rankings:run_export", args=[run.pk]),
    ):
        with django_assert_max_num_queries(6):
            assert client.get(url).status_code == 200


def test_the_scheme_list_takes_few_queries(cast, django_assert_max_num_queries):
    for k in range(3):
        _published_run(cast, k)
    client = cast.client_for(cast.viewer)
    with django_assert_max_num_queries(7):
        page = client.get(reverse("rankings:scheme_list"))
    assert len(page.context["schemes"]) == 3


def test_categories_are_the_dimensions_of_the_form(cast):
    build(cast)
    page = cast.client_for(cast.supervisor).get(reverse("rankings:scheme_create"))
    rows = page.context["form"].dimension_rows()
    assert [row.category.code for row in rows] == list(
        Category.objects.order_by("order", "code").values_list("code", flat=True)
    )
