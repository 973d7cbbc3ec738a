"""Investment promotion in the browser: investment staff take a lead through the pipeline to
signing, which opens its new key project; the lead unit's staff file the project's monthly
report; the pipeline board shows the lead under 签约, the indicator fed by signed leads holds the
year's signed investment, and the statistician writes the completed investment into its
indicator."""

from __future__ import annotations

import datetime
import os
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from jinwei.indicators.models import Category, Observation
from jinwei.investment.models import Lead, LeadStageChange, PipelineSettings
from jinwei.projects.models import InvestmentReport, Project, ProjectRules
from tests.indicators.factories import IndicatorFactory
from tests.investment.factories import LeadFactory

pytestmark = pytest.mark.browser

SHOTS = os.environ.get("JINWEI_SCREENSHOTS")  # a folder: save a picture of each step there


def shot(page, name):
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def switch_to(page, log_in, user):
    page.context.clear_cookies()
    log_in(user)


def submit(page, form):
    with page.expect_navigation():
        form.locator("button[type=submit]").click()


def move(page, lead, stage):
    form = page.locator("form.lead-move-form")
    form.locator("select[name=to_stage]").select_option(stage)
    submit(page, form)
    expect(page.locator(".message-success")).to_be_visible()
    lead.refresh_from_db()
    assert lead.stage == stage


def indicators(cast):
    """新招产业项目投资总额 fed by the signed leads (亿元), 重点项目完成投资 by the reports
    (万元)."""
    economy = Category.objects.get(code="economy")
    signed = IndicatorFactory(
        owner_unit=cast.investment_bureau,
        code="NEW_INVEST",
        name="新招产业项目投资总额",
        unit="亿元",
        category=economy,
    )
    completed = IndicatorFactory(
        owner_unit=cast.stats_bureau,
        code="KEY_PROJECTS",
        name="重点项目完成投资",
        unit="万元",
        category=economy,
    )
    PipelineSettings.objects.create(government=cast.enping, signed_investment_indicator=signed)
    ProjectRules.objects.create(government=cast.enping, completed_investment_indicator=completed)
    return signed, completed


def test_a_lead_is_signed_into_a_project_that_reports_and_feeds_the_indicators(
    page, browser_log, log_in, live_server, cast
):
    today = timezone.localdate()
    year, month = str(today.year), f"{today.year}-{today.month:02d}"
    signed_indicator, completed_indicator = indicators(cast)
    lead = LeadFactory(
        owner_unit=cast.investment_bureau,
        owner=cast.investment,
        company="正旭新能源科技有限公司",
        project_name="储能电池生产基地",
        intended_investment=Decimal("25000"),
        source=Lead.Source.SELF,
        stage_since=today - datetime.timedelta(days=20),
    )
    lead_page = reverse("investment:lead", args=[lead.pk])

    # investment staff take the lead from 线索 to 谈判, a stage at a time
    log_in(cast.investment)
    page.goto(lead_page)
    expect(page.locator("h1")).to_contain_text("正旭新能源科技有限公司")
    for stage in (Lead.Stage.CONTACT, Lead.Stage.VISIT, Lead.Stage.NEGOTIATION):
        move(page, lead, stage)
    shot(page, "1-negotiation")

    # signing: one form, and the project's page opens
    page.locator(f"a[href='{reverse('investment:lead_sign', args=[lead.pk])}']").first.click()
    form = page.locator("form.lead-sign-form")
    expect(form.locator("input[name=signed_investment]")).to_have_value("25000.00")
    form.locator("input[name=project_code]").fill("ZS-2024-08")
    form.locator("select[name=lead_unit]").select_option(str(cast.encheng.pk))
    form.locator("input[name=planned_start]").fill(
        (today + datetime.timedelta(days=30)).isoformat()
    )
    form.locator("input[name=planned_completion]").fill(
        (today + datetime.timedelta(days=400)).isoformat()
    )
    submit(page, form)
    project = Project.objects.get(code="ZS-2024-08")
    assert page.url.endswith(reverse("projects:detail", args=[project.pk]))
    expect(page.locator("h1")).to_contain_text("ZS-2024-08 储能电池生产基地")
    expect(page.locator("body")).to_contain_text("正旭新能源科技有限公司")  # the investor
    shot(page, "2-project")
    lead.refresh_from_db()
    assert lead.stage == Lead.Stage.SIGNED and lead.project == project
    assert (project.total_investment, project.lead_unit) == (Decimal("25000"), cast.encheng)
    stages = LeadStageChange.objects.filter(lead=lead).order_by("id")
    assert list(stages.values_list("to_stage", flat=True)) == [
        "contact",
        "visit",
        "negotiation",
        "signed",
    ]

    # the lead unit's staff file the month's report on the project's page
    switch_to(page, log_in, cast.encheng_staff)
    page.goto(reverse("projects:detail", args=[project.pk]))
    page.locator(f"a[href='{reverse('projects:report', args=[project.pk])}']").first.click()
    report = page.locator("form.project-report-form")
    report.locator("input[name=period]").fill(month)
    report.locator("input[name=amount]").fill("1200")
    report.locator("input[name=progress]").fill("5")
    report.locator("textarea[name=progress_text]").fill("完成场地平整，桩基施工队伍进场")
    report.locator("textarea[name=problems]").fill("需协调临时用电接入")
    submit(page, report)
    expect(page.locator(".message-success")).to_be_visible()
    reports = page.locator("table.project-reports")
    expect(reports).to_contain_text(month)
    expect(reports).to_contain_text("完成场地平整，桩基施工队伍进场")
    expect(reports).to_contain_text("需协调临时用电接入")
    shot(page, "3-reported")
    filed = InvestmentReport.objects.get(project=project, period=month)
    assert (filed.amount, filed.progress, filed.reported_by) == (
        Decimal("1200"),
        5,
        cast.encheng_staff,
    )
    # staff of another unit cannot report on it
    other_unit = cast.client_for(cast.hengpi_staff)
    assert other_unit.get(reverse("projects:report", args=[project.pk])).status_code == 403

    # the board shows the lead under 签约; the signed-investment indicator holds 2.5 亿元
    switch_to(page, log_in, cast.investment)
    page.goto(reverse("investment:pipeline"))
    signed_column = page.locator("section.pipeline-column.stage-signed")
    expect(signed_column.locator(".pipeline-company")).to_have_text(["正旭新能源科技有限公司"])
    expect(page.locator("section.pipeline-column.stage-clue .pipeline-company")).to_have_count(0)
    shot(page, "4-board")
    page.goto(reverse("investment:funnel"))
    expect(page.locator(".funnel-indicator .status-green")).to_be_visible()  # up to date
    page.goto(reverse("indicators:indicator_detail", args=[signed_indicator.pk]))
    values = page.locator("table").filter(has_text=year).first
    expect(values).to_contain_text("2.50")
    stored = Observation.objects.get(indicator=signed_indicator, period=year)
    assert stored.value == Decimal("2.5")

    # the statistician writes the completed investment into 重点项目完成投资
    switch_to(page, log_in, cast.statistician)
    page.goto(reverse("projects:investment") + f"?government={cast.enping.pk}&year={year}")
    feed = page.locator(f"form[action='{reverse('projects:investment_feed')}']")
    submit(page, feed)
    expect(page.locator(".message-success")).to_be_visible()
    page.goto(reverse("indicators:indicator_detail", args=[completed_indicator.pk]))
    expect(page.locator("table").filter(has_text=year).first).to_contain_text("1,200.00")
    shot(page, "5-indicator")
    completed = Observation.objects.get(indicator=completed_indicator, period=year)
    assert completed.value == Decimal("1200")

    assert browser_log.requests_off(live_server.url) == []
    assert browser_log.errors == []
