"""Funnel analytics on fixed data: counts and amounts by stage, reached and conversion, time in
stage, by source and by chain, the year's signed total; the indicator it feeds; a fixed number
of queries whatever the number of leads."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jinwei.indicators.models import Indicator, Observation
from jinwei.investment import funnel, services
from jinwei.investment.funnel import FunnelFilters, period_values
from jinwei.investment.funnel_chart import FUNNEL_COLOUR, SIGNED_COLOUR, funnel_figure
from jinwei.investment.models import Lead
from jinwei.investment.stage_times import median_of
from jinwei.lib.periods import Period
from tests.indicators.factories import IndicatorFactory, ObservationFactory
from tests.indicators.import_helpers import english
from tests.investment.factories import LeadFactory, PipelineSettingsFactory
from tests.investment.pipeline_helpers import Stage, new_lead, today
from tests.projects.factories import ChainLinkFactory

pytestmark = pytest.mark.django_db


YEAR = today().year - 1
BASE = datetime.date(YEAR, 1, 1)
D = Decimal


def day(n: int) -> datetime.date:
    return BASE + datetime.timedelta(days=n)


def step(cast, lead: Lead, stage: str, n: int, note: str = "") -> Lead:
    return services.lead_move(
        actor=cast.investment, lead=lead, to_stage=stage, on=day(n), note=note
    )


def sign_on(cast, lead: Lead, n: int, amount: str, code: str) -> Lead:
    services.lead_sign(
        actor=cast.investment,
        lead=lead,
        on=day(n),
        signed_investment=D(amount),
        project_code=code,
        lead_unit=cast.encheng,
        kind="industrial",
    )
    return Lead.objects.get(pk=lead.pk)


@pytest.fixture
def five(cast):
    """Five leads with known stories (see each line); chain X and Y, sources of three kinds."""
    x = ChainLinkFactory(chain__government=cast.enping, chain__name="数控机床")
    y = ChainLinkFactory(chain__government=cast.enping, chain__name="新材料")

    def lead(company, source, link, intended, stage=Stage.CLUE):
        return new_lead(
            cast,
            company=company,
            source=source,
            chain_link=link,
            intended_investment=D(intended),
            stage=stage,
            stage_since=day(0),
        )

    compatriots, referral, fair = Lead.Source.COMPATRIOTS, Lead.Source.REFERRAL, Lead.Source.FAIR
    a = lead("A", compatriots, x, "80")  # clue 0 → contact 10 → visit 30 → nego 40 → signed 60
    for stage, n in [(Stage.CONTACT, 10), (Stage.VISIT, 30), (Stage.NEGOTIATION, 40)]:
        a = step(cast, a, stage, n)
    a = step(cast, sign_on(cast, a, 60, "100", "P-A"), Stage.REGISTERED, 70)  # → registered 70
    b = lead("B", compatriots, x, "50")  # clue 0 → contact 20 → dropped 25
    b = step(cast, b, Stage.CONTACT, 20)
    services.lead_drop(actor=cast.investment, lead=b, reason="转投他处", on=day(25))
    c = lead("C", referral, y, "30")  # clue 0 → contact 5 → visit 15 → back to contact 20
    for stage, n in [(Stage.CONTACT, 5), (Stage.VISIT, 15)]:
        c = step(cast, c, stage, n)
    step(cast, c, Stage.CONTACT, 20, note="投资方暂缓")
    d = lead("D", fair, None, "200", stage=Stage.VISIT)  # visit 0 → nego 12 → signed 30
    sign_on(cast, step(cast, d, Stage.NEGOTIATION, 12), 30, "150", "P-D")
    lead("E", referral, y, "10")  # clue since 0
    return {"x": x, "y": y}


def run(cast, **filters) -> funnel.Funnel:
    return funnel.funnel(
        government_id=cast.enping.pk, filters=FunnelFilters(**filters), year=YEAR, today=today()
    )


def by_stage(result: funnel.Funnel, attribute: str) -> dict[str, object]:
    return {row.stage: getattr(row, attribute) for row in result.stages}


def test_counts_and_amounts_by_stage(cast, five):
    result = run(cast)
    assert by_stage(result, "active") == {
        "clue": 1,
        "contact": 1,
        "visit": 0,
        "negotiation": 0,
        "signed": 1,
        "registered": 1,
        "landed": 0,
    }
    assert by_stage(result, "dropped") == {**dict.fromkeys(Lead.Stage.values, 0), "contact": 1}
    intended = by_stage(result, "intended")
    assert (intended["clue"], intended["contact"], intended["signed"]) == (D(10), D(30), D(200))
    assert intended["registered"] == D(80)
    signed = by_stage(result, "signed")
    assert signed["clue"] is None
    assert (signed["signed"], signed["registered"], signed["landed"]) == (D(150), D(100), D(0))
    assert result.total.leads == 5


def test_reached_and_conversion_come_from_the_highest_stage_each_lead_reached(cast, five):
    result = run(cast)
    # C went back to contact but had reached the site visit
    assert by_stage(result, "reached") == {
        "clue": 5,
        "contact": 4,
        "visit": 3,
        "negotiation": 2,
        "signed": 2,
        "registered": 1,
        "landed": 0,
    }
    assert by_stage(result, "conversion") == {
        "clue": D("80.0"),
        "contact": D("75.0"),
        "visit": D("66.7"),
        "negotiation": D("100.0"),
        "signed": D("50.0"),
        "registered": D("0.0"),
        "landed": None,
    }


def test_time_in_stage_from_the_stage_changes(cast, five):
    times = {row.stage: row.time for row in run(cast).stages}
    # clue: A 10, B 20, C 5 · contact: A 20, B 5 (until dropped), C 10 · visit: A 10, C 5, D 12
    assert (times["clue"].stays, times["clue"].mean_days, times["clue"].median_days) == (
        3,
        D("11.7"),
        D(10),
    )
    assert (times["contact"].mean_days, times["contact"].median_days) == (D("11.7"), D(10))
    assert (times["visit"].mean_days, times["visit"].median_days) == (D("9.0"), D(10))
    assert (times["negotiation"].stays, times["negotiation"].median_days) == (2, D(19))
    assert (times["signed"].stays, times["signed"].mean_days) == (1, D("10.0"))
    assert times["registered"].stays == 0
    assert times["registered"].median_days is None
    # still in their stage: E (clue since day 0), C (contact since 20), D (signed), A (registered)
    assert times["clue"].now_in_stage == 1
    assert times["clue"].median_days_so_far == D((today() - day(0)).days)
    assert times["contact"].median_days_so_far == D((today() - day(20)).days)
    assert times["landed"].now_in_stage == 0


@pytest.mark.usefixtures(english.__name__)  # matched on the English text
def test_figures_by_source_and_by_chain(cast, five):
    result = run(cast)
    sources = {g.key: g for g in result.by_source}
    assert list(sources) == ["compatriots", "referral", "fair"]
    assert result.by_source[0].label == "Local and overseas compatriots (乡贤、侨胞)"
    compatriots = sources["compatriots"]
    assert (compatriots.leads, compatriots.total_dropped, compatriots.signed_rate) == (
        2,
        1,
        D("50.0"),
    )
    assert (compatriots.total_intended, compatriots.total_signed) == (D(80), D(100))
    assert sources["referral"].signed_rate == D("0.0")
    assert sources["referral"].active_by_stage == [1, 1, 0, 0, 0, 0, 0]
    assert sources["fair"].signed_in_year == D(150)
    chains = {g.label: g for g in result.by_chain}
    assert list(chains) == ["数控机床", "新材料", "No chain given"]
    assert (chains["数控机床"].leads, chains["数控机床"].reached(Stage.SIGNED)) == (2, 1)
    assert chains["No chain given"].conversion(Stage.VISIT) == D("100.0")


def test_the_years_signed_investment(cast, five):
    result = run(cast)
    assert (result.year_signed_count, result.year_signed_total) == (2, D(250))
    assert result.total.signed_in_year == D(250)
    assert funnel.year_signed(cast.enping.pk, YEAR - 1) == (0, D(0))


def test_filters_narrow_the_funnel_but_not_the_years_total(cast, five):
    result = run(cast, source=Lead.Source.REFERRAL)
    assert by_stage(result, "reached")["clue"] == 2
    assert by_stage(result, "reached")["visit"] == 1
    assert result.total.signed_in_year == D(0)
    assert result.year_signed_total == D(250)
    assert run(cast, chain_id=five["x"].chain_id).total.leads == 2
    assert run(cast, owner_unit_id=cast.encheng.pk).total.leads == 0


def test_leads_of_another_government_stay_out(cast, five):
    LeadFactory(owner_unit=cast.taishan.units.get())
    assert run(cast).total.leads == 5
    other = funnel.funnel(
        government_id=cast.taishan.pk, filters=FunnelFilters(), year=YEAR, today=today()
    )
    assert (other.total.leads, other.total.reached(Stage.CLUE)) == (1, 1)  # no change recorded


def test_the_funnel_costs_the_same_queries_for_more_leads(cast, five):
    with CaptureQueriesContext(connection) as few:
        run(cast)
    for n in range(20):
        lead = new_lead(cast, company=f"more{n}", stage_since=day(n))
        services.lead_move(actor=cast.investment, lead=lead, to_stage=Stage.VISIT, on=day(n + 1))
    with CaptureQueriesContext(connection) as many:
        run(cast)
    assert len(many) == len(few) == 4


def test_median_of_a_histogram():
    assert median_of({}) is None
    assert median_of({5: 1}) == D(5)
    assert median_of({1: 1, 3: 1}) == D(2)
    assert median_of({1: 2, 10: 1}) == D(1)
    assert median_of({1: 1, 2: 1, 7: 2}) == D("4.5")


# --- the indicator ------------------------------------------------------------------------------


def indicator(cast, **fields) -> Indicator:
    values = {"owner_unit": cast.investment_bureau, "name": "新招产业项目投资总额", "unit": "亿元"}
    values.update(fields)
    found = IndicatorFactory(**values)
    PipelineSettingsFactory(government=cast.enping, signed_investment_indicator=found)
    return found


def test_period_values_cumulate_or_not_as_the_indicator_is_kept():
    by_month = {1: D(10), 3: D(5), 5: D(1)}
    monthly = Indicator(frequency="monthly", value_kind="cumulative")
    assert [v for _p, v in period_values(monthly, 2024, by_month, 4)] == [10, 10, 15, 15]
    quarterly = Indicator(frequency="quarterly", value_kind="point")
    values = period_values(quarterly, 2024, by_month, 12)
    assert [(str(p), v) for p, v in values] == [
        ("2024Q1", 15),
        ("2024Q2", 1),
        ("2024Q3", 0),
        ("2024Q4", 0),
    ]
    annual = Indicator(frequency="annual", value_kind="point")
    assert period_values(annual, 2024, by_month, 5) == [(Period.of("annual", 2024), D(16))]


def test_the_years_total_is_written_to_the_indicator_in_its_unit(cast, five):
    target = indicator(cast)
    result = funnel.feed_indicator(actor=cast.investment, government=cast.enping, year=YEAR)
    assert (result.written, result.problems) == ([str(YEAR)], [])
    observation = Observation.objects.get(indicator=target, region=cast.enping, period=str(YEAR))
    assert observation.value == D("0.025")  # 250 万元 in 亿元
    again = funnel.feed_indicator(actor=cast.investment, government=cast.enping, year=YEAR)
    assert (again.written, again.unchanged) == ([], [str(YEAR)])


def test_a_monthly_cumulative_indicator_gets_every_month(cast, five):
    target = indicator(cast, unit="万元", frequency="monthly", value_kind="cumulative")
    funnel.feed_indicator(actor=cast.investment, government=cast.enping, year=YEAR)
    values = dict(Observation.objects.filter(indicator=target).values_list("period", "value"))
    assert len(values) == 12
    assert values[f"{YEAR}-01"] == D(150)  # D signed on day 30
    assert values[f"{YEAR}-{day(60).month:02d}"] == D(250)  # A signed on day 60
    assert values[f"{YEAR}-12"] == D(250)


def test_nothing_is_written_without_a_configured_indicator(cast, five):
    result = funnel.feed_indicator(actor=cast.investment, government=cast.enping, year=YEAR)
    assert result.indicator is None
    assert not Observation.objects.exists()


@pytest.mark.usefixtures(english.__name__)  # matched on the English text
def test_an_indicator_that_is_not_an_amount_is_refused(cast, five):
    indicator(cast, unit="个")
    with pytest.raises(funnel.FeedRefused, match="measured in"):
        funnel.feed_indicator(actor=cast.investment, government=cast.enping, year=YEAR)


def test_unit_staff_cannot_write_the_indicator(cast, five):
    indicator(cast)
    with pytest.raises(PermissionDenied):
        funnel.feed_indicator(actor=cast.encheng_staff, government=cast.enping, year=YEAR)


@pytest.mark.usefixtures(english.__name__)  # matched on the English text
def test_an_approved_figure_is_reported_and_the_other_periods_written(cast, five):
    target = indicator(cast, unit="万元", frequency="quarterly", value_kind="cumulative")
    ObservationFactory(
        indicator=target, period=f"{YEAR}Q1", value=D(1), status=Observation.Status.APPROVED
    )
    result = funnel.feed_indicator(actor=cast.investment, government=cast.enping, year=YEAR)
    assert result.written == [f"{YEAR}Q2", f"{YEAR}Q3", f"{YEAR}Q4"]
    assert len(result.problems) == 1
    assert result.problems[0].startswith(f"{YEAR}Q1: ")
    assert Observation.objects.get(indicator=target, period=f"{YEAR}Q1").value == D(1)


def test_signing_brings_the_indicator_up_to_date(cast):
    target = indicator(cast)
    lead = new_lead(cast, stage=Stage.NEGOTIATION, stage_since=today())
    services.lead_sign(
        actor=cast.investment,
        lead=lead,
        on=today(),
        signed_investment=D("12345"),
        project_code="ZS-1",
        lead_unit=cast.encheng,
        kind="industrial",
    )
    observation = Observation.objects.get(indicator=target, period=str(today().year))
    assert observation.value == D("1.2345")


def test_a_refused_feed_does_not_undo_the_signing(cast):
    indicator(cast, unit="个")
    lead = new_lead(cast, stage=Stage.NEGOTIATION, stage_since=today())
    services.lead_sign(
        actor=cast.investment,
        lead=lead,
        on=today(),
        signed_investment=D("1"),
        project_code="ZS-1",
        lead_unit=cast.encheng,
        kind="industrial",
    )
    assert Lead.objects.get(pk=lead.pk).stage == Stage.SIGNED
    assert not Observation.objects.exists()


def test_the_chart_shows_the_leads_reached_and_the_share_of_the_stage_before(cast, five):
    figure = funnel_figure(run(cast))
    bars = figure["data"][0]
    assert bars["type"] == "funnel"
    assert bars["x"] == [5, 4, 3, 2, 2, 1, 0]
    assert bars["text"][:3] == ["5", "4<br>80.0%", "3<br>75.0%"]
    assert bars["marker"]["color"][3:5] == [FUNNEL_COLOUR, SIGNED_COLOUR]
