"""The downloadable template: a projects sheet, a monthly reports sheet, and a help sheet.

The example rows use the government's own names, so the template passes the check as it stands;
the help sheet's first cell starts with "#", which the import skips. Unit staff, who import
reports only, get the reports sheet alone, with an example on a project of their unit.
"""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _

from jinwei.accounts.models import OrgUnit, Region, Role, User
from jinwei.indicators.importing.table import SKIP_MARK
from jinwei.lib import xlsx
from jinwei.lib.periods import Frequency, Period
from jinwei.projects.importing import columns as c
from jinwei.projects.importing.values import KIND_WORDS, STAGE_WORDS, words
from jinwei.projects.models import ChainLink, Park, Project

EXAMPLE_CODE = "示例-001"
WIDE = {c.NAME: 30, c.INVESTOR: 24, c.CHAIN_LINK: 24, c.ADDRESS: 24, c.PROGRESS_TEXT: 36,
        c.PROBLEMS: 36, c.TOTAL: 16, c.AMOUNT: 20}  # fmt: skip


def template_sheets(
    government: Region, today: datetime.date, *, projects: bool, unit_ids: list[int]
) -> list[xlsx.Sheet]:
    years = [today.year, today.year + 1]
    sheets = []
    if projects:
        headers = [*c.PROJECT_HEADERS.items(), *((None, c.plan_header(y)) for y in years)]
        sheets.append(
            xlsx.Sheet(
                title=_("Key projects of %(government)s") % {"government": government.name},
                name=_("Projects"),
                columns=[xlsx.Column(h, WIDE.get(name or "", 14)) for name, h in headers],
                rows=[project_example(government, today)],
            )
        )
    report = report_example(government, today, projects, unit_ids)
    sheets.append(
        xlsx.Sheet(
            title=_("Monthly investment reports of %(government)s")
            % {"government": government.name},
            name=_("Monthly reports"),
            columns=[xlsx.Column(h, WIDE.get(name, 14)) for name, h in c.REPORT_HEADERS.items()],
            rows=[report] if report else [],
        )
    )
    sheets.append(
        xlsx.Sheet(
            title=f"{SKIP_MARK} " + _("How to fill in the file (this sheet is not imported)"),
            name=_("How to fill in"),
            columns=[xlsx.Column(_("Notes"), 110)],
            rows=[[line] for line in help_lines(projects)],
        )
    )
    return sheets


def project_example(government: Region, today: datetime.date) -> list[object]:
    units = list(OrgUnit.objects.filter(government=government, is_active=True).order_by("order"))
    towns = [u for u in units if u.kind == OrgUnit.Kind.TOWN]
    park = Park.objects.filter(government=government).order_by("name").first()
    link = (
        ChainLink.objects.filter(chain__government=government, parent__isnull=True)
        .select_related("chain")
        .order_by("chain__order", "order", "id")
        .first()
    )
    leader = (
        User.objects.filter(memberships__unit__government=government, memberships__role=Role.LEADER)
        .order_by("pk")
        .first()
    )
    day = datetime.timedelta(days=1)
    return [
        EXAMPLE_CODE,
        "示例：智能装备制造基地项目",
        "产业项目",
        park.name if park else "",
        f"{link.chain.name} / {link.name}" if link else "",
        "示例智能装备有限公司",
        50000,
        (towns or units)[0].name if units else "",
        (leader.name or leader.username) if leader else "",
        "在建",
        today - 210 * day,
        today + 300 * day,
        today + 360 * day,
        today - 300 * day,
        today - 200 * day,
        "",
        "",
        towns[0].name if towns else "",
        "示例：工业大道8号",
        "示例地块A-01",
        20000,
        30000,
    ]


def report_example(
    government: Region, today: datetime.date, projects: bool, unit_ids: list[int]
) -> list[object] | None:
    """A report on the example project, or for unit staff on one of their unit's projects."""
    code = EXAMPLE_CODE
    if not projects:
        mine = Project.objects.filter(government=government, lead_unit_id__in=unit_ids)
        code = mine.order_by("code").values_list("code", flat=True).first() or ""
        if not code:
            return None
    month = Period.of(Frequency.MONTHLY, today.year, today.month).previous()
    return [code, "", str(month), 1200, 35, "主体结构施工中", ""]


def help_lines(projects: bool) -> list[str]:
    p, r = c.PROJECT_HEADERS, c.REPORT_HEADERS
    lines = [
        _("Keep each sheet's header row and replace the example rows. The projects and the "
          "monthly reports may also come in separate files (or CSV files), one kind per file."),
        _("Projects are matched by %(code)s: a code that is not stored yet adds a project, one "
          "that is changes it; an empty cell keeps what is stored.") % {"code": p[c.CODE]},
    ]  # fmt: skip
    if projects:
        lines += [
            _("A new project needs %(columns)s.")
            % {"columns": "、".join(p[name] for name in c.PROJECT_REQUIRED)},
            _("%(kind)s: %(kinds)s. %(stage)s: %(stages)s; without a stage, the latest date "
              "given says it. A stage does not go back.")
            % {"kind": p[c.KIND], "kinds": words(KIND_WORDS), "stage": p[c.STAGE],
               "stages": words(STAGE_WORDS)},
            _("%(park)s: a park's name. %(link)s: chain and link, e.g. %(example)s. "
              "%(lead)s, %(town)s: a unit's name. %(leader)s: a person's name or login.")
            % {"park": p[c.PARK], "link": p[c.CHAIN_LINK], "example": "数控机床 / 主轴部件",
               "lead": p[c.LEAD_UNIT], "town": p[c.TOWN], "leader": p[c.LEADER]},
            _("Dates: an Excel date, or 2024-08-31, 2024年8月31日, 2024.8.31. The dates a stage "
              "was reached are in the past and in order; each reached stage is recorded with "
              "its date."),
            _("Amounts in 万元 (a header may say 亿元 instead). Annual plans: one column per "
              "year, headed like %(example)s.") % {"example": c.plan_header(2025)},
            _("Only investment staff and the supervising office import projects."),
        ]  # fmt: skip
    lines += [
        _("%(month)s: 2024-09 or 2024年9月. %(amount)s: the investment completed in that month. "
          "%(progress)s: a whole number from 0 to 100. A month already reported is changed.")
        % {"month": r[c.MONTH], "amount": r[c.AMOUNT], "progress": r[c.PROGRESS]},
        _("A unit's staff report only on the projects their unit leads. The latest month's "
          "physical progress becomes the project's."),
        _("Upload the file: you first see what would be added and changed and every problem "
          "(sheet, row, column); nothing is saved until you confirm, and then all of it or "
          "none."),
    ]  # fmt: skip
    return lines
