"""`jinwei remind`: options, progress and summary, exit status; safe to run from cron."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from jinwei.supervision.models import Notification, SupervisionNotice

pytestmark = pytest.mark.django_db


def remind(*args: str) -> str:
    out = io.StringIO()
    with translation.override("en"):
        call_command("remind", *args, stdout=out)
    return out.getvalue()


def test_it_prints_progress_and_a_summary_and_is_safe_to_repeat(world):
    first = remind("--date", "2024-06-20")
    assert "恩平市: 1 active tasks checked" in first
    assert "Supervision notices issued: 3 (Blue level 1, Yellow level 1, Red level 1)" in first
    assert "Notifications created: 4 (Supervision notice 4)" in first
    assert "E-mails sent: 0" in first and "Webhook posts: 0" in first
    second = remind("--date", "2024-06-20")
    assert "Notifications created: 0" in second
    assert "Supervision notices issued: 0" in second
    assert SupervisionNotice.objects.count() == 3


def test_dry_run(world):
    output = remind("--date", "2024-06-20", "--dry-run")
    assert "Supervision notices issued: 3" in output
    assert "Dry run: nothing was saved and nothing was sent." in output
    assert not SupervisionNotice.objects.exists() and not Notification.objects.exists()


def test_one_government(world):
    output = remind("--date", "2024-06-20", "--government", "440781")
    assert "台山市" in output and "恩平市" not in output
    assert not SupervisionNotice.objects.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--date", "2024-13-01"), "is not a date of the form YYYY-MM-DD"),
        (("--government", "999999"), "No government has the code “999999”."),
    ],
)
def test_misuse_is_a_usage_error(world, args, message):
    with pytest.raises(CommandError, match=message) as error:
        remind(*args)
    assert error.value.returncode == 2
