"""An opportunity's page: its items with their linked goals, tasks and projects (as links, with
their state), the items nobody acts on clearly marked, the forms for those who may change it;
and the pages that add, edit and delete opportunities."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jinwei.opportunities.models import Opportunity
from tests.opportunities.conftest import client_for
from tests.opportunities.factories import ItemActionFactory, OpportunityItemFactory
from tests.tasks.factories import TaskFactory

pytestmark = pytest.mark.django_db


def detail(plan) -> str:
    return reverse("opportunities:detail", args=[plan.opportunity.pk])


def test_the_page_shows_items_with_their_actions_and_flags(cast, plan):
    response = client_for(cast, cast.viewer).get(detail(plan))
    assert response.status_code == 200
    html = response.content.decode()
    assert reverse("tasks:goal", args=[plan.goal.pk]) in html
    assert reverse("tasks:detail", args=[plan.task.pk]) in html
    assert reverse("projects:detail", args=[plan.project.pk]) in html
    assert "RW-024 交通衔接规划" in html and "Draft" in html  # the task and its state
    assert "Signed" in html  # the project's stage
    assert f'id="item-{plan.flagged.pk}"' in html
    assert html.count("No action linked") == 1
    flagged_item = html.split(f'id="item-{plan.flagged.pk}"')[1].split("</article>")[0]
    assert "No action linked" in flagged_item
    assert "2 items" in html and "1 without any linked action" in html


@pytest.mark.parametrize("who", ["leader", "viewer", "hengpi_staff", "investment"])
def test_readers_get_no_forms(cast, plan, who):
    html = client_for(cast, getattr(cast, who)).get(detail(plan)).content.decode()
    assert reverse("opportunities:link", args=[plan.flagged.pk]) not in html
    assert reverse("opportunities:item_create", args=[plan.opportunity.pk]) not in html
    assert reverse("opportunities:edit", args=[plan.opportunity.pk]) not in html


def test_the_responsible_unit_gets_the_item_forms_but_not_the_opportunitys(cast, plan):
    html = client_for(cast, cast.encheng_staff).get(detail(plan)).content.decode()
    assert reverse("opportunities:link", args=[plan.flagged.pk]) in html
    assert reverse("opportunities:unlink", args=[plan.task_action.pk]) in html
    assert reverse("opportunities:item_create", args=[plan.opportunity.pk]) in html
    assert reverse("opportunities:edit", args=[plan.opportunity.pk]) not in html


def test_supervisors_get_every_form(cast, plan):
    html = client_for(cast, cast.supervisor).get(detail(plan)).content.decode()
    assert reverse("opportunities:edit", args=[plan.opportunity.pk]) in html
    assert reverse("opportunities:delete", args=[plan.opportunity.pk]) in html
    assert reverse("opportunities:link", args=[plan.flagged.pk]) in html


def test_another_government_is_not_found(cast, plan):
    client = client_for(cast, cast.outsider)
    assert client.get(detail(plan)).status_code == 404
    assert client.get(reverse("opportunities:edit", args=[plan.opportunity.pk])).status_code == 404


def test_the_page_costs_the_same_queries_at_two_sizes(cast, plan, django_assert_max_num_queries):
    client = client_for(cast, cast.supervisor)
    client.get(detail(plan))  # warm the content types the history links use
    with CaptureQueriesContext(connection) as small:
        client.get(detail(plan))
    few = len(small)
    assert few <= 15
    for number in range(3, 40):
        item = OpportunityItemFactory(opportunity=plan.opportunity, number=number)
        ItemActionFactory(item=item, task=TaskFactory(lead_unit=cast.encheng))
        ItemActionFactory(item=item, goal=plan.goal)
    with django_assert_max_num_queries(few):
        client.get(detail(plan))


# --- adding, editing and deleting an opportunity -----------------------------------------------


def test_a_supervisor_adds_an_opportunity(cast):
    client = client_for(cast, cast.supervisor)
    url = reverse("opportunities:create")
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "title": "百千万工程",
            "kind": "programme",
            "level": "provincial",
            "issuer": "中共广东省委",
            "issued_on": "2023-02-01",
            "unit": cast.encheng.pk,
            "order": 1,
        },
    )
    opportunity = Opportunity.objects.get(title="百千万工程")
    assert response.status_code == 302
    assert response.url == reverse("opportunities:detail", args=[opportunity.pk])
    assert opportunity.government == cast.enping and opportunity.unit == cast.encheng


def test_a_refused_opportunity_says_where(cast, plan):
    response = client_for(cast, cast.supervisor).post(
        reverse("opportunities:create"),
        {"title": plan.opportunity.title, "kind": "plan", "level": "provincial", "order": 0},
    )
    assert response.status_code == 200
    assert "There is already an opportunity called" in response.content.decode()


@pytest.mark.parametrize("who", ["encheng_staff", "leader", "viewer"])
def test_others_may_not_add_or_edit_opportunities(cast, plan, who):
    client = client_for(cast, getattr(cast, who))
    assert client.get(reverse("opportunities:create")).status_code == 403
    assert client.get(reverse("opportunities:edit", args=[plan.opportunity.pk])).status_code == 403
    delete = reverse("opportunities:delete", args=[plan.opportunity.pk])
    assert client.post(delete, {"version": 1}).status_code == 403
    assert Opportunity.objects.filter(pk=plan.opportunity.pk).exists()


def test_a_supervisor_edits_and_deletes_an_opportunity(cast, plan):
    client = client_for(cast, cast.supervisor)
    edit = reverse("opportunities:edit", args=[plan.opportunity.pk])
    data = {
        "title": plan.opportunity.title,
        "kind": "plan",
        "level": "provincial",
        "issuer": "广东省人民政府",
        "source_document": "粤府〔2023〕示例号",
        "issued_on": "2023-12-01",
        "summary": "16处内容直接涉及恩平",
        "unit": cast.encheng.pk,
        "order": 3,
        "version": 1,
    }
    assert client.post(edit, data).status_code == 302
    plan.opportunity.refresh_from_db()
    assert plan.opportunity.summary == "16处内容直接涉及恩平" and plan.opportunity.version == 2
    stale = client.post(edit, {**data, "summary": "x"})
    assert "changed by someone else" in stale.content.decode()
    delete = reverse("opportunities:delete", args=[plan.opportunity.pk])
    response = client.post(delete, {"version": 2})
    assert response.status_code == 302 and response.url.startswith(reverse("opportunities:list"))
    assert not Opportunity.objects.filter(pk=plan.opportunity.pk).exists()
