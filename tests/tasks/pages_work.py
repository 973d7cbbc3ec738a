"""Sample URL arguments of the task lists (worklists) for tests/core/test_pages_render.py."""

from __future__ import annotations

from typing import Any

from jinwei.tasks.models import SavedView
from tests.conftest import Cast


def sample_url_kwargs(cast: Cast) -> dict[str, dict[str, Any]]:
    view = SavedView.objects.create(user=cast.encheng_staff, name="红灯任务", query="colour=red")
    return {"tasks:view_delete": {"view_id": view.pk}}
