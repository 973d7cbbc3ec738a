"""The entry home, the entry grid (all or nothing), and the explanation page."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse

from jinwei.audit.models import AuditEntry
from jinwei.indicators import services
from jinwei.indicators.models import Indicator, Observation
from tests.factories import OrgUnitFactory
from tests.indicators.factories import IndicatorFactory, ObservationFactory, TargetFactory

pytestmark = pytest.mark.django_db


def client_for(cast, user):
    client = cast.client_for(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # messages are checked in English
    return client


@pytest.fixture
def grid(cast):
    """Two annual indicators and a monthly one that 恩城街道 owns; one 横陂镇 indicator."""
    output = IndicatorFactory(
        owner_unit=cast.encheng, code="output", name="恩城工业产值", order=1, swing_warning=30
    )
    firms = IndicatorFactory(
        owner_unit=cast.encheng,
        code="firms",
        name="恩城规上企业数",
        unit="个",
        order=2,
        decimals=0,
    )
    sales = IndicatorFactory(
        owner_unit=cast.encheng,
        code="sales",
        name="恩城零售额",
        frequency=Indicator.Frequency.MONTHLY,
        value_kind=Indicator.ValueKind.CUMULATIVE,
    )
    hengpi = IndicatorFactory(owner_unit=cast.hengpi, code="hp", name="横陂工业产值")
    return {"output": output, "firms": firms, "sales": sales, "hengpi": hengpi}


def url(unit, period="2024"):
    return reverse("indicators:entry_grid", args=[unit.pk, period])


def post_data(values, *, submit=False):
    """The grid's POST: {indicator: {field: text}}; fields left out are empty."""
    data = {"submit" if submit else "save": "1"}
    for indicator, fields in values.items():
        for name, text in fields.items():
            data[f"row-{indicator.pk}-{name}"] = text
    return data


def observations():
    return Observation.objects.order_by("indicator__order", "period")


# ---------------------------------------------------------------------------- the grid page


def test_the_grid_shows_the_units_indicators_of_the_periods_frequency(cast, grid):
    client = client_for(cast, cast.encheng_staff)
    annual = client.get(url(cast.encheng, "2024")).content.decode()
    assert "恩城工业产值" in annual and "恩城规上企业数" in annual
    assert "恩城零售额" not in annual and "横陂工业产值" not in annual
    monthly = client.get(url(cast.encheng, "2024-06")).content.decode()
    assert "恩城零售额" in monthly and "恩城工业产值" not in monthly


def test_the_grid_shows_last_years_value_and_target_progress(cast, grid):
    ObservationFactory(
        indicator=grid["output"], unit=cast.encheng, period="2023", value=Decimal("88.5")
    )
    ObservationFactory(
        indicator=grid["output"], unit=cast.encheng, period="2024", value=Decimal("150")
    )
    TargetFactory(indicator=grid["output"], unit=cast.encheng, year=2024, value=Decimal(200))
    html = client_for(cast, cast.encheng_staff).get(url(cast.encheng)).content.decode()
    assert "88.50" in html  # same period last year, with the indicator's decimals
    assert 'value="150"' in html  # the value as a person would type it
    assert "Target: 200.00 亿元" in html
    assert "75.0% done" in html and "status-yellow" in html  # 25 points behind
    assert "50.00 亿元 behind" in html


def test_a_period_written_another_way_redirects_to_its_canonical_form(cast, grid):
    response = client_for(cast, cast.encheng_staff).get(url(cast.encheng, "2024-6"))
    assert response.status_code == 302
    assert response["Location"] == url(cast.encheng, "2024-06")


def test_a_period_that_is_not_one_is_not_found(cast, grid):
    assert client_for(cast, cast.encheng_staff).get(url(cast.encheng, "soon")).status_code == 404


def test_a_department_enters_the_countys_figure(cast):
    gdp = IndicatorFactory(owner_unit=cast.stats_bureau, code="gdp", name="地区生产总值")
    client = client_for(cast, cast.statistician)
    response = client.post(url(cast.stats_bureau), post_data({gdp: {"value": "205.72"}}))
    assert response.status_code == 302
    obs = Observation.objects.get()
    assert (obs.region, obs.unit, obs.value) == (cast.enping, None, Decimal("205.72"))


def test_a_town_with_a_region_enters_under_its_region(cast, grid):
    from tests.factories import RegionFactory

    region = RegionFactory(code="440785100", name="恩城街道", level="town", parent=cast.enping)
    cast.encheng.region = region
    cast.encheng.save()
    client = client_for(cast, cast.encheng_staff)
    client.post(url(cast.encheng), post_data({grid["output"]: {"value": "12"}}))
    assert Observation.objects.get().region == region


# ---------------------------------------------------------------------------- saving


def test_it_saves_every_row_in_one_post(cast, grid):
    client = client_for(cast, cast.encheng_staff)
    data = post_data(
        {
            grid["output"]: {"value": "１２３.４", "growth_rate": "6.5", "source": "镇统计站"},
            grid["firms"]: {"value": "1,024"},
        }
    )
    response = client.post(url(cast.encheng), data, follow=True)
    assert response.redirect_chain[-1][0] == url(cast.encheng)
    output, firms = observations()
    assert (output.value, output.growth_rate, output.source) == (
        Decimal("123.4"),
        Decimal("6.5"),
        "镇统计站",
    )
    assert (firms.value, firms.unit, firms.status) == (Decimal(1024), cast.encheng, "draft")
    assert "Saved 2 values." in response.content.decode()


def test_empty_rows_are_left_alone(cast, grid):
    client = client_for(cast, cast.encheng_staff)
    client.post(url(cast.encheng), post_data({grid["output"]: {"value": "5"}}))
    assert observations().count() == 1


def test_it_saves_nothing_when_one_row_fails_and_marks_that_row(cast, grid):
    client = client_for(cast, cast.encheng_staff)
    data = post_data({grid["output"]: {"value": "123"}, grid["firms"]: {"value": "many"}})
    response = client.post(url(cast.encheng), data)
    assert response.status_code == 200
    assert not Observation.objects.exists()
    assert not AuditEntry.objects.filter(content_type__model="observation").exists()
    html = response.content.decode()
    assert "Nothing was saved" in html
    firms_row = html[html.index(f'id="row-{grid["firms"].pk}"') :]
    firms_row = firms_row[: firms_row.index("</tr>")]
    assert "“many” is not a number." in firms_row
    assert 'value="many"' in firms_row  # what was typed is kept
    output_row = html[html.index(f'id="row-{grid["output"].pk}"') :]
    assert "is not a number" not in output_row[: output_row.index("</tr>")]


def test_a_failure_after_a_saved_row_rolls_the_saved_row_back(cast, grid):
    """The first row is written before the second is refused: the transaction undoes it."""
    ObservationFactory(indicator=grid["output"], unit=cast.encheng, period="2024", value=Decimal(1))
    client = client_for(cast, cast.encheng_staff)
    data = post_data(
        {grid["output"]: {"value": "2", "version": "1"}, grid["firms"]: {"value": "1,23"}}
    )
    assert client.post(url(cast.encheng), data).status_code == 200
    assert Observation.objects.get().value == Decimal(1)
    assert Observation.objects.get().version == 1


def test_save_and_submit(cast, grid):
    client = client_for(cast, cast.encheng_staff)
    draft = ObservationFactory(indicator=grid["firms"], unit=cast.encheng, period="2024")
    data = post_data(
        {grid["output"]: {"value": "7"}, grid["firms"]: {"value": "100", "version": "1"}},
        submit=True,
    )
    response = client.post(url(cast.encheng), data, follow=True)
    assert "Saved and submitted 2 values." in response.content.decode()
    assert set(observations().values_list("status", flat=True)) == {"submitted"}
    draft.refresh_from_db()
    assert draft.submitted_at is not None


def test_an_unchanged_row_is_not_saved_again(cast, grid):
    ObservationFactory(
        indicator=grid["output"],
        unit=cast.encheng,
        period="2024",
        value=Decimal("12.5"),
        source="站",
    )
    client = client_for(cast, cast.encheng_staff)
    data = post_data({grid["output"]: {"value": "12.50", "source": "站", "version": "1"}})
    response = client.post(url(cast.encheng), data, follow=True)
    assert "Nothing to save" in response.content.decode()
    assert Observation.objects.get().version == 1


def test_a_stale_row_is_refused_with_what_changed(cast, grid):
    obs = ObservationFactory(
        indicator=grid["output"], unit=cast.encheng, period="2024", value=Decimal(10)
    )
    services.observation_save(
        actor=cast.statistician,
        indicator=grid["output"],
        period_text="2024",
        value_text="11",
        unit=cast.encheng,
        expected_version=1,
    )
    client = client_for(cast, cast.encheng_staff)
    data = post_data(
        {grid["output"]: {"value": "12", "version": "1"}, grid["firms"]: {"value": "3"}}
    )
    response = client.post(url(cast.encheng), data)
    html = response.content.decode()
    assert "changed by someone else" in html and "your version 1, now 2" in html
    assert Observation.objects.get(pk=obs.pk).value == Decimal(11)
    assert not Observation.objects.filter(indicator=grid["firms"]).exists()


def test_a_value_entered_meanwhile_by_someone_else_is_not_overwritten(cast, grid):
    client = client_for(cast, cast.encheng_staff)
    ObservationFactory(
        indicator=grid["output"], unit=cast.encheng, period="2024", value=Decimal(10)
    )
    response = client.post(url(cast.encheng), post_data({grid["output"]: {"value": "12"}}))
    assert "changed by someone else" in response.content.decode()
    assert Observation.objects.get().value == Decimal(10)


def test_a_red_value_needs_an_explanation_beside_its_field(cast, grid):
    TargetFactory(indicator=grid["output"], unit=cast.encheng, year=2024, value=Decimal(200))
    client = client_for(cast, cast.encheng_staff)
    response = client.post(url(cast.encheng), post_data({grid["output"]: {"value": "100"}}))
    html = response.content.decode()
    assert not Observation.objects.exists()
    cell = html[html.index(f'name="row-{grid["output"].pk}-explanation"') :]
    cell = cell[: cell.index("</td>")]
    assert "50.0 points behind time progress (red): give an explanation." in cell
    data = post_data({grid["output"]: {"value": "100", "explanation": "主要企业停产检修"}})
    client.post(url(cast.encheng), data)
    assert Observation.objects.get().explanation == "主要企业停产检修"


def test_an_abnormal_swing_is_shown_after_saving(cast, grid):
    ObservationFactory(
        indicator=grid["output"], unit=cast.encheng, period="2023", value=Decimal(100)
    )
    client = client_for(cast, cast.encheng_staff)
    response = client.post(
        url(cast.encheng), post_data({grid["output"]: {"value": "180"}}), follow=True
    )
    html = response.content.decode()
    assert "Saved 1 value." in html
    assert "changes +80.0% on a year ago, more than the 30% expected." in html
    assert Observation.objects.get(period="2024").value == Decimal(180)


def test_an_approved_value_is_read_only_with_a_lock_label(cast, grid):
    obs = ObservationFactory(
        indicator=grid["output"],
        unit=cast.encheng,
        period="2024",
        value=Decimal(10),
        status=Observation.Status.APPROVED,
    )
    client = client_for(cast, cast.encheng_staff)
    html = client.get(url(cast.encheng)).content.decode()
    row = html[html.index(f'id="row-{grid["output"].pk}"') :]
    row = row[: row.index("</tr>")]
    assert "Locked" in row
    assert f'name="row-{grid["output"].pk}-value"' not in row
    assert "Reopen" not in row  # staff do not reopen
    statistician_html = client_for(cast, cast.statistician).get(url(cast.encheng)).content.decode()
    assert reverse("indicators:observation_reopen", args=[obs.pk]) in statistician_html
    # the read-only row posts back as it was shown: the grid saves the other rows
    data = post_data(
        {grid["output"]: {"locked": "True", "version": "1"}, grid["firms"]: {"value": "4"}}
    )
    assert client.post(url(cast.encheng), data).status_code == 302
    assert Observation.objects.get(pk=obs.pk).value == Decimal(10)
    assert Observation.objects.filter(indicator=grid["firms"]).exists()


def test_a_value_approved_while_the_grid_was_open_is_refused(cast, grid):
    obs = ObservationFactory(
        indicator=grid["output"], unit=cast.encheng, period="2024", value=Decimal(10)
    )
    services.observations_approve(actor=cast.statistician, observations=[obs])
    client = client_for(cast, cast.encheng_staff)
    response = client.post(
        url(cast.encheng), post_data({grid["output"]: {"value": "11", "version": "1"}})
    )
    assert "is approved and locked; reopen it first." in response.content.decode()
    assert Observation.objects.get().value == Decimal(10)


# ---------------------------------------------------------------------------- rights


def test_staff_of_another_unit_cannot_open_or_post_the_grid(cast, grid):
    client = client_for(cast, cast.hengpi_staff)
    assert client.get(url(cast.encheng)).status_code == 403
    response = client.post(
        url(cast.encheng), post_data({grid["output"]: {"value": "1"}}, submit=True)
    )
    assert response.status_code == 403
    assert not Observation.objects.exists()
    assert not AuditEntry.objects.filter(content_type__model="observation").exists()


def test_a_unit_grid_posts_only_its_own_indicators(cast, grid):
    """A row for another unit's indicator smuggled into the POST is ignored."""
    client = client_for(cast, cast.hengpi_staff)
    data = post_data({grid["hengpi"]: {"value": "1"}, grid["output"]: {"value": "2"}})
    client.post(url(cast.hengpi), data)
    assert list(Observation.objects.values_list("indicator__code", flat=True)) == ["hp"]


@pytest.mark.parametrize("who", ["leader", "viewer"])
def test_leaders_and_viewers_cannot_enter(cast, grid, who):
    client = client_for(cast, getattr(cast, who))
    assert client.get(url(cast.encheng)).status_code == 403
    assert (
        client.post(url(cast.encheng), post_data({grid["output"]: {"value": "1"}})).status_code
        == 403
    )
    assert not Observation.objects.exists()


def test_another_government_cannot_see_the_grid(cast, grid):
    assert client_for(cast, cast.outsider).get(url(cast.encheng)).status_code == 404


@pytest.mark.parametrize("who", ["statistician", "supervisor", "admin"])
def test_the_statistics_office_and_managers_enter_for_any_unit(cast, grid, who):
    client = client_for(cast, getattr(cast, who))
    assert (
        client.post(url(cast.encheng), post_data({grid["output"]: {"value": "1"}})).status_code
        == 302
    )
    assert Observation.objects.count() == 1


# ---------------------------------------------------------------------------- query counts


def test_the_grid_query_count_does_not_grow_with_the_data(
    cast, grid, django_assert_max_num_queries
):
    client = client_for(cast, cast.encheng_staff)

    def grow(offset):
        for i in range(5):
            ind = IndicatorFactory(owner_unit=cast.encheng, code=f"g{offset}{i}", swing_warning=10)
            for year in (2023, 2024):
                ObservationFactory(indicator=ind, unit=cast.encheng, period=str(year))
            TargetFactory(indicator=ind, unit=cast.encheng, year=2024)

    grow(0)
    client.get(url(cast.encheng))  # warm caches (content types, session)
    with django_assert_max_num_queries(14) as small:
        client.get(url(cast.encheng))
    grow(1)
    grow(2)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url(cast.encheng))
    assert response.content.decode().count('class="entry-cell') >= 15 * 4


# ---------------------------------------------------------------------------- entry home


def test_the_home_lists_only_the_users_units(cast, grid):
    html = (
        client_for(cast, cast.encheng_staff).get(reverse("indicators:entry_home")).content.decode()
    )
    assert "恩城街道" in html and "横陂镇" not in html
    assert url(cast.encheng, "2025") in html  # the latest annual period (today is in 2026)


def test_statisticians_see_every_unit_that_owns_indicators(cast, grid):
    html = (
        client_for(cast, cast.statistician).get(reverse("indicators:entry_home")).content.decode()
    )
    assert "恩城街道" in html and "横陂镇" in html
    assert "投资促进局" not in html  # owns no indicator


def test_choosing_a_unit_and_period_opens_the_grid(cast, grid):
    client = client_for(cast, cast.encheng_staff)
    response = client.get(
        reverse("indicators:entry_home"), {"unit": cast.encheng.pk, "period": "2024年3月"}
    )
    assert response["Location"] == url(cast.encheng, "2024-03")


def test_choosing_another_units_grid_is_refused(cast, grid):
    client = client_for(cast, cast.encheng_staff)
    response = client.get(
        reverse("indicators:entry_home"), {"unit": cast.hengpi.pk, "period": "2024"}
    )
    assert response.status_code == 200
    assert "Choose one of your units." in response.content.decode()


def test_a_viewer_is_told_there_is_nothing_to_enter(cast, grid):
    html = client_for(cast, cast.viewer).get(reverse("indicators:entry_home")).content.decode()
    assert "You do not enter figures for any unit." in html


# ---------------------------------------------------------------------------- explanations due


@pytest.fixture
def due(cast, grid):
    TargetFactory(indicator=grid["output"], unit=cast.encheng, year=2024, value=Decimal(200))
    saved = services.observation_save(
        actor=cast.statistician,
        indicator=grid["output"],
        period_text="2024",
        value_text="50",
        unit=cast.encheng,
    )
    assert saved.observation.explanation_due
    return saved.observation


def test_the_owning_unit_sees_its_explanations_due(cast, due):
    explain = reverse("indicators:observation_explain", args=[due.pk])
    html = (
        client_for(cast, cast.encheng_staff).get(reverse("indicators:entry_home")).content.decode()
    )
    assert "Explanations due" in html and explain in html
    other = (
        client_for(cast, cast.hengpi_staff).get(reverse("indicators:entry_home")).content.decode()
    )
    assert explain not in other


def test_the_unit_writes_the_explanation(cast, due):
    client = client_for(cast, cast.encheng_staff)
    page = reverse("indicators:observation_explain", args=[due.pk])
    assert "75.0 points behind" in client.get(page).content.decode()
    response = client.post(page, {"explanation": "龙头企业搬迁", "version": due.version})
    assert response.status_code == 302
    due.refresh_from_db()
    assert (due.explanation, due.explanation_due) == ("龙头企业搬迁", False)


def test_an_empty_explanation_is_refused_on_the_page(cast, due):
    client = client_for(cast, cast.encheng_staff)
    page = reverse("indicators:observation_explain", args=[due.pk])
    response = client.post(page, {"explanation": "  ", "version": due.version})
    assert "Write the explanation." in response.content.decode()
    due.refresh_from_db()
    assert due.explanation_due


def test_a_stale_explanation_is_refused(cast, due):
    client = client_for(cast, cast.encheng_staff)
    page = reverse("indicators:observation_explain", args=[due.pk])
    response = client.post(page, {"explanation": "x", "version": due.version - 1 or 99})
    assert "changed by someone else" in response.content.decode()
    due.refresh_from_db()
    assert due.explanation_due


def test_another_unit_cannot_explain(cast, due):
    client = client_for(cast, cast.hengpi_staff)
    page = reverse("indicators:observation_explain", args=[due.pk])
    assert client.get(page).status_code == 403
    assert client.post(page, {"explanation": "x", "version": due.version}).status_code == 403
    due.refresh_from_db()
    assert due.explanation_due


def test_the_explain_page_only_follows_local_next_urls(cast, due):
    client = client_for(cast, cast.encheng_staff)
    page = reverse("indicators:observation_explain", args=[due.pk])
    data = {"explanation": "x", "version": due.version, "next": "https://evil.example/"}
    assert client.post(page, data)["Location"] == reverse("indicators:entry_home")


# ---------------------------------------------------------------------------- home page block


def test_the_home_page_shows_explanations_due(cast, due):
    html = client_for(cast, cast.encheng_staff).get(reverse("core:home")).content.decode()
    assert "Your unit owes 1 explanation" in html
    assert reverse("indicators:observation_explain", args=[due.pk]) in html
    assert (
        "For you"
        not in client_for(cast, cast.hengpi_staff).get(reverse("core:home")).content.decode()
    )


def test_the_home_page_shows_values_awaiting_approval(cast, grid):
    for period in ("2023", "2024"):
        ObservationFactory(
            indicator=grid["output"],
            unit=cast.encheng,
            period=period,
            status=Observation.Status.SUBMITTED,
        )
    html = client_for(cast, cast.statistician).get(reverse("core:home")).content.decode()
    assert "2 values are waiting for your approval." in html
    staff = client_for(cast, cast.encheng_staff).get(reverse("core:home")).content.decode()
    assert "waiting for your approval" not in staff


def test_the_home_page_block_is_bounded(cast, grid, django_assert_max_num_queries):
    client = client_for(cast, cast.statistician)
    client.get(reverse("core:home"))
    for i in range(30):
        ObservationFactory(
            indicator=grid["output"],
            unit=cast.encheng,
            period=str(1990 + i),
            status=Observation.Status.SUBMITTED,
            explanation_due=True,
        )
    membership_unit = OrgUnitFactory(government=cast.enping, name="另一个单位")
    assert membership_unit.pk
    with django_assert_max_num_queries(20):
        response = client.get(reverse("core:home"))
    assert "30 values are waiting for your approval." in response.content.decode()
