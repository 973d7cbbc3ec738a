"""Fixtures of the supervision tests: a task world on fixed dates, and a local webhook receiver."""

from __future__ import annotations

import datetime
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from jinwei.accounts.models import Role, User
from jinwei.supervision.models import ChannelSettings
from jinwei.tasks.models import Task
from tests.conftest import Cast
from tests.factories import MembershipFactory, UserFactory
from tests.tasks.factories import TaskFactory

SECRET = "s3cret-for-tests"
DEADLINE = datetime.date(2024, 6, 10)


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Hook:
    """A webhook endpoint on 127.0.0.1: records each POST and answers `status`."""

    url: str = ""
    status: int = 200
    received: list[Received] = field(default_factory=list)


class _Handler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        hook: Hook = self.server.hook  # type: ignore[attr-defined]
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        hook.received.append(Received(self.path, dict(self.headers.items()), body))
        self.send_response(hook.status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        return


@pytest.fixture
def hook() -> Any:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    receiver = Hook(url=f"http://127.0.0.1:{server.server_address[1]}/jinwei")
    server.hook = receiver  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield receiver
    server.shutdown()
    server.server_close()


@dataclass
class World:
    """恩城街道 with one staff member (eve) and a head (henry); alice leads the task."""

    cast: Cast
    head: User
    task: Task


@pytest.fixture
def world(cast: Cast) -> World:
    head = UserFactory(username="henry", name="恩城主任")
    MembershipFactory(user=head, unit=cast.encheng, role=Role.STAFF, is_head=True)
    task = TaskFactory(
        lead_unit=cast.encheng,
        leader=cast.leader,
        supervising_unit=cast.supervision,
        code="DB-001",
        title="职教园区一期完工交付",
        start_date=datetime.date(2024, 1, 1),
        deadline=DEADLINE,
        state=Task.State.IN_PROGRESS,
        progress=60,
        report_cadence=Task.Cadence.NONE,
    )
    return World(cast=cast, head=head, task=task)


def with_email(*users: User) -> None:
    for user in users:
        user.email = f"{user.username}@example.gov.cn"
        user.save(update_fields=["email"])


def webhook_on(government: Any, url: str, secret: str = SECRET) -> ChannelSettings:
    return ChannelSettings.objects.create(
        government=government, webhook_active=True, webhook_url=url, webhook_secret=secret
    )
