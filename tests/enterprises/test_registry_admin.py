"""The registry in Django's admin: an enterprise saved there is audited, and a change of its
inline chain of service managers is written to the enterprise's trail too."""

from __future__ import annotations

import pytest
from django.urls import reverse

from jinwei.audit.models import AuditEntry
from jinwei.enterprises.models import Enterprise
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_an_enterprise_and_its_managers_are_audited_from_the_admin(cast, client):
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(root)
    response = client.post(
        reverse("admin:enterprises_enterprise_add"),
        {
            "government": cast.enping.pk,
            "name": "恩平市正旭新能源有限公司",
            "credit_code": "91350100M000100Y43",
            "size": "medium",
            "managers-TOTAL_FORMS": "1",
            "managers-INITIAL_FORMS": "0",
            "managers-0-position": "1",
            "managers-0-user": cast.investment.pk,
            "managers-0-duty": "一号服务员",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    enterprise = Enterprise.objects.get()
    entries = AuditEntry.objects.filter(object_id=str(enterprise.pk)).order_by("id")
    assert [e.action for e in entries] == [AuditEntry.Action.CREATE, AuditEntry.Action.UPDATE]
    assert entries[1].after == {"managers": ["1. 招商员 · 一号服务员"]}
