"""The wall dashboard: its figures are the owning apps' figures, its rights, its polled panels,
and a fixed number of queries whatever the size of the data."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from jinwei.indicators.models import Observation
from jinwei.indicators.progress import Colour
from jinwei.investment import funnel
from jinwei.lib.periods import Frequency, Period
from jinwei.projects import investment_totals
from jinwei.projects.models import Project
from jinwei.projects.schedule_queries import colour_counts
from jinwei.projects.selectors import rules_for
from jinwei.rankings.models import EvaluationScore
from jinwei.rankings.services import run_publish
from jinwei.reports import wall as wall_selectors
from jinwei.reports.views.wall import PANELS_HEADER, POLL_SECONDS, poll_seconds
from jinwei.tasks import scorecards
from tests.indicators.factories import ObservationFactory
from tests.reports import wall_data

pytestmark = pytest.mark.django_db
PAGE = reverse("reports:wall")
PANELS = reverse("reports:wall_panels")


def figures(cast):
    return wall_selectors.wall(viewer=cast.leader, government=cast.enping, now=timezone.localtime())


def board_text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


# --- figures -----------------------------------------------------------------------------------


def test_headline_indicators_carry_the_situation_status_and_the_latest_milestones(cast):
    data = wall_data.build(cast)
    board = figures(cast).indicators
    gdp, retail = board.headline
    assert (gdp.indicator, retail.indicator) == (data.gdp, data.retail)
    assert gdp.latest.value == Decimal("250") and gdp.status.colour == Colour.GREEN
    assert gdp.status.progress.completion.quantize(Decimal("0.1")) == Decimal("96.2")  # 250/260
    assert retail.status is None and retail.latest.is_illustrative
    assert [(m.indicator.code, str(m.period), m.milestone.threshold) for m in board.milestones] == [
        ("RETAIL", "2023", Decimal(100)),
        ("GDP", "2023", Decimal(240)),
    ]
    assert board.milestones[0].is_illustrative and board.has_illustrative


def test_first_places_and_rank_moves_in_the_latest_compared_year(cast):
    data = wall_data.build(cast)
    ranks = figures(cast).ranks
    assert ranks.group == data.evaluated.group and str(ranks.period) == "2023"
    # 2023: first in PM2.5 only (17 against 19, 23, 24); 2022: first in nothing
    assert (ranks.firsts, ranks.firsts_change) == (1, 1)
    assert ranks.firsts_moved.kind == "up"
    moves = [(m.name, m.rank, m.ranked, m.change.kind, m.change.places) for m in ranks.moves]
    assert moves == [
        ("PM2.5年均浓度", 1, 4, "up", 1),  # 2nd → 1st (lower is better)
        ("研发投入强度", 2, 4, "up", 1),  # 3rd → 2nd
        ("地区生产总值", 4, 4, "same", 0),
    ]  # 社会消费品零售总额 has no peer values: no place to show
    assert ranks.changes == {"up": 2, "same": 1}


def test_a_year_only_the_government_has_reported_is_passed_over(cast):
    data = wall_data.build(cast)
    ObservationFactory(indicator=data.gdp, region=cast.enping, period="2024", value=Decimal(270))
    ranks = figures(cast).ranks
    assert str(ranks.period) == "2023" and ranks.firsts == 1


def test_no_change_in_first_places_without_peer_values_the_year_before(cast):
    wall_data.build(cast)
    Observation.objects.filter(period="2022").delete()
    ranks = figures(cast).ranks
    assert ranks.firsts == 1 and ranks.firsts_change is None and ranks.firsts_moved is None
    assert {m.change.kind for m in ranks.moves} == {"new"}


def test_the_composite_rank_is_the_latest_published_runs(cast):
    data = wall_data.build(cast)
    stored = EvaluationScore.objects.get(run=data.run, region=cast.enping, year=2023)
    composite = figures(cast).composite
    assert composite.run == data.run and composite.year == 2023
    assert (composite.rank, composite.ranked) == (stored.rank, 4)
    assert composite.change == wall_selectors.count_change(stored.rank_change)
    run_publish(actor=cast.supervisor, run=data.run, publish=False)
    assert figures(cast).composite is None  # an unpublished run is not shown, even to managers
    assert (
        wall_selectors.wall(
            viewer=cast.supervisor, government=cast.enping, now=timezone.localtime()
        ).composite
        is None
    )


def test_red_tasks_by_unit_most_first_with_the_years_scorecard_totals(cast):
    wall_data.build(cast)
    tasks = figures(cast).tasks
    units = [(g.unit.name, g.total, g.rows[0].task.code) for g in tasks.red_units]
    assert units == [("恩城街道", 2, "E-LATE"), ("横陂镇", 1, "H-BEHIND")]
    assert tasks.red_total == 3 and tasks.red_units[0].rows[0].days_overdue == 12
    today = timezone.localdate()
    ranked = scorecards.rankings(cast.enping.pk, Period.of(Frequency.ANNUAL, today.year), today)
    units_figures = ranked.towns + ranked.departments
    assert tasks.closed == sum(f.closed for f in units_figures)
    assert tasks.overdue == sum(f.overdue for f in units_figures) >= 1


def test_key_projects_and_the_pipeline_as_their_apps_count_them(cast):
    data = wall_data.build(cast)
    wall = figures(cast)
    projects = wall.projects
    assert (projects.planned, projects.completed, projects.rate) == (
        Decimal("3"),
        Decimal("1.05"),
        Decimal("35.0"),
    )
    summary = investment_totals.summary(
        Project.objects.filter(government=cast.enping), data.today.year
    )
    assert projects.completed * 10000 == summary.total.completed
    assert [(bar.label, bar.value) for bar in projects.parks] == [
        ("智能装备特色产业园", Decimal("35.0"))
    ]
    counts = colour_counts(Project.objects.all(), data.today, rules_for(cast.enping.pk))
    assert dict((c.value, n) for c, n in projects.colours) == counts
    assert (counts["green"], counts["done"]) == (1, 1)

    pipeline = wall.pipeline
    found = funnel.funnel(
        government_id=cast.enping.pk,
        filters=funnel.FunnelFilters(),
        year=data.today.year,
        today=data.today,
    )
    assert [(bar.key, int(bar.value)) for bar in pipeline.stages] == [
        (row.stage, row.active) for row in found.stages
    ]
    stages = {bar.key: (int(bar.value), bar.amount) for bar in pipeline.stages}
    assert stages["clue"] == (2, Decimal("2.5")) and stages["signed"] == (1, Decimal("2.5"))
    assert (pipeline.leads, pipeline.signed_count, pipeline.signed_total) == (4, 1, Decimal("2.5"))


def test_a_government_without_data_gets_empty_panels(cast):
    wall = wall_selectors.wall(viewer=cast.outsider, government=cast.taishan, now=timezone.now())
    assert wall.indicators.headline == [] and wall.ranks is None and wall.composite is None
    assert wall.tasks.red_total == 0 and wall.projects.rate is None
    assert wall.pipeline.leads == 0 and not wall.has_illustrative


# --- the page and its panels -------------------------------------------------------------------


def test_the_page_shows_the_figures_and_polls_its_panels(cast):
    wall_data.build(cast)
    client = cast.client_for(cast.viewer)
    with translation.override("en"):
        client.cookies["django_language"] = "en"
        response = client.get(PAGE)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en"' in html and "reports/wall.js" in html and "reports/wall.css" in html
    board = re.search(r'<div id="wall-board"[^>]*>', html).group(0)
    assert f'hx-get="{PANELS}?government=440785&amp;every={POLL_SECONDS}"' in board
    assert f'hx-trigger="every {POLL_SECONDS}s"' in board and 'hx-swap="outerHTML"' in board
    text = board_text(response)
    assert "恩平市 · development dashboard" in text
    assert "250.00 亿元" in text and "96% of target, time 100%" in text
    assert "1 indicator in first place ↑1 on the year before" in text
    assert "towns and departments:" in text and "overdue" in text
    assert "1.05 of 3.00 (100 million yuan) planned" in text
    year = timezone.localdate().year
    assert f"Signed in {year}: 1 lead, 2.50 (100 million yuan)" in text
    assert "Connection lost: showing the figures of {time}" in html  # wall.js fills the time in
    assert "<script>" not in html and " style=" not in html  # the CSP forbids both


def test_the_page_is_in_chinese_by_default(cast):
    wall_data.build(cast)
    response = cast.client_for(cast.encheng_staff).get(PAGE)
    assert response.status_code == 200
    assert '<html lang="zh-CN"' in response.content.decode()
    assert "恩城街道" in board_text(response)


def test_the_wall_hides_the_site_header_but_leads_back_to_the_platform(cast):
    wall_data.build(cast)
    html = cast.client_for(cast.viewer).get(PAGE).content.decode()
    assert '<a class="wall-exit" href="/">返回平台</a>' in html


def test_the_panels_come_alone_with_their_marker_and_are_never_cached(cast):
    wall_data.build(cast)
    response = cast.client_for(cast.leader).get(PANELS, {"every": "10"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and response[PANELS_HEADER] == "panels"
    assert "no-cache" in response["Cache-Control"]
    html = response.content.decode().strip()
    assert html.startswith('<div id="wall-board"') and html.endswith("</div>")
    assert "<html" not in html and '<header class="site-header' not in html
    assert 'hx-trigger="every 10s"' in html  # the next poll keeps the interval


@pytest.mark.parametrize(
    ("asked", "seconds"), [(None, 60), ("", 60), ("x", 60), ("1", 5), ("30", 30), ("99999", 3600)]
)
def test_the_poll_interval_is_bounded(asked, seconds):
    assert poll_seconds(asked) == seconds


def test_everyone_of_the_government_may_watch(cast):
    wall_data.build(cast)
    for user in (cast.leader, cast.viewer, cast.encheng_staff, cast.statistician, cast.admin):
        for url in (PAGE, PANELS):
            assert cast.client_for(user).get(url, {"government": "440785"}).status_code == 200


def test_another_government_is_not_found(cast):
    wall_data.build(cast)
    outsider = cast.client_for(cast.outsider)
    for url in (PAGE, PANELS):
        assert outsider.get(url, {"government": "440785"}).status_code == 404
        assert cast.client_for(cast.leader).get(url, {"government": "440781"}).status_code == 404
        assert cast.client_for(cast.leader).get(url, {"government": "999999"}).status_code == 404
    own = outsider.get(PAGE)  # their own government's wall: empty, but theirs
    assert own.status_code == 200 and "台山市" in board_text(own)
    assert "恩城街道" not in board_text(own)


def test_signing_in_is_required(cast):
    from django.test import Client

    for url in (PAGE, PANELS):
        response = Client().get(url)
        assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_illustrative_figures_are_marked(cast):
    wall_data.build(cast)
    client = cast.client_for(cast.leader)
    client.cookies["django_language"] = "en"
    html = client.get(PAGE).content.decode()
    retail = re.search(r'data-indicator="RETAIL".*?</li>', html, re.S).group(0)
    gdp = re.search(r'data-indicator="GDP".*?</li>', html, re.S).group(0)
    assert "wall-mark" in retail and "Illustrative data" in retail
    assert "wall-mark" not in gdp
    assert 'class="wall-legend"' in html


def test_queries_do_not_grow_with_the_data(cast, django_assert_max_num_queries):
    wall_data.build(cast)
    client = cast.client_for(cast.leader)
    client.cookies["django_language"] = "en"
    client.get(PANELS)  # warm up: the session, the content types
    with django_assert_max_num_queries(45) as few:
        assert client.get(PANELS).status_code == 200
    wall_data.add_volume(cast, 30)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(PANELS)
    assert response.status_code == 200
    assert "and 27 more units" in board_text(response)  # 32 units with red tasks, 5 shown
    with django_assert_max_num_queries(len(few.captured_queries) + 1):
        assert client.get(PAGE).status_code == 200
