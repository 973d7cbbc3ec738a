"""Opportunities in Django's admin: saved through the audit services, and a link to a goal,
task or project of another government refused there too."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from jinwei.audit.models import AuditEntry
from jinwei.opportunities.models import ItemAction, Opportunity
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def root(client):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


def test_an_opportunity_added_in_the_admin_is_audited(cast, root):
    response = root.post(
        reverse("admin:opportunities_opportunity_add"),
        {
            "government": cast.enping.pk,
            "title": "省“双百行动”服务队",
            "kind": "assistance",
            "level": "provincial",
            "order": 0,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    opportunity = Opportunity.objects.get()
    entry = AuditEntry.objects.get(object_id=str(opportunity.pk), content_type__model="opportunity")
    assert entry.action == AuditEntry.Action.CREATE and entry.note == "admin"


def test_the_admin_refuses_a_link_across_governments(cast, plan, root):
    root.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = root.post(
        reverse("admin:opportunities_itemaction_add"),
        {"item": plan.flagged.pk, "task": plan.other_task.pk},
    )
    assert response.status_code == 200
    assert "Link only goals, tasks and projects of the item" in response.content.decode()
    assert not ItemAction.objects.filter(item=plan.flagged).exists()
    response = root.post(
        reverse("admin:opportunities_itemaction_add"),
        {"item": plan.flagged.pk, "task": plan.task.pk},
    )
    assert response.status_code == 302
    assert ItemAction.objects.filter(item=plan.flagged, task=plan.task).exists()


@pytest.mark.parametrize("model", ["opportunity", "opportunityitem", "itemaction"])
def test_the_admin_lists_render(root, plan, model):
    assert root.get(reverse(f"admin:opportunities_{model}_changelist")).status_code == 200
