"""Which column holds what: the headers of the projects sheet and of the monthly reports sheet.

Each field has the header the template writes (the words of county project ledgers), then other
spellings, Chinese and English, compared after NFKC without blanks (`lookups.key`). An amount
header may carry its unit in brackets, "总投资（亿元）"; annual plans are one column per year,
"2024年计划投资（万元）". A sheet is a reports sheet when it has a month column, else a projects
sheet when it has any project column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from jinwei.indicators.importing.lookups import key, split_unit

# the projects sheet
CODE = "code"
NAME = "name"
KIND = "kind"
PARK = "park"
CHAIN_LINK = "chain_link"
INVESTOR = "investor"
TOTAL = "total_investment"
LEAD_UNIT = "lead_unit"
LEADER = "leader"
STAGE = "stage"
PLANNED_START = "planned_start"
PLANNED_COMPLETION = "planned_completion"
PLANNED_PRODUCTION = "planned_production"
SIGNED_ON = "signed_on"
STARTED_ON = "started_on"
COMPLETED_ON = "completed_on"
PRODUCTION_ON = "production_on"
TOWN = "town"
ADDRESS = "address"
PLOT = "plot"
# the reports sheet (with CODE, and NAME as a cross-check)
MONTH = "period"
AMOUNT = "amount"
PROGRESS = "progress"
PROGRESS_TEXT = "progress_text"
PROBLEMS = "problems"
IGNORE = "ignore"
PLAN_PREFIX = "plan:"  # a plan column's field is "plan:2024"

PROJECT_HEADERS: dict[str, str] = {
    CODE: "项目编号",
    NAME: "项目名称",
    KIND: "项目类型",
    PARK: "所在园区",
    CHAIN_LINK: "产业链环节",
    INVESTOR: "投资方",
    TOTAL: "总投资（万元）",
    LEAD_UNIT: "牵头单位",
    LEADER: "挂点领导",
    STAGE: "项目阶段",
    PLANNED_START: "计划开工日期",
    PLANNED_COMPLETION: "计划竣工日期",
    PLANNED_PRODUCTION: "计划投产日期",
    SIGNED_ON: "签约日期",
    STARTED_ON: "开工日期",
    COMPLETED_ON: "竣工日期",
    PRODUCTION_ON: "投产日期",
    TOWN: "所在镇街",
    ADDRESS: "项目地址",
    PLOT: "地块",
}
REPORT_HEADERS: dict[str, str] = {
    CODE: "项目编号",
    NAME: "项目名称",
    MONTH: "月份",
    AMOUNT: "本月完成投资（万元）",
    PROGRESS: "形象进度（%）",
    PROGRESS_TEXT: "形象进度描述",
    PROBLEMS: "存在问题",
}
HEADERS = PROJECT_HEADERS | REPORT_HEADERS
SYNONYMS: dict[str, tuple[str, ...]] = {
    CODE: ("编号", "项目代码", "项目编码", "code", "project code"),
    NAME: ("名称", "项目", "name", "project", "project name"),
    KIND: ("类型", "项目类别", "类别", "type", "kind", "project type"),
    PARK: ("园区", "产业园区", "所属园区", "park"),
    CHAIN_LINK: ("产业链", "所属产业链", "产业链/环节", "chain link", "chain/link", "chain"),
    INVESTOR: ("投资主体", "投资企业", "业主单位", "建设单位", "投资单位", "investor"),
    TOTAL: ("总投资", "计划总投资", "项目总投资", "total investment"),
    LEAD_UNIT: ("责任单位", "主办单位", "牵头部门", "lead unit"),
    LEADER: ("责任领导", "分管领导", "挂点市领导", "leader", "leader in charge"),
    STAGE: ("阶段", "建设阶段", "项目状态", "建设状态", "stage"),
    PLANNED_START: ("计划开工", "计划开工时间", "planned start"),
    PLANNED_COMPLETION: ("计划竣工", "计划竣工时间", "计划完工时间", "planned completion"),
    PLANNED_PRODUCTION: ("计划投产", "计划投产时间", "planned production"),
    SIGNED_ON: ("签约时间", "签约", "signed on", "signed"),
    STARTED_ON: ("开工时间", "动工日期", "实际开工日期", "started on", "construction started on"),
    COMPLETED_ON: ("竣工时间", "完工日期", "实际竣工日期", "completed on"),
    PRODUCTION_ON: ("投产时间", "实际投产日期", "in production on", "production on"),
    TOWN: ("镇街", "所在镇", "所在镇(街)", "镇(街)", "town"),
    ADDRESS: ("地址", "建设地点", "项目地点", "address", "location"),
    PLOT: ("地块编号", "用地地块", "plot"),
    MONTH: ("报告月份", "填报月份", "统计月份", "月度", "month", "period"),
    AMOUNT: ("本月完成投资", "当月完成投资", "月度完成投资", "完成投资", "amount",
             "completed investment", "investment completed in the month"),
    PROGRESS: ("形象进度", "形象进度(%)", "工程进度", "进度(%)", "progress", "physical progress",
               "physical progress (%)"),
    PROGRESS_TEXT: ("形象进度情况", "进展情况", "工程进展", "进度情况", "progress text",
                    "progress description"),
    PROBLEMS: ("存在的问题", "问题", "需协调解决的问题", "困难和问题", "problems"),
    IGNORE: ("序号", "no.", "#", "备注"),
}  # fmt: skip
FIELD_BY_HEADER = {key(h): f for f, h in HEADERS.items()} | {
    key(word): name for name, words in SYNONYMS.items() for word in words
}
AMOUNT_FIELDS = (TOTAL, AMOUNT)
PROJECT_FIELDS = frozenset(PROJECT_HEADERS) | {IGNORE}
REPORT_FIELDS = frozenset(REPORT_HEADERS) | {IGNORE}
# the cells a new project or a new report cannot do without (a known one keeps what it has)
PROJECT_REQUIRED = (NAME, KIND, TOTAL, LEAD_UNIT)
REPORT_REQUIRED = (AMOUNT, PROGRESS)

# amounts are stored in 万元; a header may say its unit
UNIT_FACTORS = {"万元": Decimal(1), "亿元": Decimal(10000), "元": Decimal("0.0001")}
_PLAN = re.compile(r"^(\d{4})年?度?(?:计划投资|投资计划|计划完成投资|年度计划投资)$")
_PLAN_EN = re.compile(r"^(?:plannedinvestment|plan)(\d{4})$")

PROJECTS_SHEET = "projects"
REPORTS_SHEET = "reports"
SHEET_NAMES = {PROJECTS_SHEET: _("projects"), REPORTS_SHEET: _("monthly reports")}


@dataclass(frozen=True)
class Recognised:
    """What a header says: the field, and for an amount the factor to 万元 (0 when the unit is
    one an amount cannot be in)."""

    field: str
    factor: Decimal = Decimal(1)
    unit: str = ""


def recognise(header: str) -> Recognised | None:
    name, unit = split_unit(header)
    field = FIELD_BY_HEADER.get(key(header)) or FIELD_BY_HEADER.get(key(name))
    plan = _PLAN.match(key(name)) or _PLAN_EN.match(key(name))
    if field is None and plan is not None:
        field = PLAN_PREFIX + plan.group(1)
    if field is None:
        return None
    amounts = field in AMOUNT_FIELDS or field.startswith(PLAN_PREFIX)
    if not amounts or not unit or key(header) in FIELD_BY_HEADER:
        return Recognised(field)
    return Recognised(field, UNIT_FACTORS.get(unit, Decimal(0)), unit)


def sheet_kind(fields: set[str]) -> str:
    """A month column makes a reports sheet; any project column (besides code and name), a
    projects sheet; "" for a sheet that is neither."""
    if MONTH in fields or (fields & {AMOUNT, PROGRESS} and not fields & {TOTAL, LEAD_UNIT}):
        return REPORTS_SHEET
    projects = {f for f in fields if f in PROJECT_FIELDS or f.startswith(PLAN_PREFIX)}
    if projects - {CODE, NAME, IGNORE}:
        return PROJECTS_SHEET
    return ""


def plan_header(year: int) -> str:
    return f"{year}年计划投资（万元）"
