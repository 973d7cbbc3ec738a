"""The investment-promotion demo: leads in every stage (恩大组团 and 正旭新能源 came by themselves),
signings that became projects with their history, two benefit-sharing agreements whose shares
add up, the signed-investment indicator fed, everything illustrative marked, and a rerun that
changes nothing."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pytest
from django.utils import timezone

from jinwei.accounts.demo import demo_government, load_foundation
from jinwei.accounts.models import Region
from jinwei.audit.models import AuditEntry
from jinwei.indicators.demo import load_indicators
from jinwei.indicators.models import Indicator, Observation
from jinwei.investment.benefits import benefit_report
from jinwei.investment.demo import load_investment
from jinwei.investment.models import (
    BenefitAgreement,
    BenefitFigure,
    BenefitShare,
    BenefitTerm,
    Lead,
    LeadContact,
    LeadStageChange,
    PipelineSettings,
)
from jinwei.projects.demo import load_projects
from jinwei.projects.models import Project

pytestmark = pytest.mark.django_db
Stage = Lead.Stage
Source = Lead.Source


def test_the_demo(settings, tmp_path):
    """One load, then every check on it."""
    settings.MEDIA_ROOT = tmp_path / "media"
    load_foundation()
    load_indicators()
    load_projects()
    assert load_investment() > 50
    check_every_stage_and_source()
    check_the_leads_that_came_by_themselves()
    check_signed_leads_became_projects_with_their_history()
    check_the_pipeline_reads_like_work_in_progress()
    check_the_benefit_sharing_agreements()
    check_the_indicator_fed_by_signed_leads()
    check_everything_illustrative_is_marked()
    check_a_second_run_changes_nothing()
    check_a_rerun_recreates_a_deleted_lead()


def snapshot() -> dict[str, int]:
    models = (
        Lead,
        LeadStageChange,
        LeadContact,
        Project,
        BenefitAgreement,
        BenefitTerm,
        BenefitShare,
        BenefitFigure,
        Observation,
        Region,
        AuditEntry,
    )
    return {model.__name__: model.objects.count() for model in models}


def check_every_stage_and_source() -> None:
    leads = Lead.objects.filter(government__code="440785")
    assert set(leads.values_list("stage", flat=True)) == set(Stage.values)
    sources = Counter(leads.values_list("source", flat=True))
    assert sources[Source.SPRING_FESTIVAL] >= 2
    assert sources[Source.COMPATRIOTS] >= 2
    assert sources[Source.SELF] >= 2
    assert {Source.REFERRAL, Source.REMOTE, Source.FAIR} <= set(sources)
    spring = leads.filter(source=Source.SPRING_FESTIVAL)
    assert all("春节" in lead.source_detail for lead in spring)
    dropped = leads.get(dropped_on__isnull=False)
    assert dropped.drop_reason and dropped.stage == Stage.NEGOTIATION and dropped.project is None
    # the 数控机床 chain's empty links are being targeted
    assert leads.filter(chain_link__chain__name="数控机床", chain_link__name="数控系统").exists()


def check_the_leads_that_came_by_themselves() -> None:
    for company in ("恩大组团", "正旭新能源"):
        lead = Lead.objects.get(company=company)
        assert lead.source == Source.SELF
        assert "主动联系" in lead.source_detail and "江门日报" in lead.source_detail
        assert lead.stage == Stage.LANDED and lead.project is not None


def check_signed_leads_became_projects_with_their_history() -> None:
    signed = Lead.objects.filter(signed_on__isnull=False).select_related("project")
    assert signed.count() == 6
    for lead in signed:
        project = lead.project
        assert project is not None, lead.company
        assert project.investor == lead.company
        assert project.investor_contact == lead.contact_name
        assert project.total_investment == lead.signed_investment
        assert project.chain_link_id == lead.chain_link_id
        assert project.signed_on == lead.signed_on
        stages = list(lead.stage_changes.order_by("on", "id").values_list("to_stage", "on"))
        assert stages[0][0] == Stage.CLUE and stages[-1][0] == lead.stage
        assert [on for _stage, on in stages] == sorted(on for _stage, on in stages)
        assert (Stage.SIGNED, lead.signed_on) in stages
    landed = Project.objects.get(lead__company="示例·储能科技有限公司")
    assert landed.stage == Project.Stage.UNDER_CONSTRUCTION and landed.reports.count() == 8
    in_production = Project.objects.get(lead__company="正旭新能源")
    assert in_production.stage == Project.Stage.IN_PRODUCTION


def check_the_pipeline_reads_like_work_in_progress() -> None:
    today = timezone.localdate()
    open_leads = Lead.objects.filter(dropped_on__isnull=True, stage__in=[Stage.CLUE, Stage.VISIT])
    assert all(lead.next_action and lead.next_action_on for lead in open_leads)
    assert Lead.objects.filter(next_action_on__lt=today, dropped_on__isnull=True).exists()
    assert LeadContact.objects.count() >= 10
    assert not Lead.objects.filter(contact_phone="").exists()  # the contacts that rights hide
    assert all(lead.contact_email.endswith("@example.com") for lead in Lead.objects.all())


def check_the_benefit_sharing_agreements() -> None:
    enping = demo_government()
    water = BenefitAgreement.objects.get(project__park__name="江门水都产业园")
    assert (water.introducing_region.code, water.host_region.code) == ("440785", "440704")
    regions = set(
        BenefitShare.objects.filter(term__agreement=water).values_list("region__code", flat=True)
    )
    assert regions == {"440785", "440703", "440704"}  # 恩平, 蓬江, 江海
    zhongshan = BenefitAgreement.objects.get(project__park__name="中山(恩平)智能家电产业园")
    assert zhongshan.introducing_region.name == "中山市" and zhongshan.host_region == enping
    for term in BenefitTerm.objects.all():
        for measure in ("output_percent", "tax_percent", "investment_percent"):
            total = sum(term.shares.values_list(measure, flat=True))
            assert total == Decimal(100), (term, measure)
    terms = list(water.terms.order_by("start_year"))
    assert terms[0].end_year is not None and terms[0].end_year < terms[1].start_year
    # this year: 60 % of 7,500 (水都) and 80 % of 12,000 (中山) of investment to Enping
    year = timezone.localdate().year
    report = benefit_report(government=enping)
    assert report.totals.region_year(enping.pk, year).investment == Decimal("14100")
    assert report.has_illustrative and not report.unshared


def check_the_indicator_fed_by_signed_leads() -> None:
    enping = demo_government()
    indicator = Indicator.objects.get(government=enping, name="新招产业项目投资总额")
    settings_row = PipelineSettings.objects.get(government=enping)
    assert settings_row.signed_investment_indicator == indicator
    year = timezone.localdate().year
    signed = sum(
        Lead.objects.filter(signed_on__year=year).values_list("signed_investment", flat=True),
        Decimal(0),
    )
    assert signed > 0
    stored = Observation.objects.get(indicator=indicator, region=enping, period=str(year))
    assert stored.value == signed / 10000  # 万元 to 亿元
    # the past years' figures of the indicators demo are left alone
    assert Observation.objects.get(indicator=indicator, region=enping, period="2023").value >= 200


def check_everything_illustrative_is_marked() -> None:
    assert not Lead.objects.filter(is_illustrative=False).exists()
    assert not BenefitAgreement.objects.filter(is_illustrative=False).exists()
    assert not Project.objects.filter(is_illustrative=False).exists()
    invented = Lead.objects.exclude(company__in=["恩大组团", "正旭新能源"])
    assert all(lead.company.startswith("示例·") for lead in invented)


def check_a_second_run_changes_nothing() -> None:
    before = snapshot()
    versions = dict(Lead.objects.values_list("company", "version"))
    assert load_investment() == 0
    assert snapshot() == before
    assert dict(Lead.objects.values_list("company", "version")) == versions


def check_a_rerun_recreates_a_deleted_lead() -> None:
    company = "示例·侨兴电子（香港）有限公司"
    Lead.objects.filter(company=company).delete()
    assert load_investment() == 1
    lead = Lead.objects.get(company=company)
    assert lead.stage == Stage.CLUE and lead.stage_changes.count() == 1
