"""The audit log page (admins) and an object's history page."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from jinwei.accounts.models import OrgUnit
from jinwei.audit.services import tracked_create, tracked_update

pytestmark = pytest.mark.django_db


def _changes(cast, n: int) -> None:
    for i in range(n):
        unit = cast.encheng if i % 2 else cast.hengpi
        unit.refresh_from_db()
        tracked_update(
            actor=cast.supervisor,
            obj=unit,
            changes={"phone": str(i)},
            expected_version=unit.version,
        )


def test_admin_sees_the_log_filtered_by_user_and_type(cast):
    _changes(cast, 3)
    tracked_create(
        actor=cast.admin, obj=OrgUnit(government=cast.enping, name="大田镇", kind="town")
    )
    client = cast.client_for(cast.admin)
    content = client.get(reverse("audit:log")).content.decode()
    assert "大田镇" in content and "恩城街道" in content
    filtered = client.get(reverse("audit:log"), {"actor": "ada"}).content.decode()
    assert "大田镇" in filtered and "恩城街道" not in filtered
    by_action = client.get(reverse("audit:log"), {"action": "update"}).content.decode()
    assert "大田镇" not in by_action and "横陂镇" in by_action


def test_htmx_filter_returns_the_fragment_only(cast):
    _changes(cast, 1)
    response = cast.client_for(cast.admin).get(reverse("audit:log"), HTTP_HX_REQUEST="true")
    content = response.content.decode()
    assert "<table" in content and "<html" not in content


def test_the_log_is_for_admins_only(cast):
    for user in (cast.supervisor, cast.leader, cast.encheng_staff, cast.viewer):
        assert cast.client_for(user).get(reverse("audit:log")).status_code == 403


def test_the_log_does_not_show_other_governments(cast):
    taishan_unit = OrgUnit.objects.get(name="台山市统计局")
    tracked_update(
        actor=cast.outsider, obj=taishan_unit, changes={"phone": "7"}, expected_version=1
    )
    content = cast.client_for(cast.admin).get(reverse("audit:log")).content.decode()
    assert "台山市统计局" not in content


def test_log_query_count_does_not_grow_with_entries(cast, django_assert_max_num_queries):
    _changes(cast, 60)
    client = cast.client_for(cast.admin)
    with django_assert_max_num_queries(15):
        response = client.get(reverse("audit:log"))
    assert response.status_code == 200


def test_history_page_lists_an_objects_changes(cast):
    _changes(cast, 2)
    ct = ContentType.objects.get_for_model(OrgUnit)
    url = reverse("audit:history", args=[ct.pk, cast.encheng.pk])
    content = cast.client_for(cast.encheng_staff).get(url).content.decode()
    assert "恩城街道" in content and "sam" in content
    assert cast.client_for(cast.outsider).get(url).status_code == 404


def test_unit_page_links_to_its_history(cast):
    ct = ContentType.objects.get_for_model(OrgUnit)
    content = (
        cast.client_for(cast.leader)
        .get(reverse("accounts:unit_detail", args=[cast.encheng.pk]))
        .content.decode()
    )
    assert reverse("audit:history", args=[ct.pk, cast.encheng.pk]) in content


def test_changes_show_field_labels_in_the_users_language(cast):
    _changes(cast, 2)
    ct = ContentType.objects.get_for_model(OrgUnit)
    url = reverse("audit:history", args=[ct.pk, cast.encheng.pk])
    client = cast.client_for(cast.admin)
    client.cookies["django_language"] = "zh-hans"
    assert "<dt>联系电话</dt>" in client.get(url).content.decode()
    client.cookies["django_language"] = "en"
    assert "<dt>phone</dt>" in client.get(url).content.decode()
