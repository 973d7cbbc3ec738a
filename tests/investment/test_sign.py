"""Signing: one step turns the lead into its key project, carrying every field over, keeping the
lead's history, all or nothing; the signing page."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from jinwei.investment import services
from jinwei.investment.models import Lead, LeadStageChange
from jinwei.investment.services import LeadRefused
from jinwei.projects.models import Project, ProjectStageChange
from tests.investment.pipeline_helpers import Stage, days_ago, move, new_lead, sign
from tests.projects.factories import ChainLinkFactory, ParkFactory, ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_english() -> Iterator[None]:
    """The refusals are matched on their English text (the site's default language is Chinese)."""
    with translation.override("en"):
        yield


def a_full_lead(cast) -> Lead:
    """A lead with every field filled, its stages walked and two contacts logged."""
    link = ChainLinkFactory(chain__government=cast.enping, name="数控系统")
    lead = new_lead(
        cast,
        company="正旭新能源科技有限公司",
        project_name="正旭新能源储能电池项目",
        chain_link=link,
        source=Lead.Source.SELF,
        source_detail="了解营商环境后主动联系",
        next_action="签约仪式",
        next_action_on=days_ago(-7),
        notes="投资方自行来恩考察。",
        is_illustrative=True,
    )
    for kind, ago, summary in [("call", 95, "首次电话"), ("visit", 60, "实地考察园区")]:
        services.contact_add(
            actor=cast.investment, lead=lead, on=days_ago(ago), kind=kind, summary=summary
        )
    lead = move(cast, lead, Stage.CONTACT, 90)
    lead = move(cast, lead, Stage.VISIT, 60)
    return move(cast, lead, Stage.NEGOTIATION, 30)


def test_signing_creates_the_project_with_every_field_carried_over(cast):
    lead = a_full_lead(cast)
    park = ParkFactory(government=cast.enping)
    project = sign(
        cast,
        lead,
        ago=10,
        code="ZS-2024-001",
        signed_investment=Decimal("52000.50"),
        park=park,
        planned_start=days_ago(-30),
        planned_completion=days_ago(-400),
        leader=cast.leader,
    )
    project = Project.objects.get(pk=project.pk)
    expected = {
        "government_id": cast.enping.pk,
        "code": "ZS-2024-001",
        "name": "正旭新能源储能电池项目",
        "kind": Project.Kind.INDUSTRIAL,
        "description": "投资方自行来恩考察。",
        "park_id": park.pk,
        "chain_link_id": lead.chain_link_id,
        "investor": "正旭新能源科技有限公司",
        "investor_contact": "张先生",
        "investor_phone": "13800001111",
        "investor_email": "zhang@example.com",
        "total_investment": Decimal("52000.50"),
        "lead_unit_id": cast.encheng.pk,
        "leader_id": cast.leader.pk,
        "stage": Project.Stage.SIGNED,
        "signed_on": days_ago(10),
        "planned_start": days_ago(-30),
        "planned_completion": days_ago(-400),
        "is_illustrative": True,
    }
    assert {name: getattr(project, name) for name in expected} == expected
    assert ProjectStageChange.objects.get(project=project).to_stage == Project.Stage.SIGNED


def test_the_signed_lead_links_to_its_project_and_keeps_its_own_fields(cast):
    lead = a_full_lead(cast)
    before = {f.attname: getattr(lead, f.attname) for f in Lead._meta.concrete_fields}
    project = sign(cast, lead, ago=10, signed_investment=Decimal("52000"))
    signed = Lead.objects.get(pk=lead.pk)
    assert project.lead == signed
    assert (signed.stage, signed.stage_since, signed.signed_on) == (
        Stage.SIGNED,
        days_ago(10),
        days_ago(10),
    )
    assert (signed.signed_investment, signed.project_id) == (Decimal("52000"), project.pk)
    changed = {"stage", "top_stage", "stage_since", "signed_on", "signed_investment", "project_id"}
    changed |= {"version", "updated_at"}
    after = {f.attname: getattr(signed, f.attname) for f in Lead._meta.concrete_fields}
    assert {k: v for k, v in after.items() if k not in changed} == {
        k: v for k, v in before.items() if k not in changed
    }


def test_the_leads_history_stays_and_the_project_reaches_it(cast):
    lead = a_full_lead(cast)
    project = sign(cast, lead, ago=10)
    project = Project.objects.get(pk=project.pk)
    history = [(c.from_stage, c.to_stage) for c in project.lead.stage_changes.order_by("on", "id")]
    assert history == [
        ("", Stage.CLUE),
        (Stage.CLUE, Stage.CONTACT),
        (Stage.CONTACT, Stage.VISIT),
        (Stage.VISIT, Stage.NEGOTIATION),
        (Stage.NEGOTIATION, Stage.SIGNED),
    ]
    assert sorted(c.summary for c in project.lead.contacts.all()) == ["实地考察园区", "首次电话"]
    signing = LeadStageChange.objects.filter(lead=lead).last()
    assert (signing.on, signing.actor) == (days_ago(10), cast.investment)


def test_the_project_is_named_after_the_company_when_the_lead_names_no_project(cast):
    lead = new_lead(cast, company="恩大组团", project_name="")
    assert sign(cast, lead).name == "恩大组团"


def test_signing_is_all_or_nothing(cast):
    ProjectFactory(lead_unit=cast.encheng, code="ZS-0001")
    lead = new_lead(cast, stage=Stage.NEGOTIATION)
    with pytest.raises(ValidationError):
        sign(cast, lead, code="ZS-0001")
    lead = Lead.objects.get(pk=lead.pk)
    assert (lead.stage, lead.project_id, lead.signed_on) == (Stage.NEGOTIATION, None, None)
    assert LeadStageChange.objects.filter(lead=lead).count() == 1
    assert Project.objects.count() == 1


def test_a_dropped_or_signed_lead_cannot_be_signed(cast):
    lead = new_lead(cast)
    sign(cast, lead)
    with pytest.raises(LeadRefused, match="already signed"):
        sign(cast, Lead.objects.get(pk=lead.pk), code="ZS-9")
    dropped = services.lead_drop(actor=cast.investment, lead=new_lead(cast), reason="放弃")
    with pytest.raises(LeadRefused, match="dropped"):
        sign(cast, dropped, code="ZS-10")
    assert Project.objects.count() == 1


def test_signing_checks_the_date_amount_and_government(cast):
    lead = new_lead(cast, stage_since=days_ago(20))
    with pytest.raises(LeadRefused, match="before the lead entered"):
        sign(cast, lead, ago=21)
    with pytest.raises(LeadRefused) as refused:
        sign(cast, lead, signed_investment=Decimal("-1"))
    assert refused.value.field == "signed_investment"
    with pytest.raises(LeadRefused) as refused:
        sign(cast, lead, lead_unit=cast.taishan.units.get())
    assert refused.value.field == "lead_unit"
    with pytest.raises(LeadRefused) as refused:
        sign(cast, lead, park=ParkFactory(government=cast.taishan))
    assert refused.value.field == "park"
    assert not Project.objects.exists()


@pytest.mark.parametrize("who", ["encheng_staff", "leader", "statistician"])
def test_only_managers_sign(cast, who):
    lead = new_lead(cast)
    with pytest.raises(PermissionDenied):
        services.lead_sign(
            actor=getattr(cast, who),
            lead=lead,
            on=days_ago(1),
            signed_investment=Decimal(1),
            project_code="X",
            lead_unit=cast.encheng,
            kind=Project.Kind.INDUSTRIAL,
        )
    assert not Project.objects.exists()


# --- the signing page ---------------------------------------------------------------------------


def sign_form(cast, lead: Lead, **changes) -> dict:
    data = {
        "version": lead.version,
        "on": days_ago(2).isoformat(),
        "signed_investment": "48000",
        "project_code": "ZS-2024-009",
        "kind": Project.Kind.INDUSTRIAL,
        "lead_unit": cast.hengpi.pk,
        "park": "",
        "leader": "",
        "planned_start": "",
        "planned_completion": "",
    }
    data.update(changes)
    return data


def test_the_signing_page_creates_the_project_and_opens_it(cast):
    lead = new_lead(cast, stage=Stage.NEGOTIATION)
    client = cast.client_for(cast.investment)
    url = reverse("investment:lead_sign", args=[lead.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "恩大组团" in page.content.decode()
    response = client.post(url, sign_form(cast, lead))
    project = Project.objects.get(code="ZS-2024-009")
    assert response.status_code == 302
    assert response.url == reverse("projects:detail", args=[project.pk])
    assert (project.lead_unit, project.total_investment) == (cast.hengpi, Decimal("48000"))
    assert Lead.objects.get(pk=lead.pk).project == project
    lead_page = client.get(reverse("investment:lead", args=[lead.pk])).content.decode()
    assert reverse("projects:detail", args=[project.pk]) in lead_page
    assert "ZS-2024-009" in lead_page


def test_the_signing_page_puts_errors_at_their_fields(cast):
    ProjectFactory(lead_unit=cast.encheng, code="ZS-1")
    lead = new_lead(cast, stage=Stage.NEGOTIATION)
    client = cast.client_for(cast.investment)
    client.cookies["django_language"] = "en"
    url = reverse("investment:lead_sign", args=[lead.pk])
    data = sign_form(
        cast,
        lead,
        project_code="ZS-1",
        planned_start=datetime.date(2025, 5, 1).isoformat(),
        planned_completion=datetime.date(2025, 4, 1).isoformat(),
    )
    response = client.post(url, data)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "already used by another project" in errors["project_code"][0]
    assert "before the planned start" in errors["planned_completion"][0]
    assert Lead.objects.get(pk=lead.pk).stage == Stage.NEGOTIATION


def test_unit_staff_cannot_open_the_signing_page(cast):
    lead = new_lead(cast, stage=Stage.NEGOTIATION)
    url = reverse("investment:lead_sign", args=[lead.pk])
    assert cast.client_for(cast.encheng_staff).get(url).status_code == 403
    assert cast.client_for(cast.encheng_staff).post(url, sign_form(cast, lead)).status_code == 403
    assert cast.client_for(cast.outsider).get(url).status_code == 404
    assert not Project.objects.exists()
