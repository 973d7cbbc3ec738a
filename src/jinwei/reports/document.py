"""A briefing as plain blocks, before it is written to any format.

`jinwei.reports.compose.build_document` turns the data into a `Document`; the writers
(`docx_writer`, and LibreOffice for the PDF) lay it out. Keeping the content apart from the
layout lets tests read the sentences and numbers without opening a Word file, and lets a later
writer (HTML, Markdown) reuse the same content.

Every number in a block is already formatted (with the indicator's decimals, or a count); the
writer never formats numbers itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal


@dataclass(frozen=True)
class Heading:
    text: str
    level: Literal[1, 2] = 1  # 1: 一、 (黑体); 2: （一） (楷体)


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Table:
    caption: str
    header: list[str]
    rows: list[list[str]]
    numeric: list[bool] = field(default_factory=list)  # per column: right-aligned


@dataclass(frozen=True)
class Series:
    name: str
    values: list[float | None]


@dataclass(frozen=True)
class Chart:
    """A chart to render as an image: bars (grouped when several series) or lines."""

    kind: Literal["bar", "barh", "line"]
    title: str
    categories: list[str]
    series: list[Series]
    unit: str = ""


@dataclass(frozen=True)
class Figure:
    caption: str
    chart: Chart


Block = Heading | Paragraph | Table | Figure


@dataclass
class Document:
    title: str  # 恩平市高质量发展简报
    subtitle: str  # 2024年9月
    issuer: str  # the government's name, on the title page
    date_line: str  # 2024年10月15日
    blocks: list[Block] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # said in the output: e.g. no CJK font found
