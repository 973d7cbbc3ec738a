"""Foundation demo data: Jiangmen's regions, Enping's units, and one demo account per role.

Unit names are the official ones; contact fields stay empty (no invented phone numbers of real
offices), and every person is illustrative (示例·…), never a real official.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from django.contrib.auth.hashers import check_password, make_password

from jinwei.accounts.models import Membership, OrgUnit, Region, Role, User
from jinwei.audit.services import tracked_create
from jinwei.core.demo import DEMO_NOTE, demo_step, get_or_create

# Published in the README and printed by `jinwei demo`; `jinwei serve` refuses to run while any
# demo account still has it (unless --allow-demo).
DEMO_PASSWORD = "jinwei-demo-2024"  # noqa: S105
DEMO_GOVERNMENT_CODE = "440785"  # 恩平市

# (code, name, short name, level, parent code), parents first.
REGIONS: tuple[tuple[str, str, str, str, str | None], ...] = (
    ("440000", "广东省", "广东", Region.Level.PROVINCE, None),
    ("440700", "江门市", "江门", Region.Level.PREFECTURE, "440000"),
    ("440703", "蓬江区", "蓬江", Region.Level.COUNTY, "440700"),
    ("440704", "江海区", "江海", Region.Level.COUNTY, "440700"),
    ("440705", "新会区", "新会", Region.Level.COUNTY, "440700"),
    ("440781", "台山市", "台山", Region.Level.COUNTY, "440700"),
    ("440783", "开平市", "开平", Region.Level.COUNTY, "440700"),
    ("440784", "鹤山市", "鹤山", Region.Level.COUNTY, "440700"),
    ("440785", "恩平市", "恩平", Region.Level.COUNTY, "440700"),
)

# (name, short name, kind); towns and departments are numbered in this order.
UNITS: tuple[tuple[str, str, str], ...] = (
    ("恩平市人民政府", "市政府", OrgUnit.Kind.LEADERSHIP),
    ("市委督查室", "督查室", OrgUnit.Kind.SUPERVISION),
    ("恩城街道", "恩城", OrgUnit.Kind.TOWN),
    ("横陂镇", "横陂", OrgUnit.Kind.TOWN),
    ("圣堂镇", "圣堂", OrgUnit.Kind.TOWN),
    ("良西镇", "良西", OrgUnit.Kind.TOWN),
    ("沙湖镇", "沙湖", OrgUnit.Kind.TOWN),
    ("牛江镇", "牛江", OrgUnit.Kind.TOWN),
    ("君堂镇", "君堂", OrgUnit.Kind.TOWN),
    ("大槐镇", "大槐", OrgUnit.Kind.TOWN),
    ("东成镇", "东成", OrgUnit.Kind.TOWN),
    ("大田镇", "大田", OrgUnit.Kind.TOWN),
    ("那吉镇", "那吉", OrgUnit.Kind.TOWN),
    ("发展和改革局", "发改局", OrgUnit.Kind.DEPARTMENT),
    ("工业和信息化局", "工信局", OrgUnit.Kind.DEPARTMENT),
    ("商务局", "商务局", OrgUnit.Kind.DEPARTMENT),
    ("投资促进局", "投促局", OrgUnit.Kind.DEPARTMENT),
    ("统计局", "统计局", OrgUnit.Kind.DEPARTMENT),
    ("财政局", "财政局", OrgUnit.Kind.DEPARTMENT),
    ("自然资源局", "自然资源局", OrgUnit.Kind.DEPARTMENT),
    ("住房和城乡建设局", "住建局", OrgUnit.Kind.DEPARTMENT),
    ("农业农村局", "农业农村局", OrgUnit.Kind.DEPARTMENT),
    ("文化广电旅游体育局", "文广旅体局", OrgUnit.Kind.DEPARTMENT),
    ("教育局", "教育局", OrgUnit.Kind.DEPARTMENT),
    ("卫生健康局", "卫健局", OrgUnit.Kind.DEPARTMENT),
    ("市场监督管理局", "市场监管局", OrgUnit.Kind.DEPARTMENT),
    ("政务服务数据管理局", "政数局", OrgUnit.Kind.DEPARTMENT),
    ("人力资源和社会保障局", "人社局", OrgUnit.Kind.DEPARTMENT),
)


@dataclass(frozen=True)
class DemoAccount:
    username: str
    name: str
    unit: str
    role: Role
    title: str
    superuser: bool = False


DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("admin", "示例·王管理员", "市委督查室", Role.ADMIN, "系统管理员", superuser=True),
    DemoAccount("leader", "示例·李领导", "恩平市人民政府", Role.LEADER, "市领导"),
    DemoAccount("supervisor", "示例·张主任", "市委督查室", Role.SUPERVISOR, "督查专员"),
    DemoAccount("statistician", "示例·陈统计", "统计局", Role.STATISTICIAN, "统计员"),
    DemoAccount("investment", "示例·刘招商", "投资促进局", Role.INVESTMENT, "招商专员"),
    DemoAccount("encheng", "示例·黄干事", "恩城街道", Role.STAFF, "街道工作人员"),
    DemoAccount("hengpi", "示例·吴干事", "横陂镇", Role.STAFF, "镇工作人员"),
    DemoAccount("viewer", "示例·周观察", "恩平市人民政府", Role.VIEWER, "只读用户"),
)


@demo_step("foundation")
def load_foundation() -> int:
    """Regions of Jiangmen, Enping's towns and departments, one demo account per role."""
    return _load_regions() + _load_units() + _load_accounts()


def demo_government() -> Region:
    """The government the demo data belongs to (恩平市), for the other apps' demo steps."""
    return Region.objects.get(code=DEMO_GOVERNMENT_CODE)


def demo_unit(name: str) -> OrgUnit:
    return OrgUnit.objects.get(government__code=DEMO_GOVERNMENT_CODE, name=name)


def demo_accounts_with_published_password() -> list[str]:
    """Usernames of active demo accounts whose password is still DEMO_PASSWORD."""
    usernames = [account.username for account in DEMO_ACCOUNTS]
    users = User.objects.filter(username__in=usernames, is_active=True).order_by("username")
    verdicts: dict[str, bool] = {}  # accounts created together share one hash: check it once
    found = []
    for username, encoded in users.values_list("username", "password"):
        if encoded not in verdicts:
            verdicts[encoded] = check_password(DEMO_PASSWORD, encoded)
        if verdicts[encoded]:
            found.append(username)
    return found


def _load_regions() -> int:
    created = 0
    for code, name, short_name, level, parent_code in REGIONS:
        parent = Region.objects.get(code=parent_code) if parent_code else None
        _, new = get_or_create(
            Region,
            lookup={"code": code},
            defaults={"name": name, "short_name": short_name, "level": level, "parent": parent},
        )
        created += new
    return created


def _load_units() -> int:
    government = demo_government()
    created = 0
    order = {kind: 0 for kind in OrgUnit.Kind.values}
    for name, short_name, kind in UNITS:
        order[kind] += 1
        _, new = get_or_create(
            OrgUnit,
            lookup={"government": government, "name": name},
            defaults={"short_name": short_name, "kind": kind, "order": order[kind]},
        )
        created += new
    return created


def _load_accounts() -> int:
    created = 0
    for account in DEMO_ACCOUNTS:
        user = User.objects.filter(username=account.username).first()
        if user is None:  # an existing account keeps its password (and its hash)
            user = _create_user(account)
            created += 1
        _, new = get_or_create(
            Membership,
            lookup={"user": user, "unit": demo_unit(account.unit), "role": account.role},
            defaults={"title": account.title},
        )
        created += new
    return created


def _create_user(account: DemoAccount) -> User:
    user = User(
        username=account.username,
        name=account.name,
        password=_published_password_hash(),
        is_staff=account.superuser,
        is_superuser=account.superuser,
    )
    return tracked_create(actor=None, obj=user, note=DEMO_NOTE)


@cache
def _published_password_hash() -> str:
    # One hash for every demo account: the password is public anyway, and hashing it once keeps
    # `jinwei demo` fast with the production hasher.
    return make_password(DEMO_PASSWORD)
