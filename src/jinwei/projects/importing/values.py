"""Reading one cell of a project ledger: amounts in 万元, percentages, months, types and stages,
and the names of parks, chain links, units, towns and people.

A value that cannot be read raises the ledger import's `Bad` with a message that names it and
says what is expected; the check places it at its sheet, row and column. Names are loaded once
per import (`Catalogue.load`): the per-row work is dictionary look-ups, never a query.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.translation import gettext as _

from jinwei.accounts.models import OrgUnit, Region, User
from jinwei.indicators.importing.lookups import key
from jinwei.indicators.importing.readers import Cell
from jinwei.indicators.importing.table import clean, is_empty
from jinwei.lib.numbers import NumberError, parse_number
from jinwei.lib.periods import Frequency, PeriodError, parse_period
from jinwei.projects.models import ChainLink, Park, Project
from jinwei.tasks.ledger_cells import Bad, Names, choice

CENTS = Decimal("0.01")
AMOUNT_LIMIT = Decimal(10) ** 12  # amount_field: 14 digits, 2 of them decimals

KIND_WORDS: dict[Any, tuple[str, ...]] = {
    Project.Kind.INDUSTRIAL: ("产业项目", "产业", "工业", "工业项目", "industrial", "industry"),
    Project.Kind.INFRASTRUCTURE: ("基础设施", "基础设施项目", "基建", "infrastructure"),
    Project.Kind.PUBLIC_SERVICE: ("公共服务", "社会民生", "民生", "社会事业", "public service"),
}
STAGE_WORDS: dict[Any, tuple[str, ...]] = {
    Project.Stage.SIGNED: ("签约", "已签约", "签约项目", "signed"),
    Project.Stage.STARTED: ("动工", "开工", "新开工", "已动工", "construction started", "started"),
    Project.Stage.UNDER_CONSTRUCTION: ("在建", "续建", "建设中", "under construction"),
    Project.Stage.COMPLETED: ("竣工", "完工", "已竣工", "completed"),
    Project.Stage.IN_PRODUCTION: ("投产", "已投产", "达产", "in production"),
}
KINDS = {key(word): value for value, words in KIND_WORDS.items() for word in words}
STAGES = {key(word): value for value, words in STAGE_WORDS.items() for word in words}
STAGE_ORDER = list(Project.Stage.values)
_CHAIN_SEPARATORS = re.compile(r"\s*[/／·>＞]\s*")


def words(vocabulary: dict[Any, tuple[str, ...]]) -> str:
    """The first spelling of each choice, as the template's notes list them."""
    return "、".join(spellings[0] for spellings in vocabulary.values())


def kind(cell: Cell) -> str:
    return str(choice(cell, KINDS, KIND_WORDS))


def stage(cell: Cell) -> str:
    return str(choice(cell, STAGES, STAGE_WORDS))


def amount(cell: Cell, factor: Decimal = Decimal(1)) -> Decimal | None:
    """An amount in 万元 (after the column's unit), not negative, two decimals."""
    try:
        value = parse_number(cell).value
    except NumberError:
        raise Bad(_("“%(value)s” is not an amount.") % {"value": clean(cell)}) from None
    if value is None:
        return None
    value = (value * factor).quantize(CENTS, rounding=ROUND_HALF_UP)
    if value < 0:
        raise Bad(_("The amount %(value)s is negative.") % {"value": clean(cell)})
    if value >= AMOUNT_LIMIT:
        raise Bad(_("The amount %(value)s is too large.") % {"value": clean(cell)})
    return value


def percent(cell: Cell) -> int | None:
    """Physical progress: a whole number from 0 to 100, "45" or "45%"."""
    try:
        value = parse_number(cell).value
    except NumberError:
        value = Decimal(-1)
    if value is None:
        return None
    if value != value.to_integral_value() or not 0 <= value <= 100:
        raise Bad(
            _("“%(value)s” is not a whole percentage from 0 to 100.") % {"value": clean(cell)}
        )
    return int(value)


def month(cell: Cell, today: datetime.date) -> str | None:
    """A month as 2024-09, 2024年9月, 202409 or an Excel date; not one still to come."""
    if is_empty(cell):
        return None
    try:
        period = parse_period(cell if isinstance(cell, datetime.date) else clean(cell))
    except PeriodError:
        period = None
    if period is None or period.frequency is not Frequency.MONTHLY:
        raise Bad(
            _("“%(value)s” is not a month (write 2024-09 or 2024年9月).") % {"value": clean(cell)}
        )
    if period.start > today:
        raise Bad(_("The month %(month)s has not begun yet.") % {"month": period})
    return str(period)


# --- names ------------------------------------------------------------------------------------


@dataclass
class Catalogue:
    """Units and people (the ledger import's `Names`), parks and chain links of one government."""

    names: Names
    parks: dict[str, Park] = field(default_factory=dict)
    links: dict[str, list[ChainLink]] = field(default_factory=dict)  # "chain/link" and "link"

    @classmethod
    def load(cls, government: Region) -> Catalogue:
        catalogue = cls(Names.load(government))
        for park in Park.objects.filter(government=government):
            catalogue.parks[key(park.name)] = park
        links = ChainLink.objects.filter(chain__government=government).select_related("chain")
        for link in links:
            for text in (f"{link.chain.name}/{link.name}", link.name):
                catalogue.links.setdefault(key(text), []).append(link)
        return catalogue

    @property
    def government(self) -> Region:
        return self.names.government

    def unit(self, text: str) -> OrgUnit:
        return self.names.unit(text)

    def leader(self, text: str) -> User:
        return self.names.leader(text)

    def town(self, text: str) -> OrgUnit:
        unit = self.names.unit(text)
        if unit.kind != OrgUnit.Kind.TOWN:
            raise Bad(_("%(unit)s is not a town or subdistrict.") % {"unit": unit.name})
        return unit

    def park(self, text: str) -> Park:
        found = self.parks.get(key(text))
        if found is None:
            raise Bad(
                _("“%(value)s” is not a park of %(government)s.")
                % {"value": text, "government": self.government}
            )
        return found

    def link(self, text: str) -> ChainLink:
        """ "数控机床 / 主轴部件", or the link's name alone when no other link has it."""
        found = self.links.get(key(_CHAIN_SEPARATORS.sub("/", text)), [])
        if not found:
            raise Bad(
                _("“%(value)s” is not a link of an industry chain; write “chain / link”.")
                % {"value": text}
            )
        if len(found) > 1:
            raise Bad(
                _("“%(value)s” names several links: %(links)s; write “chain / link”.")
                % {"value": text, "links": "、".join(str(link) for link in found)}
            )
        return found[0]
