"""Items and their links on an opportunity's page: add an item, edit and delete it, link a goal,
task or project and unlink it (with htmx the item is replaced in place and the counts out of
band; a refused link comes back as the form with its error); the rights of each."""

from __future__ import annotations

import pytest
from django.urls import reverse

from jinwei.opportunities.models import ItemAction, OpportunityItem
from jinwei.tasks.models import Task
from tests.opportunities.conftest import client_for
from tests.tasks.factories import TaskFactory

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


def link_url(item) -> str:
    return reverse("opportunities:link", args=[item.pk])


# --- items --------------------------------------------------------------------------------------


def test_the_unit_adds_an_item_with_htmx(cast, plan):
    url = reverse("opportunities:item_create", args=[plan.opportunity.pk])
    response = client_for(cast, cast.encheng_staff).post(
        url, {"title": "城乡融合发展试验", "area": "urban_rural"}, headers=HTMX
    )
    item = OpportunityItem.objects.get(title="城乡融合发展试验")
    assert response.status_code == 200
    assert response["HX-Redirect"].endswith(f"#item-{item.pk}")
    assert item.number == 3


def test_a_refused_item_comes_back_as_the_form(cast, plan):
    url = reverse("opportunities:item_create", args=[plan.opportunity.pk])
    client = client_for(cast, cast.encheng_staff)
    response = client.post(url, {"number": 2, "title": "重复", "area": "other"}, headers=HTMX)
    assert response.status_code == 400
    html = response.content.decode()
    assert "<html" not in html and "data-swap-errors" in html
    assert "Item 2 already exists in this opportunity." in html
    page = client.post(url, {"title": "", "area": "other"})
    assert page.status_code == 400 and "<html" in page.content.decode()


def test_the_unit_edits_and_deletes_an_item(cast, plan):
    client = client_for(cast, cast.encheng_staff)
    edit = reverse("opportunities:item_edit", args=[plan.flagged.pk])
    assert client.get(edit).status_code == 200
    data = {"number": 2, "title": "生态廊道和碧道建设", "area": "ecology", "version": 1}
    assert client.post(edit, data).status_code == 302
    plan.flagged.refresh_from_db()
    assert plan.flagged.title == "生态廊道和碧道建设"
    delete = reverse("opportunities:item_delete", args=[plan.linked.pk])
    assert client.post(delete, {"version": 1}).status_code == 302
    assert not OpportunityItem.objects.filter(pk=plan.linked.pk).exists()


@pytest.mark.parametrize("who", ["hengpi_staff", "leader", "viewer"])
def test_others_of_the_government_are_refused(cast, plan, who):
    client = client_for(cast, getattr(cast, who))
    create = reverse("opportunities:item_create", args=[plan.opportunity.pk])
    assert client.post(create, {"title": "x", "area": "other"}).status_code == 403
    edit = reverse("opportunities:item_edit", args=[plan.flagged.pk])
    assert client.get(edit).status_code == 403
    delete = reverse("opportunities:item_delete", args=[plan.linked.pk])
    assert client.post(delete, {"version": 1}).status_code == 403
    target = f"goal:{plan.goal.pk}"
    assert client.post(link_url(plan.flagged), {"target": target}).status_code == 403
    unlink = reverse("opportunities:unlink", args=[plan.task_action.pk])
    assert client.post(unlink).status_code == 403
    assert OpportunityItem.objects.count() == 3 and ItemAction.objects.count() == 3


def test_another_government_gets_not_found(cast, plan):
    client = client_for(cast, cast.outsider)
    create = reverse("opportunities:item_create", args=[plan.opportunity.pk])
    assert client.post(create, {"title": "x", "area": "other"}).status_code == 404
    assert client.get(link_url(plan.flagged)).status_code == 404
    unlink = reverse("opportunities:unlink", args=[plan.task_action.pk])
    assert client.post(unlink).status_code == 404
    assert client.post(reverse("opportunities:unlink", args=[999999])).status_code == 404


# --- links --------------------------------------------------------------------------------------


def test_the_link_form_offers_the_governments_goals_tasks_and_projects(cast, plan):
    client = client_for(cast, cast.encheng_staff)
    fragment = client.get(link_url(plan.flagged), headers=HTMX).content.decode()
    assert "<html" not in fragment
    assert f'value="task:{plan.task.pk}"' in fragment
    assert f'value="goal:{plan.goal.pk}"' in fragment
    assert f'value="project:{plan.project.pk}"' in fragment
    assert f'value="task:{plan.other_task.pk}"' not in fragment
    page = client.get(link_url(plan.flagged)).content.decode()
    assert "<html" in page and "hx-post" not in page.split('class="inline-form link-form"')[1]


def test_linking_with_htmx_replaces_the_item_and_the_counts(cast, plan):
    response = client_for(cast, cast.encheng_staff).post(
        link_url(plan.flagged), {"target": f"task:{plan.task.pk}"}, headers=HTMX
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.startswith(f'<article class="card opportunity-item" id="item-{plan.flagged.pk}"')
    assert "No action linked" not in html
    assert reverse("tasks:detail", args=[plan.task.pk]) in html
    assert 'id="opportunity-summary" class="opportunity-summary" hx-swap-oob="true"' in html
    assert "every item has a linked action" in html
    assert ItemAction.objects.filter(item=plan.flagged, task=plan.task).exists()


def test_linking_without_htmx_goes_back_to_the_item(cast, plan):
    response = client_for(cast, cast.supervisor).post(
        link_url(plan.flagged), {"target": f"project:{plan.project.pk}"}
    )
    url = reverse("opportunities:detail", args=[plan.opportunity.pk])
    assert response.status_code == 302 and response.url == f"{url}#item-{plan.flagged.pk}"


def test_a_foreign_or_linked_target_is_refused_in_the_form(cast, plan):
    client = client_for(cast, cast.encheng_staff)
    for target in (f"task:{plan.other_task.pk}", f"task:{plan.task.pk}", "task:x"):
        response = client.post(link_url(plan.linked), {"target": target}, headers=HTMX)
        assert response.status_code == 400
        assert response["HX-Retarget"] == f"#item-{plan.linked.pk}-link"
        assert response["HX-Reswap"] == "innerHTML"
        assert 'class="error"' in response.content.decode()
    assert ItemAction.objects.filter(item=plan.linked).count() == 3


def test_a_cancelled_task_cannot_be_chosen(cast, plan):
    cancelled = TaskFactory(lead_unit=cast.encheng, state=Task.State.CANCELLED)
    response = client_for(cast, cast.encheng_staff).post(
        link_url(plan.flagged), {"target": f"task:{cancelled.pk}"}
    )
    assert response.status_code == 400


def test_unlinking_with_htmx_flags_the_item_again(cast, plan):
    client = client_for(cast, cast.encheng_staff)
    for action in list(plan.linked.actions.all()):
        response = client.post(reverse("opportunities:unlink", args=[action.pk]), headers=HTMX)
        assert response.status_code == 200
    html = response.content.decode()
    assert "No action linked" in html and "is-flagged" in html
    assert "2 without any linked action" in html
    assert not plan.linked.actions.exists()


def test_unlinking_needs_a_post(cast, plan):
    unlink = reverse("opportunities:unlink", args=[plan.task_action.pk])
    assert client_for(cast, cast.supervisor).get(unlink).status_code == 405
