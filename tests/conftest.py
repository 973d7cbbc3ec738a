"""The shared cast: one government (恩平市) with its units, and one person per role.

Every permission test reads the same way: alice leads, sam supervises, tom (统计局) does
statistics, ivy promotes investment, eve works for 恩城街道, hank for 横陂镇, vic only reads,
ada administers. Staff of another unit must be denied.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.utils import translation

from jinwei.accounts.models import OrgUnit, Region, Role, User
from tests.factories import MembershipFactory, OrgUnitFactory, RegionFactory, UserFactory

PASSWORD = "pass-word-123"


TRANSACTIONAL_FIXTURES = {"transactional_db", "live_server"}


def _database_use(item: pytest.Item) -> str:
    """Whether a test uses a transactional database, a plain one or none (pytest-django's rules)."""
    marker = item.get_closest_marker("django_db")
    fixtures = set(getattr(item, "fixturenames", ()))
    if (marker and marker.kwargs.get("transaction")) or fixtures & TRANSACTIONAL_FIXTURES:
        return "transactional"
    return "db" if marker or "db" in fixtures else ""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Refuse a module that mixes transactional and plain database tests.

    The suite runs on one pytest-xdist worker per core, a module whole on one worker, in the
    order pytest-django sorts the tests (plain database tests, then transactional ones, which end
    by emptying the database, rows seeded by migrations included). A mixed module would run its
    transactional test, and so the emptying, before other modules' plain tests on that worker.
    """
    uses: dict[Path, set[str]] = defaultdict(set)
    for item in items:
        uses[item.path].add(_database_use(item))
    mixed = sorted(str(path) for path, kinds in uses.items() if {"db", "transactional"} <= kinds)
    if mixed:
        raise pytest.UsageError(
            "Move the transactional tests of these modules to modules of their own: "
            + ", ".join(mixed)
        )


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """Each test starts in the site's default language, whatever the test before it did.

    A request activates its language in the thread and leaves it there, so without this a test
    that reads translated text outside a request would depend on which test ran before it on its
    worker. Tests that expect English say so with `translation.override("en")`.
    """
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _media_root(settings: Any, tmp_path: Path) -> None:
    """Uploaded files of a test go to its own folder, never into the developer's ./var."""
    settings.MEDIA_ROOT = tmp_path / "media"


@dataclass
class Cast:
    province: Region
    jiangmen: Region
    enping: Region
    taishan: Region
    encheng: OrgUnit
    hengpi: OrgUnit
    stats_bureau: OrgUnit
    investment_bureau: OrgUnit
    leadership: OrgUnit
    supervision: OrgUnit
    admin: User
    leader: User
    supervisor: User
    statistician: User
    investment: User
    encheng_staff: User
    hengpi_staff: User
    viewer: User
    outsider: User  # staff of another government (台山市)

    def client_for(self, user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client


@pytest.fixture
def cast(db: None) -> Cast:
    return make_cast()


@pytest.fixture(scope="module")
def module_db(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """Rows made once for a whole module and rolled back after its last test.

    For modules whose tests only read a large world (every page, the whole demo). Each test
    still runs in its own savepoint (pytest-django's `db`), so what one test changes is undone
    before the next, while what the module's fixtures made stays for all of them.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)


def make_cast() -> Cast:
    province = RegionFactory(code="440000", name="广东省", level=Region.Level.PROVINCE)
    jiangmen = RegionFactory(
        code="440700", name="江门市", level=Region.Level.PREFECTURE, parent=province
    )
    enping = RegionFactory(code="440785", name="恩平市", level=Region.Level.COUNTY, parent=jiangmen)
    taishan = RegionFactory(
        code="440781", name="台山市", level=Region.Level.COUNTY, parent=jiangmen
    )

    def unit(name: str, kind: str, government: Region = enping) -> OrgUnit:
        return OrgUnitFactory(government=government, name=name, kind=kind)

    encheng = unit("恩城街道", OrgUnit.Kind.TOWN)
    hengpi = unit("横陂镇", OrgUnit.Kind.TOWN)
    stats_bureau = unit("统计局", OrgUnit.Kind.DEPARTMENT)
    investment_bureau = unit("投资促进局", OrgUnit.Kind.DEPARTMENT)
    leadership = unit("市政府", OrgUnit.Kind.LEADERSHIP)
    supervision = unit("市委督查室", OrgUnit.Kind.SUPERVISION)
    taishan_office = unit("台山市统计局", OrgUnit.Kind.DEPARTMENT, taishan)

    def person(username: str, name: str, at: OrgUnit, role: str) -> User:
        user = UserFactory(username=username, name=name)
        MembershipFactory(user=user, unit=at, role=role)
        return user

    return Cast(
        province=province,
        jiangmen=jiangmen,
        enping=enping,
        taishan=taishan,
        encheng=encheng,
        hengpi=hengpi,
        stats_bureau=stats_bureau,
        investment_bureau=investment_bureau,
        leadership=leadership,
        supervision=supervision,
        admin=person("ada", "管理员", supervision, Role.ADMIN),
        leader=person("alice", "黎市长", leadership, Role.LEADER),
        supervisor=person("sam", "督查员", supervision, Role.SUPERVISOR),
        statistician=person("tom", "统计员", stats_bureau, Role.STATISTICIAN),
        investment=person("ivy", "招商员", investment_bureau, Role.INVESTMENT),
        encheng_staff=person("eve", "恩城办事员", encheng, Role.STAFF),
        hengpi_staff=person("hank", "横陂办事员", hengpi, Role.STAFF),
        viewer=person("vic", "观察员", leadership, Role.VIEWER),
        outsider=person("otto", "台山办事员", taishan_office, Role.STAFF),
    )
