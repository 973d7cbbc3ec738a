"""The pipeline pages: the board, the list and its export, a lead's page (contact details only for
investment staff, supervisors and leaders), the steps on a lead, the funnel page; who is denied;
and a number of queries that does not grow with the leads."""

from __future__ import annotations

import datetime
from decimal import Decimal
from io import BytesIO

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.urls import reverse
from openpyxl import load_workbook

from jinwei.indicators.models import Observation
from jinwei.investment import selectors, services
from jinwei.investment.models import Lead, LeadContact, LeadStageChange
from tests.indicators.factories import IndicatorFactory
from tests.investment.factories import LeadFactory, PipelineSettingsFactory
from tests.investment.pipeline_helpers import Stage, days_ago, move, new_lead, sign, today
from tests.projects.factories import ChainLinkFactory

pytestmark = pytest.mark.django_db
PHONE = "13800001111"


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def get(cast, name, user=None, args=(), **params):
    client = english(cast.client_for(user or cast.investment))
    return client.get(reverse(f"investment:{name}", args=args), params)


def html(response) -> str:
    return response.content.decode()


def xlsx_rows(response) -> list[tuple]:
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return list(load_workbook(BytesIO(response.content)).worksheets[0].iter_rows(values_only=True))


def many_leads(cast, n: int, **fields) -> list[Lead]:
    """Leads as rows (no services): spread over the stages, each with one recorded change."""
    stages = list(Stage.values)
    leads = [
        LeadFactory(
            **{
                "owner_unit": cast.investment_bureau,
                "owner": cast.investment,
                "stage": stages[i % len(stages)],
                "stage_since": days_ago(i % 40),
                "next_action": f"回访{i}",
                "next_action_on": days_ago(i % 9 - 4),
                **fields,
            }
        )
        for i in range(n)
    ]
    LeadStageChange.objects.bulk_create(
        LeadStageChange(
            lead=lead, government_id=lead.government_id, to_stage=lead.stage, on=lead.stage_since
        )
        for lead in leads
    )
    return leads


# --- the board ----------------------------------------------------------------------------------


def test_the_board_shows_a_column_per_stage_with_counts_sums_and_cards(cast):
    lead = new_lead(cast, next_action="邀请来恩考察", next_action_on=days_ago(-3))
    new_lead(cast, company="正旭新能源", intended_investment=Decimal("5000"))
    signed = new_lead(cast, company="浩明电子", stage=Stage.NEGOTIATION)
    sign(cast, signed, signed_investment=Decimal("30000"))
    response = get(cast, "pipeline")
    assert response.status_code == 200
    columns = {c.stage: c for c, _more in response.context["columns"]}
    assert list(columns) == list(Stage.values)
    assert (columns["clue"].count, columns["clue"].intended) == (2, Decimal("25000"))
    assert (columns["signed"].count, columns["signed"].signed) == (1, Decimal("30000"))
    assert [c.company for c in columns["clue"].cards] == ["恩大组团", "正旭新能源"]
    page = html(response)
    for text in ["恩大组团", "20,000", "招商员", "邀请来恩考察", lead.next_action_on.isoformat()]:
        assert text in page
    assert reverse("investment:lead", args=[lead.pk]) in page


def test_the_board_caps_each_column_and_links_to_the_rest(cast):
    many_leads(cast, selectors.BOARD_CAP + 5, stage=Stage.CONTACT)
    response = get(cast, "pipeline", source=Lead.Source.REFERRAL)
    column, more = next((c, m) for c, m in response.context["columns"] if c.stage == "contact")
    assert (column.count, len(column.cards), column.hidden) == (
        selectors.BOARD_CAP + 5,
        selectors.BOARD_CAP,
        5,
    )
    assert "stage=contact" in more
    assert "source=referral" in more
    assert f"{reverse('investment:leads')}?{more}".replace("&", "&amp;") in html(response)
    assert "5 more leads" in html(response)


def test_the_board_filters_by_source_chain_and_owner_unit(cast):
    link = ChainLinkFactory(chain__government=cast.enping)
    new_lead(cast, company="乡贤", source=Lead.Source.COMPATRIOTS)
    new_lead(cast, company="展会", source=Lead.Source.FAIR, chain_link=link)
    new_lead(cast, company="恩城", source=Lead.Source.FAIR, owner_unit=cast.encheng, owner=None)

    def companies(**params):
        response = get(cast, "pipeline", **params)
        return sorted(lead.company for c, _m in response.context["columns"] for lead in c.cards)

    assert companies() == ["乡贤", "展会", "恩城"]
    assert companies(source="fair") == ["展会", "恩城"]
    assert companies(chain=link.chain_id) == ["展会"]
    assert companies(owner_unit=cast.encheng.pk) == ["恩城"]


def test_the_board_leaves_dropped_leads_out_and_answers_htmx_with_the_board(cast):
    lead = new_lead(cast)
    services.lead_drop(actor=cast.investment, lead=lead, reason="放弃")
    client = english(cast.client_for(cast.encheng_staff))
    response = client.get(
        reverse("investment:pipeline"), HTTP_HX_REQUEST="true", HTTP_HX_TARGET="pipeline-board"
    )
    assert response.status_code == 200
    assert "<html" not in html(response)
    assert "恩大组团" not in html(response)


def test_an_outsider_sees_only_their_own_governments_board(cast):
    new_lead(cast)
    response = get(cast, "pipeline", cast.outsider, government=cast.enping.pk)
    assert response.context["government"] == cast.taishan
    assert "恩大组团" not in html(response)


# --- the list and its export --------------------------------------------------------------------


def test_the_list_filters_and_pages(cast):
    many_leads(cast, selectors.PAGE_SIZE + 3, stage=Stage.VISIT)
    new_lead(cast, company="正旭新能源", stage=Stage.CONTACT)
    dropped = new_lead(cast, company="放弃的", stage=Stage.CONTACT)
    services.lead_drop(actor=cast.investment, lead=dropped, reason="x")
    response = get(cast, "leads", cast.viewer)
    assert response.context["page"].paginator.count == selectors.PAGE_SIZE + 4
    assert len(response.context["page"].object_list) == selectors.PAGE_SIZE
    assert "page=2" in response.context["page_links"]["next"]
    stage = get(cast, "leads", stage="contact").context["page"].object_list
    assert [lead.company for lead in stage] == ["正旭新能源"]
    gone = get(cast, "leads", status="dropped", q="放弃").context["page"].object_list
    assert [lead.company for lead in gone] == ["放弃的"]


def test_the_export_has_the_contacts_only_for_whom_may_see_them(cast):
    new_lead(cast)
    rows = xlsx_rows(get(cast, "leads_export"))
    assert rows[2][0] == "恩大组团"
    assert PHONE in rows[2]
    assert "Phone" in rows[1]
    staff_rows = xlsx_rows(get(cast, "leads_export", cast.encheng_staff))
    assert staff_rows[2][0] == "恩大组团"
    assert PHONE not in staff_rows[2]
    assert "Phone" not in staff_rows[1]


# --- a lead's page ------------------------------------------------------------------------------


def a_lead_with_a_contact(cast) -> Lead:
    lead = new_lead(cast)
    services.contact_add(
        actor=cast.investment, lead=lead, on=days_ago(2), kind="visit", summary="春节走访乡贤"
    )
    return move(cast, lead, Stage.CONTACT, 50)


@pytest.mark.parametrize("who", ["investment", "leader", "supervisor", "admin"])
def test_contact_details_and_the_log_are_shown_to_investment_staff_supervisors_and_leaders(
    cast, who
):
    lead = a_lead_with_a_contact(cast)
    page = html(get(cast, "lead", getattr(cast, who), args=[lead.pk]))
    assert PHONE in page
    assert "zhang@example.com" in page
    assert "春节走访乡贤" in page


@pytest.mark.parametrize("who", ["encheng_staff", "hengpi_staff", "viewer", "statistician"])
def test_contact_details_and_the_log_are_hidden_from_others(cast, who):
    lead = a_lead_with_a_contact(cast)
    response = get(cast, "lead", getattr(cast, who), args=[lead.pk])
    assert response.status_code == 200
    page = html(response)
    assert "恩大组团" in page
    assert PHONE not in page
    assert "张先生" not in page
    assert "春节走访乡贤" not in page
    assert "1 contact logged" in page
    assert reverse("investment:lead_edit", args=[lead.pk]) not in page


def test_the_lead_page_shows_the_stage_history(cast):
    lead = a_lead_with_a_contact(cast)
    move(cast, lead, Stage.CLUE, 40, note="投资方暂缓")
    page = html(get(cast, "lead", cast.encheng_staff, args=[lead.pk]))
    assert "Lead → In contact" in page
    assert "In contact → Lead" in page
    assert "投资方暂缓" in page


def test_an_outsider_is_denied_every_lead_page(cast):
    lead = new_lead(cast)
    client = cast.client_for(cast.outsider)
    for name in ["lead", "lead_edit", "lead_sign"]:
        assert client.get(reverse(f"investment:{name}", args=[lead.pk])).status_code == 404
    for name in ["lead_move", "lead_drop", "contact_add"]:
        assert client.post(reverse(f"investment:{name}", args=[lead.pk])).status_code == 404


def test_unit_staff_cannot_change_leads_through_the_pages(cast):
    lead = new_lead(cast, owner_unit=cast.encheng, owner=None)
    client = cast.client_for(cast.encheng_staff)
    assert client.get(reverse("investment:lead_create")).status_code == 403
    assert client.get(reverse("investment:lead_edit", args=[lead.pk])).status_code == 403
    posts = {
        "lead_edit": {"company": "改名", "version": lead.version},
        "lead_move": {"to_stage": "contact", "on": today().isoformat(), "version": lead.version},
        "lead_drop": {"reason": "x", "on": today().isoformat(), "version": lead.version},
        "contact_add": {"on": today().isoformat(), "kind": "call", "summary": "x"},
    }
    for name, data in posts.items():
        assert client.post(reverse(f"investment:{name}", args=[lead.pk]), data).status_code == 403
    lead = Lead.objects.get(pk=lead.pk)
    assert (lead.company, lead.stage, lead.dropped_on) == ("恩大组团", Stage.CLUE, None)
    assert not LeadContact.objects.exists()


# --- the steps on the pages ---------------------------------------------------------------------


def test_a_lead_is_created_with_the_form(cast):
    client = english(cast.client_for(cast.investment))
    url = reverse("investment:lead_create")
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["form"].initial["owner_unit"] == cast.investment_bureau.pk
    data = {
        "company": "恩大组团",
        "intended_investment": "100000",
        "source": "compatriots",
        "owner_unit": cast.investment_bureau.pk,
        "owner": cast.investment.pk,
        "stage": "contact",
        "stage_since": days_ago(3).isoformat(),
        "contact_phone": PHONE,
    }
    response = client.post(url, data)
    lead = Lead.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("investment:lead", args=[lead.pk])
    assert (lead.stage, lead.stage_since, lead.contact_phone) == ("contact", days_ago(3), PHONE)
    assert LeadStageChange.objects.get(lead=lead).to_stage == "contact"


def test_the_form_refuses_a_future_start_at_its_field(cast):
    client = english(cast.client_for(cast.investment))
    data = {
        "company": "X",
        "intended_investment": "1",
        "source": "self",
        "owner_unit": cast.investment_bureau.pk,
        "stage": "clue",
        "stage_since": days_ago(-5).isoformat(),
    }
    response = client.post(reverse("investment:lead_create"), data)
    assert response.status_code == 400
    assert "in the future" in response.context["form"].errors["stage_since"][0]
    assert not Lead.objects.exists()


def test_a_lead_is_edited_and_a_stale_edit_is_refused(cast):
    lead = new_lead(cast)
    client = english(cast.client_for(cast.supervisor))
    url = reverse("investment:lead_edit", args=[lead.pk])
    form = client.get(url).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(company="恩大组团（扩产）", next_action="签约谈判")
    assert client.post(url, data).status_code == 302
    lead = Lead.objects.get(pk=lead.pk)
    assert (lead.company, lead.next_action) == ("恩大组团（扩产）", "签约谈判")
    stale = client.post(url, {**data, "company": "旧版本"})
    assert stale.status_code == 400
    assert stale.context["stale"]
    assert Lead.objects.get(pk=lead.pk).company == "恩大组团（扩产）"


def test_a_lead_moves_from_its_page_and_a_refusal_shows_there(cast):
    lead = new_lead(cast, stage=Stage.VISIT)
    client = english(cast.client_for(cast.investment))
    url = reverse("investment:lead_move", args=[lead.pk])
    data = {"to_stage": "contact", "on": today().isoformat(), "note": "", "version": lead.version}
    refused = client.post(url, data)
    assert refused.status_code == 400
    assert "why the lead goes back" in refused.context["move_form"].errors["note"][0]
    response = client.post(url, {**data, "to_stage": "negotiation"})
    assert response.status_code == 302
    assert Lead.objects.get(pk=lead.pk).stage == Stage.NEGOTIATION
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert messages == ["The lead moved to “Negotiation”."]


def test_a_contact_is_logged_and_a_lead_dropped_from_its_page(cast):
    lead = new_lead(cast)
    client = english(cast.client_for(cast.investment))
    contact = {"on": days_ago(1).isoformat(), "kind": "meeting", "summary": "洽谈用地"}
    response = client.post(reverse("investment:contact_add", args=[lead.pk]), contact)
    assert response.status_code == 302
    assert LeadContact.objects.get().summary == "洽谈用地"
    drop = {"reason": "", "on": today().isoformat(), "version": lead.version}
    refused = client.post(reverse("investment:lead_drop", args=[lead.pk]), drop)
    assert refused.status_code == 400
    drop["reason"] = "投资方放弃"
    assert client.post(reverse("investment:lead_drop", args=[lead.pk]), drop).status_code == 302
    assert Lead.objects.get(pk=lead.pk).drop_reason == "投资方放弃"


# --- the funnel page ----------------------------------------------------------------------------


def test_the_funnel_page_shows_the_figures_and_the_chart(cast):
    lead = new_lead(cast, stage=Stage.NEGOTIATION, stage_since=days_ago(30))
    sign(cast, lead, ago=0, signed_investment=Decimal("4321"))
    new_lead(cast, company="正旭新能源", source=Lead.Source.SELF)
    response = get(cast, "funnel", cast.encheng_staff)
    assert response.status_code == 200
    result = response.context["result"]
    assert (result.year, result.year_signed_total) == (today().year, Decimal("4321"))
    page = html(response)
    assert 'data-chart="funnel-figure"' in page
    assert "vendor/plotly.min.js" in page
    assert "4,321.00" in page
    assert "Came by itself" in page
    assert "'unsafe-inline'" in response["Content-Security-Policy"]


def test_the_funnel_export_has_a_sheet_per_table(cast):
    new_lead(cast)
    response = get(cast, "funnel_export", cast.viewer)
    book = load_workbook(BytesIO(response.content))
    assert [s.title for s in book.worksheets] == ["By stage", "By source", "By chain"]
    stage_rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert stage_rows[2][:2] == ("Lead", 1)


def test_the_funnel_page_writes_the_indicator_for_managers_only(cast):
    target = IndicatorFactory(owner_unit=cast.investment_bureau, unit="万元")
    PipelineSettingsFactory(government=cast.enping, signed_investment_indicator=target)
    lead = new_lead(cast, stage=Stage.NEGOTIATION)
    year = today().year
    LeadFactory(
        owner_unit=cast.investment_bureau,
        stage=Stage.SIGNED,
        signed_on=datetime.date(year, 1, 1),
        signed_investment=Decimal("77"),
    )
    page = html(get(cast, "funnel"))
    assert "Write the signed investment to the indicator" in page
    url = reverse("investment:funnel_feed")
    assert cast.client_for(cast.encheng_staff).post(url, {"year": year}).status_code == 403
    response = english(cast.client_for(cast.investment)).post(url, {"year": year})
    assert response.status_code == 302
    assert Observation.objects.get(indicator=target, period=str(year)).value == Decimal("77")
    assert lead.pk  # unsigned leads count for nothing


# --- queries ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["pipeline", "leads", "funnel"])
def test_the_pages_cost_the_same_queries_for_more_leads(cast, name, django_assert_max_num_queries):
    client = cast.client_for(cast.investment)
    url = reverse(f"investment:{name}")
    many_leads(cast, 5)
    client.get(url)  # sessions and grants warmed up alike
    with django_assert_max_num_queries(16) as few:
        assert client.get(url).status_code == 200
    many_leads(cast, 60)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_the_lead_page_costs_a_fixed_number_of_queries(cast, django_assert_max_num_queries):
    lead = a_lead_with_a_contact(cast)
    client = cast.client_for(cast.investment)
    url = reverse("investment:lead", args=[lead.pk])
    client.get(url)
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    for n in range(10):
        services.contact_add(
            actor=cast.investment, lead=lead, on=today(), kind="call", summary=f"{n}"
        )
    lead = move(cast, Lead.objects.get(pk=lead.pk), Stage.VISIT, 0)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)
