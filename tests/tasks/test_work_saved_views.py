"""Saved views of the task list: saved under a name, listed and deleted by their owner only."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from jinwei.audit.models import AuditEntry
from jinwei.tasks.models import SavedView
from tests.tasks.work_helpers import green, red

pytestmark = pytest.mark.django_db
SAVE = reverse("tasks:view_save")
LIST = reverse("tasks:list")


def save(cast, user, name, query):
    return cast.client_for(user).post(SAVE, {"name": name, "query": query})


def test_a_user_saves_the_filters_under_a_name(cast):
    query = f"colour=red&unit={cast.encheng.pk}&page=3&evil=1&q="
    response = save(cast, cast.encheng_staff, "恩城红灯", query)
    view = SavedView.objects.get(user=cast.encheng_staff)
    assert view.name == "恩城红灯"
    assert view.query == f"unit={cast.encheng.pk}&colour=red"  # known filters only, no page
    assert response.status_code == 302
    assert response.url == f"{LIST}?{view.query}"
    entry = AuditEntry.objects.get(content_type=ContentType.objects.get_for_model(SavedView))
    assert entry.action == AuditEntry.Action.CREATE and entry.actor == cast.encheng_staff


def test_saving_under_the_same_name_replaces_the_view(cast):
    save(cast, cast.encheng_staff, "我的", "colour=red")
    save(cast, cast.encheng_staff, "我的", "colour=yellow")
    save(cast, cast.hengpi_staff, "我的", "colour=green")
    assert SavedView.objects.get(user=cast.encheng_staff).query == "colour=yellow"
    assert SavedView.objects.get(user=cast.hengpi_staff).query == "colour=green"


def test_a_view_needs_a_name(cast, settings):
    client = cast.client_for(cast.encheng_staff)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(SAVE, {"name": "  ", "query": "colour=red"}, follow=True)
    assert not SavedView.objects.exists()
    assert "The view was not saved" in response.content.decode()
    assert response.redirect_chain[-1][0] == f"{LIST}?colour=red"  # back to the same filters


def test_the_list_shows_the_users_own_views_as_links(cast):
    green(cast.encheng, code="G")
    red(cast.encheng, code="R")
    save(cast, cast.encheng_staff, "红灯任务", "colour=red")
    save(cast, cast.hengpi_staff, "横陂的视图", "colour=green")
    client = cast.client_for(cast.encheng_staff)
    html = client.get(LIST).content.decode()
    assert "红灯任务" in html and "横陂的视图" not in html
    assert f'href="{LIST}?colour=red"' in html
    response = client.get(LIST, {"colour": "red"})
    assert [row.task.code for row in response.context["rows"]] == ["R"]
    assert 'aria-current="true">红灯任务' in response.content.decode()


def test_the_owner_deletes_a_view(cast):
    save(cast, cast.encheng_staff, "旧视图", "colour=red")
    view = SavedView.objects.get()
    response = cast.client_for(cast.encheng_staff).post(
        reverse("tasks:view_delete", args=[view.pk])
    )
    assert response.status_code == 302
    assert not SavedView.objects.exists()
    entry = AuditEntry.objects.filter(action=AuditEntry.Action.DELETE).get()
    assert entry.object_repr == "旧视图"


def test_nobody_else_deletes_a_view(cast):
    save(cast, cast.encheng_staff, "恩城的", "colour=red")
    view = SavedView.objects.get()
    url = reverse("tasks:view_delete", args=[view.pk])
    for user in (cast.hengpi_staff, cast.supervisor, cast.admin, cast.outsider):
        assert cast.client_for(user).post(url).status_code == 404
    assert SavedView.objects.filter(pk=view.pk).exists()


def test_views_are_changed_only_by_post(cast):
    save(cast, cast.encheng_staff, "恩城的", "colour=red")
    view = SavedView.objects.get()
    client = cast.client_for(cast.encheng_staff)
    assert client.get(reverse("tasks:view_delete", args=[view.pk])).status_code == 405
    assert client.get(SAVE).status_code == 405
    assert SavedView.objects.count() == 1


def test_an_overlong_query_is_refused(cast):
    response = save(cast, cast.encheng_staff, "太长", "q=" + "长" * 400)
    assert response.status_code == 302
    assert not SavedView.objects.exists()
