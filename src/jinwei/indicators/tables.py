"""Tables shown on a page and exported to Excel from the same definition, so both have the same
columns, in the same order, with the same decimals."""

from __future__ import annotations

from dataclasses import dataclass, field

from jinwei.lib.xlsx import Column, Sheet


@dataclass(frozen=True)
class Link:
    """A cell that links somewhere on the page and is plain text in the export."""

    text: str
    url: str

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Label:
    """A cell shown with a CSS class (status colour, 示例数据 badge); plain text in the export."""

    text: str
    css_class: str = ""

    def __str__(self) -> str:
        return self.text


@dataclass
class Table:
    title: str
    columns: list[Column]
    rows: list[list[object]] = field(default_factory=list)
    name: str = ""  # the Excel tab; the title when empty
    actions: list[list[Link]] = field(default_factory=list)  # per row, on the page only

    def add(self, cells: list[object], actions: list[Link] | None = None) -> None:
        self.rows.append(cells)
        self.actions.append(actions or [])

    def sheet(self) -> Sheet:
        return Sheet(title=self.title, columns=self.columns, rows=self.rows, name=self.name)

    @property
    def has_actions(self) -> bool:
        return any(self.actions)

    def body(self) -> list[tuple[list[tuple[Column, object]], list[Link]]]:
        """Rows as (column, cell) pairs with the row's actions, for the template."""
        actions = self.actions + [[]] * (len(self.rows) - len(self.actions))
        return [
            (list(zip(self.columns, row, strict=True)), row_actions)
            for row, row_actions in zip(self.rows, actions, strict=True)
        ]
