"""The downloadable ledger template: the columns the import reads, an example row, a help sheet.

The help sheet's first cell starts with "#", which the import skips, so the template can be
filled in and uploaded as it is (after the example row is replaced).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.translation import gettext as _

from jinwei.accounts.models import OrgUnit, Region, Role, User
from jinwei.indicators.importing.table import SKIP_MARK
from jinwei.lib import xlsx
from jinwei.tasks.ledger_cells import (
    CADENCE,
    CADENCE_WORDS,
    CO_UNITS,
    CODE,
    GOAL,
    HEADERS,
    LEAD,
    LEADER,
    PRIORITY,
    PRIORITY_WORDS,
    REQUIRED,
    SOURCE,
    SOURCE_WORDS,
    SUPERVISING,
)
from jinwei.tasks.models import Goal

WIDTHS = {"任务名称": 30, "任务内容": 40, "配合单位": 30, "预期成果": 30, "来源文号": 24}


def template_sheets(government: Region, today: datetime.date) -> list[xlsx.Sheet]:
    columns = [xlsx.Column(header, WIDTHS.get(header, 14)) for header in HEADERS.values()]
    ledger = xlsx.Sheet(
        title=_("Task ledger of %(government)s") % {"government": government.name},
        name=_("Task ledger"),
        columns=columns,
        rows=[example_row(government, today)],
    )
    notes = xlsx.Sheet(
        title=f"{SKIP_MARK} " + _("How to fill in the ledger (this sheet is not imported)"),
        name=_("How to fill in"),
        columns=[xlsx.Column(_("Notes"), 110)],
        rows=[[line] for line in help_lines()],
    )
    return [ledger, notes]


def example_row(government: Region, today: datetime.date) -> list[object]:
    """An example in the government's own names, so it passes the check as it stands."""
    units = list(OrgUnit.objects.filter(government=government, is_active=True).order_by("order"))
    towns = [u for u in units if u.kind == OrgUnit.Kind.TOWN] or units
    departments = [u for u in units if u.kind == OrgUnit.Kind.DEPARTMENT and u not in towns[:1]]
    lead = towns[0].name if towns else ""
    helpers = [f"{towns[1].name}（负责征地）"] if len(towns) > 1 else []
    helpers += [departments[0].name] if departments else []
    office = next((u.name for u in units if u.kind == OrgUnit.Kind.SUPERVISION), "")
    goal = Goal.objects.filter(government=government).order_by("order", "id").first()
    leader = (
        User.objects.filter(memberships__unit__government=government, memberships__role=Role.LEADER)
        .order_by("pk")
        .first()
    )
    return [
        "",
        "示例：职教园区一期项目完工交付",
        "完成主体工程和配套设施建设，8月底前交付使用",
        "会议",
        "高质量发展推进会暨开局工作会议",
        goal.title if goal else "",
        lead,
        "、".join(helpers),
        (leader.name or leader.username) if leader else "",
        office,
        today,
        today + datetime.timedelta(days=90),
        "高",
        "一期项目竣工验收并交付使用",
        "每月",
    ]


def help_lines() -> list[str]:
    def words(choices: dict[Any, tuple[str, ...]]) -> str:
        return "、".join(spellings[0] for spellings in choices.values())

    h = HEADERS
    return [
        _("One task per row on the first sheet; keep its header row. Replace the example row."),
        _("Required: %(columns)s. Every other column may be left empty or left out.")
        % {"columns": "、".join(h[name] for name in REQUIRED)},
        _("%(code)s: leave it empty and a code such as TZ2024-001 is given; a code already used, "
          "or given twice in the file, is an error.") % {"code": h[CODE]},
        _("%(lead)s, %(co)s, %(office)s: a unit's name or short name. Separate co-units with 、 "
          "or a comma, and write each one's part in brackets, e.g. %(example)s.")
        % {"lead": h[LEAD], "co": h[CO_UNITS], "office": h[SUPERVISING],
           "example": "横陂镇（负责征地）"},
        _("%(goal)s: the title of a goal in the goals tree. %(leader)s: a person's name or login.")
        % {"goal": h[GOAL], "leader": h[LEADER]},
        _("Dates: an Excel date, or 2024-08-31, 2024年8月31日, 2024.8.31. Without a start, the "
          "task starts on the day of the import; the deadline may not be before the start."),
        _("%(source)s: %(sources)s (or the meeting's or document's name). "
          "%(priority)s: %(priorities)s.")
        % {"source": h[SOURCE], "sources": words(SOURCE_WORDS), "priority": h[PRIORITY],
           "priorities": words(PRIORITY_WORDS)},
        _("%(cadence)s: %(cadences)s, or the report dates themselves separated by 、.")
        % {"cadence": h[CADENCE], "cadences": words(CADENCE_WORDS)},
        _("Upload the file: you first see every task and every problem (sheet, row, column); "
          "nothing is saved until you confirm, and then all tasks are saved as drafts or none."),
    ]  # fmt: skip
