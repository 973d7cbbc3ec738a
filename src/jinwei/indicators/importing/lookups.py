"""Names to rows, loaded once per import: indicators, regions and units of one government.

A statistical table names things the way people write them: "恩平市" or "恩平" or 440785,
"地区生产总值" or "GDP" or the indicator's code. Every spelling is indexed up front so the
per-row work is a dictionary look-up, never a query.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from jinwei.accounts.models import OrgUnit, Region
from jinwei.indicators.models import Indicator

REGION_SUFFIXES = ("自治县", "街道", "市", "区", "县", "镇", "乡")
_UNIT_IN_HEADER = re.compile(r"^(.*?)\s*[(（\[【]\s*([^()（）\[\]【】]+?)\s*[)）\]】]\s*$")


def key(text: object) -> str:
    """The comparable form of a name: NFKC, no blanks, case-folded."""
    if isinstance(text, float) and text.is_integer():
        text = int(text)
    return "".join(unicodedata.normalize("NFKC", str(text)).split()).casefold()


def split_unit(text: str) -> tuple[str, str]:
    """ "地区生产总值（亿元）" -> ("地区生产总值", "亿元"); text without a unit -> (text, "")."""
    match = _UNIT_IN_HEADER.match(text.strip())
    if not match or not match.group(1):
        return text.strip(), ""
    return match.group(1).strip(), match.group(2).strip()


@dataclass(frozen=True)
class Place:
    """Where an observation is: a region or an org unit (exactly one of the two)."""

    region_id: int | None
    unit_id: int | None
    label: str


@dataclass
class Lookups:
    government: Region
    indicators: dict[str, Indicator] = field(default_factory=dict)
    places: dict[str, list[Place]] = field(default_factory=dict)
    by_id: dict[int, Indicator] = field(default_factory=dict)
    unit_places: dict[int, Place] = field(default_factory=dict)

    @classmethod
    def load(cls, government: Region) -> Lookups:
        lookups = cls(government)
        indicators = Indicator.objects.filter(government=government).select_related("owner_unit")
        for indicator in indicators:
            lookups.by_id[indicator.pk] = indicator
            for name in indicator.names():
                lookups.indicators.setdefault(key(name), indicator)
        for region in Region.objects.only("id", "code", "name", "short_name"):
            place = Place(region.pk, None, region.name)
            for name in _region_names(region):
                lookups._add_place(name, place)
        for unit in OrgUnit.objects.filter(government=government).only("id", "name", "short_name"):
            place = Place(None, unit.pk, unit.name)
            lookups.unit_places[unit.pk] = place
            for name in (unit.name, unit.short_name):
                if name:
                    lookups._add_place(name, place)
        return lookups

    def _add_place(self, name: str, place: Place) -> None:
        options = self.places.setdefault(key(name), [])
        if place not in options:
            options.append(place)

    def indicator(self, text: object) -> Indicator | None:
        """By code, name or alias; a unit in brackets after the name is allowed."""
        found = self.indicators.get(key(text))
        if found is None and isinstance(text, str):
            name, unit = split_unit(text)
            if unit:
                found = self.indicators.get(key(name))
        return found

    def place(self, text: object) -> list[Place]:
        """Regions first: a town that is both a region and a unit is taken as the region."""
        options = self.places.get(key(text), [])
        regions = [p for p in options if p.region_id is not None]
        return regions or options

    def home(self) -> Place:
        return Place(self.government.pk, None, self.government.name)


def _region_names(region: Region) -> list[str]:
    names = [region.code, region.name]
    if region.short_name:
        names.append(region.short_name)
    for suffix in REGION_SUFFIXES:
        if region.name.endswith(suffix) and len(region.name) > len(suffix) + 1:
            names.append(region.name[: -len(suffix)])
            break
    return names
