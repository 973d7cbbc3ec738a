"""Render the cells of a `jinwei.indicators.tables.Table`."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from jinwei.indicators.selectors import period_label
from jinwei.indicators.tables import Label, Link
from jinwei.lib.periods import Period
from jinwei.lib.xlsx import Column, Number

register = template.Library()


def format_number(value: Decimal | float | int | None, decimals: int) -> str:
    """1234.5 with 2 decimals -> "1,234.50"; "—" when there is no value."""
    return "—" if value is None else f"{value:,.{decimals}f}"


@register.simple_tag
def table_cell(column: Column, cell: object) -> SafeString:
    if isinstance(cell, Number):
        return format_html('<td class="num">{}</td>', format_number(cell.value, cell.decimals))
    if column.decimals is not None and isinstance(cell, Decimal | int | float | type(None)):
        return format_html('<td class="num">{}</td>', format_number(cell, column.decimals))
    if isinstance(cell, Link):
        return format_html('<td><a href="{}">{}</a></td>', cell.url, cell.text)
    if isinstance(cell, Label):
        if not cell.text:
            return mark_safe("<td></td>")
        return format_html('<td><span class="{}">{}</span></td>', cell.css_class, cell.text)
    return format_html("<td>{}</td>", "" if cell is None else cell)


@register.filter
def decimals(value: Decimal | float | int | None, places: int) -> str:
    """A number with the indicator's decimals and thousands separators."""
    return format_number(value, int(places))


@register.filter
def period(value: Period) -> str:
    """2024-06 as 2024年6月 in Chinese, as written in English."""
    return period_label(value)
