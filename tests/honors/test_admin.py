"""Honours in Django's admin: saved through the audit services; the evidence file is managed on
the pages (which check it), so the admin shows it read-only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from jinwei.audit.models import AuditEntry
from jinwei.honors.models import Honour
from tests.factories import UserFactory
from tests.honors.factories import HonourFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def root(client):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


def test_an_honour_added_in_the_admin_is_audited(cast, root):
    response = root.post(
        reverse("admin:honors_honour_add"),
        {
            "government": cast.enping.pk,
            "title": "省健康县",
            "level": "provincial",
            "year": 2022,
            "issuer": "广东省爱国卫生运动委员会",
            "category": "health",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    honour = Honour.objects.get()
    entry = AuditEntry.objects.get(object_id=str(honour.pk))
    assert entry.action == AuditEntry.Action.CREATE and entry.note == "admin"


def test_the_admin_lists_and_shows_the_evidence_read_only(cast, root):
    honour = HonourFactory(government=cast.enping, unit=cast.encheng)
    assert root.get(reverse("admin:honors_honour_changelist")).status_code == 200
    page = root.get(reverse("admin:honors_honour_change", args=[honour.pk])).content.decode()
    assert 'name="evidence"' not in page and 'name="title"' in page
    assert root.get(reverse("admin:honors_practice_changelist")).status_code == 200
