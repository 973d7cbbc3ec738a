"""Reading the cells of a ledger (台账): which column holds what, and each value as a ledger writes
it — dates as Excel dates or text, units by name or short name with a co-unit's part in brackets,
goals by title, leaders by name, and the words for source, priority and report cadence.

A value that cannot be read raises `Bad` with a message that names it and says what is expected;
`ledger.py` places the message at its sheet, row and column.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from jinwei.accounts.models import OrgUnit, Region, Role, User
from jinwei.indicators.importing.lookups import REGION_SUFFIXES, key
from jinwei.indicators.importing.readers import Cell
from jinwei.indicators.importing.table import clean, is_empty
from jinwei.tasks import services
from jinwei.tasks.models import Goal, Task

CODE = "code"
TITLE = "title"
DESCRIPTION = "description"
SOURCE = "source_kind"
REFERENCE = "source_reference"
GOAL = "goal"
LEAD = "lead_unit"
CO_UNITS = "co_units"
LEADER = "leader"
SUPERVISING = "supervising_unit"
START = "start_date"
DEADLINE = "deadline"
PRIORITY = "priority"
RESULTS = "expected_results"
CADENCE = "report_cadence"
IGNORE = "ignore"

# The template's header for each field (the words of the ledgers supervision offices keep), then
# the other spellings recognised, Chinese and English. Compared after NFKC, without blanks.
HEADERS: dict[str, str] = {
    CODE: "编号",
    TITLE: "任务名称",
    DESCRIPTION: "任务内容",
    SOURCE: "来源",
    REFERENCE: "来源文号",
    GOAL: "所属目标",
    LEAD: "牵头单位",
    CO_UNITS: "配合单位",
    LEADER: "责任领导",
    SUPERVISING: "督办单位",
    START: "开始日期",
    DEADLINE: "完成时限",
    PRIORITY: "优先级",
    RESULTS: "预期成果",
    CADENCE: "反馈频次",
}
SYNONYMS: dict[str, tuple[str, ...]] = {
    CODE: ("任务编号", "代码", "code", "task code"),
    TITLE: ("任务", "工作任务", "任务事项", "事项", "名称", "标题", "title", "task", "name"),
    DESCRIPTION: ("任务描述", "描述", "具体内容", "工作内容", "主要内容", "内容", "description"),
    SOURCE: ("任务来源", "来源类型", "source", "source kind"),
    REFERENCE: ("文号", "来源依据", "依据", "会议/文件", "reference", "source reference"),
    GOAL: ("目标", "对应目标", "goal"),
    LEAD: ("责任单位", "主办单位", "牵头部门", "承办单位", "lead unit", "lead"),
    CO_UNITS: ("协办单位", "配合部门", "协同单位", "co-units", "co units", "co-unit"),
    LEADER: ("分管领导", "牵头领导", "挂点领导", "leader", "responsible leader"),
    SUPERVISING: ("督查单位", "督办部门", "supervising unit", "supervisor"),
    START: ("开始时间", "起始日期", "启动时间", "start", "start date"),
    DEADLINE: ("完成时间", "截止日期", "截止时间", "办结时限", "时限", "deadline", "due date"),
    PRIORITY: ("重要程度", "priority"),
    RESULTS: ("预期目标", "完成标准", "工作目标", "expected results"),
    CADENCE: ("反馈要求", "报送频次", "反馈周期", "report cadence", "cadence"),
    IGNORE: ("序号", "no.", "#"),
}
FIELD_BY_HEADER = {key(h): f for f, h in HEADERS.items()} | {
    key(word): name for name, words in SYNONYMS.items() for word in words
}
REQUIRED = (TITLE, LEAD, DEADLINE)

SOURCE_WORDS = {
    Task.SourceKind.MEETING: ("会议", "会议纪要", "会议决定", "meeting"),
    Task.SourceKind.DOCUMENT: ("文件", "公文", "发文", "document"),
    Task.SourceKind.INSTRUCTION: (
        "领导批示",
        "批示",
        "领导交办",
        "交办",
        "instruction",
        "leader's instruction",
    ),
    Task.SourceKind.OTHER: ("其他", "其它", "other"),
}
PRIORITY_WORDS = {
    Task.Priority.HIGH: ("高", "重要", "紧急", "重点", "high", "1"),
    Task.Priority.NORMAL: ("中", "一般", "普通", "normal", "2"),
    Task.Priority.LOW: ("低", "low", "3"),
}
QUARTERLY = "quarterly"
CADENCE_WORDS = {
    Task.Cadence.WEEKLY: ("每周", "周报", "一周一报", "每周一报", "weekly"),
    Task.Cadence.MONTHLY: ("每月", "月报", "一月一报", "每月一报", "monthly"),
    QUARTERLY: ("每季度", "季报", "每季", "一季一报", "quarterly"),
    Task.Cadence.NONE: ("无", "不定期", "无需", "none"),
}


def _vocabulary(words: dict[Any, tuple[str, ...]]) -> dict[str, Any]:
    return {key(word): value for value, spellings in words.items() for word in spellings}


SOURCES = _vocabulary(SOURCE_WORDS)
PRIORITIES = _vocabulary(PRIORITY_WORDS)
CADENCES = _vocabulary(CADENCE_WORDS)

_DATE = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?"
)
_COMPACT_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})")
_BRACKETED = re.compile(r"^(.*?)\s*[(（\[【](.*)[)）\]】]\s*$", re.DOTALL)
_SEPARATORS = "、,，;；\n"
_OPEN, _CLOSE = "(（[【", ")）]】"
EXCEL_EPOCH = datetime.date(1899, 12, 30)
MAX_LENGTHS = {CODE: 40, TITLE: 300, REFERENCE: 200}


class Bad(Exception):
    """A cell that cannot be read; the message names the value and says what is expected."""


# --- reading values ---------------------------------------------------------------------------


def parse_date(cell: Cell) -> datetime.date | None:
    """An Excel date, a serial number, or text: 2024-08-31, 2024/8/31, 2024年8月31日, 2024.8.31."""
    if is_empty(cell):
        return None
    if isinstance(cell, datetime.datetime):
        return cell.date()
    if isinstance(cell, datetime.date):
        return cell
    if isinstance(cell, int | float) and not isinstance(cell, bool) and 1 <= cell < 2958466:
        return EXCEL_EPOCH + datetime.timedelta(days=int(cell))
    text = clean(cell)
    match = _DATE.fullmatch(text) or _COMPACT_DATE.fullmatch(text)
    if match:
        try:
            return datetime.date(*(int(part) for part in match.groups()))
        except ValueError:
            pass
    raise Bad(
        _("“%(value)s” is not a date (write 2024-08-31, 2024年8月31日 or 2024.8.31).")
        % {"value": text}
    )


def split_names(text: str) -> list[str]:
    """ "恩城街道、横陂镇（负责征地、拆迁）" -> two names: separators inside brackets are kept."""
    parts, current, depth = [], "", 0
    for char in text:
        if char in _OPEN:
            depth += 1
        elif char in _CLOSE:
            depth = max(0, depth - 1)
        if char in _SEPARATORS and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    parts.append(current)
    return [p.strip() for p in parts if p.strip()]


def name_and_part(text: str) -> tuple[str, str]:
    """ "横陂镇（负责征地）" -> ("横陂镇", "负责征地")."""
    match = _BRACKETED.match(text)
    if match and match.group(1).strip():
        return match.group(1).strip(), match.group(2).strip()
    return text.strip(), ""


def choice(cell: Cell, vocabulary: dict[str, Any], words: dict[Any, tuple[str, ...]]) -> Any:
    found = vocabulary.get(key(clean(cell)))
    if found is None:
        allowed = "、".join(spellings[0] for spellings in words.values())
        raise Bad(
            _("“%(value)s” is not one of: %(allowed)s.")
            % {"value": clean(cell), "allowed": allowed}
        )
    return found


def quarter_ends(start: datetime.date, deadline: datetime.date) -> list[datetime.date]:
    """The ends of quarters from the start to the deadline (the deadline itself if none)."""
    ends = []
    for year in range(start.year, deadline.year + 1):
        for month, day in ((3, 31), (6, 30), (9, 30), (12, 31)):
            end = datetime.date(year, month, day)
            if start < end <= deadline:
                ends.append(end)
    return ends or [deadline]


# --- names ------------------------------------------------------------------------------------


def unit_names(unit: OrgUnit) -> set[str]:
    """Name, short name, and the name without 镇/街道…: "横陂镇" is also "横陂"."""
    names = {unit.name, unit.short_name} - {""}
    for suffix in REGION_SUFFIXES:
        if unit.name.endswith(suffix) and len(unit.name) > len(suffix) + 1:
            names.add(unit.name[: -len(suffix)])
            break
    return names


@dataclass
class Names:
    """Units, goals and people of one government, by every spelling, loaded once per import."""

    government: Region
    units: dict[str, list[OrgUnit]] = field(default_factory=dict)
    goals: dict[str, list[Goal]] = field(default_factory=dict)
    people: dict[str, list[User]] = field(default_factory=dict)
    leader_ids: set[int] = field(default_factory=set)

    @classmethod
    def load(cls, government: Region) -> Names:
        names = cls(government)
        for unit in OrgUnit.objects.filter(government=government, is_active=True):
            for text in unit_names(unit):
                names.units.setdefault(key(text), []).append(unit)
        for goal in Goal.objects.filter(government=government):
            names.goals.setdefault(key(goal.title), []).append(goal)
        people = User.objects.filter(
            memberships__unit__government=government, is_active=True
        ).distinct()
        for user in people:
            for text in {user.name, user.username} - {""}:
                names.people.setdefault(key(text), []).append(user)
        names.leader_ids = set(
            User.objects.filter(
                memberships__unit__government=government, memberships__role=Role.LEADER
            ).values_list("pk", flat=True)
        )
        return names

    def unit(self, text: str) -> OrgUnit:
        found = self.units.get(key(text), [])
        if not found:
            raise Bad(
                _("“%(value)s” is not a unit of %(government)s.")
                % {"value": text, "government": self.government}
            )
        if len({u.pk for u in found}) > 1:
            raise Bad(
                _("“%(value)s” names several units: %(units)s; write the full name.")
                % {"value": text, "units": "、".join(u.name for u in found)}
            )
        return found[0]

    def goal(self, text: str) -> Goal:
        found = self.goals.get(key(text), [])
        if not found:
            raise Bad(
                _("There is no goal titled “%(value)s”; add it to the goals tree first.")
                % {"value": text}
            )
        if len(found) > 1:
            raise Bad(_("Several goals are titled “%(value)s”.") % {"value": text})
        return found[0]

    def leader(self, text: str) -> User:
        found = list({u.pk: u for u in self.people.get(key(text), [])}.values())
        if len(found) > 1:
            found = [u for u in found if u.pk in self.leader_ids] or found
        if not found:
            raise Bad(
                _("“%(value)s” is not a person of %(government)s.")
                % {"value": text, "government": self.government}
            )
        if len(found) > 1:
            raise Bad(
                _("“%(value)s” names several people; write the login name.") % {"value": text}
            )
        return found[0]


def cell_text(cell: Cell) -> str:
    """A text cell with its line breaks kept (a long description), each line tidied."""
    if isinstance(cell, str):
        return "\n".join(" ".join(line.split()) for line in cell.strip().splitlines())
    return clean(cell)


def limited(cell: Cell, limit: int) -> str:
    text = cell_text(cell)
    if len(text) > limit:
        raise Bad(
            _("“%(value)s…” is longer than %(limit)s characters.")
            % {"value": text[:20], "limit": limit}
        )
    return text


def read_co_units(text: str, names: Names) -> list[services.CoUnitPart]:
    parts: list[services.CoUnitPart] = []
    for piece in split_names(text):
        name, part = name_and_part(piece)
        unit = names.unit(name)
        if any(p.unit.pk == unit.pk for p in parts):
            raise Bad(_("“%(value)s” is named twice.") % {"value": unit.name})
        parts.append(services.CoUnitPart(unit=unit, part=part))
    return parts


def read_source(text: str) -> tuple[str, str]:
    """(kind, reference): a known word, or a meeting's or document's name that says which."""
    if not text:
        return Task.SourceKind.MEETING, ""
    kind = SOURCES.get(key(text))
    if kind is not None:
        return kind, ""
    for marker, guessed in (
        ("批示", Task.SourceKind.INSTRUCTION),
        ("会", Task.SourceKind.MEETING),
        ("文件", Task.SourceKind.DOCUMENT),
        ("号", Task.SourceKind.DOCUMENT),
    ):
        if marker in text:
            return guessed, text
    allowed = "、".join(spellings[0] for spellings in SOURCE_WORDS.values())
    raise Bad(_("“%(value)s” is not one of: %(allowed)s.") % {"value": text, "allowed": allowed})


def read_cadence(
    cell: Cell, start: datetime.date, deadline: datetime.date
) -> tuple[str, list[datetime.date]]:
    """每周 / 每月 / 每季度 / 无, or the report dates themselves ("2024-06-30、2024-09-30")."""
    if is_empty(cell):
        return Task.Cadence.MONTHLY, []
    text = clean(cell)
    found = CADENCES.get(key(text))
    if found == QUARTERLY:
        return Task.Cadence.DATES, quarter_ends(start, deadline)
    if found is not None:
        return found, []
    try:
        parsed = {parse_date(piece) for piece in split_names(text)}
    except Bad:
        allowed = "、".join(spellings[0] for spellings in CADENCE_WORDS.values())
        raise Bad(
            _("“%(value)s” is not one of: %(allowed)s, nor a list of report dates.")
            % {"value": text, "allowed": allowed}
        ) from None
    dates = sorted(d for d in parsed if d is not None)
    outside = [d for d in dates if not start <= d <= deadline]
    if outside:
        raise Bad(
            _("The report date %(date)s is outside the task's time (%(start)s to %(deadline)s).")
            % {"date": outside[0], "start": start, "deadline": deadline}
        )
    return Task.Cadence.DATES, dates
