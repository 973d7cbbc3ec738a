"""What each column of a table holds, recognised from its header or set by the user's mapping.

A column's role is one of the FIELDS (long layout: one observation per row), a period (wide
layout: "2023", "2023年", "2024年1-6月"), or an indicator (cross-section: "地区生产总值（亿元）"),
possibly followed by that indicator's growth-rate column ("增长（%）"). Headers nobody recognises
are left for the mapping step, where the person who uploaded the file says what they are.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from jinwei.indicators.importing.lookups import Lookups, key, split_unit
from jinwei.lib.periods import Period, PeriodError, parse_period

INDICATOR = "indicator"
WHERE = "where"
PERIOD = "period"
VALUE = "value"
GROWTH = "growth_rate"
SOURCE = "source"
EXPLANATION = "explanation"
MEASURE = "measure"
IGNORE = "ignore"
PERIOD_PREFIX = "period:"
INDICATOR_PREFIX = "indicator:"
GROWTH_PREFIX = "growth:"

FIELDS = {
    INDICATOR: _("Indicator (code or name)"),
    WHERE: _("Region or unit"),
    PERIOD: _("Period"),
    VALUE: _("Value"),
    GROWTH: _("Growth rate (%)"),
    SOURCE: _("Source"),
    EXPLANATION: _("Explanation"),
    MEASURE: _("Unit of measure"),
    IGNORE: _("Ignore this column"),
}


def _words(text: str) -> list[str]:
    return text.split()


SYNONYMS: dict[str, list[str]] = {
    INDICATOR: _words(
        "指标 指标名称 指标代码 指标编码 指标编号 统计指标 项目 "
        "indicator indicatorcode indicatorname code"
    ),
    WHERE: _words(
        "地区 区域 地区名称 地区代码 区划代码 行政区划代码 县(市、区) 县市区 镇街 镇(街) "
        "单位名称 填报单位 地区或单位 地区/单位 region unit regionorunit region/unit"
    ),
    PERIOD: _words("时期 期间 统计期 报告期 统计时期 年份 年度 月份 period year"),
    VALUE: _words("数值 值 本期值 本期数 绝对值 数据 指标值 value"),
    GROWTH: _words(
        "增速 增速(%) 增长率 增长率(%) 增长(%) 增长% 同比增长 同比增长(%) 同比增速(%) "
        "比上年增长(%) 比上年增长 增幅 增幅(%) growth growthrate growthrate(%) growth_rate"
    ),
    SOURCE: _words("来源 数据来源 资料来源 source"),
    EXPLANATION: _words("说明 情况说明 备注 explanation note"),
    MEASURE: _words("计量单位 单位 unitofmeasure measure"),
    IGNORE: _words("序号 编号 行次 排名 位次 排序 no no. rank"),
}
_BY_SYNONYM = {key(word): name for name, words in SYNONYMS.items() for word in words}


@dataclass
class Column:
    position: int  # index within the row
    letter: str  # as Excel shows it
    header: str  # cleaned header text
    role: str = ""  # a field name, "period:2023", "indicator:<code>", "growth:<code>"; "" unknown
    unit: str = ""  # unit of measure written in the header
    mapped: bool = False  # the role came from the user's mapping

    @property
    def period(self) -> str:
        return self.role.removeprefix(PERIOD_PREFIX) if self.role.startswith(PERIOD_PREFIX) else ""

    @property
    def indicator_code(self) -> str:
        if self.role.startswith(INDICATOR_PREFIX):
            return self.role.removeprefix(INDICATOR_PREFIX)
        return ""

    @property
    def growth_of(self) -> str:
        return self.role.removeprefix(GROWTH_PREFIX) if self.role.startswith(GROWTH_PREFIX) else ""

    def label(self) -> str:
        return f"{self.letter}（{self.header}）" if self.header else self.letter


def header_period(text: str) -> Period | None:
    try:
        return parse_period(text.replace(" ", ""))
    except PeriodError:
        return None


def field_of(text: str) -> str:
    return _BY_SYNONYM.get(key(text), "")


def classify(text: str, lookups: Lookups, previous: Column | None) -> tuple[str, str]:
    """(role, unit) of one header text, or ("", unit) when it is not recognised."""
    name, unit = split_unit(text)
    role = field_of(text) or field_of(name)
    if role:
        if role == GROWTH and previous is not None and previous.indicator_code:
            return GROWTH_PREFIX + previous.indicator_code, ""  # "增长（%）" after its indicator
        return role, unit if role == VALUE else ""
    period = header_period(text)
    if period is not None:
        return PERIOD_PREFIX + str(period), ""
    indicator = lookups.indicator(text)
    if indicator is not None:
        return INDICATOR_PREFIX + indicator.code, unit
    return "", unit


def columns_of(
    headers: list[str], letters: list[str], lookups: Lookups, mapping: dict[str, str]
) -> list[Column]:
    """The columns of a header row; `mapping` (header text -> role) overrides recognition."""
    columns: list[Column] = []
    previous: Column | None = None
    for position, (text, letter) in enumerate(zip(headers, letters, strict=True)):
        if not text:
            continue
        column = Column(position, letter, text)
        role, unit = classify(text, lookups, previous)
        chosen = mapping.get(text)
        if chosen:
            growth = chosen == GROWTH or chosen.startswith(GROWTH_PREFIX)
            column.role, column.mapped = chosen, True
            column.unit = "" if growth else split_unit(text)[1]
        else:
            column.role, column.unit = role, unit
        columns.append(column)
        previous = column
    return columns
