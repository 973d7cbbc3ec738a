"""The derived status of a goal, and the goals tree it is shown in.

A goal's status is never typed: it follows from everything under the goal, that is the tasks of
the goal and of all its sub-goals (to any depth), and the indicators linked to the goal and to its
sub-goals. The rules, checked in this order (the first that applies wins):

1. **At risk** — an open task is red (overdue, or far behind its schedule), or an indicator is red
   against its target (more than 30 points behind time progress).
2. **Needs attention** — an open task is yellow (due soon, or behind its schedule), or an
   indicator is yellow against its target.
3. **Not started** — no task has been assigned yet: there are none, or only drafts and cancelled
   ones.
4. **Achieved** — no task is open any more, at least one was closed, and every indicator that has
   a target is on or ahead of it.
5. **On track** — otherwise: tasks are under way and nothing is yellow or red.

"Open" means assigned, in progress or waiting for the completion review. An indicator without a
target (or without a value in the target's year) gives no signal. Task colours come from
`timing.py` (the database filters of `colour_q`), indicator colours from
`jinwei.indicators.progress`.

Pure code: no database. `goal_selectors.py` loads the counts and signals and calls `derive`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Generic, TypeVar

from django.utils.translation import gettext_lazy as _


class GoalStatus(StrEnum):
    AT_RISK = "at_risk"
    ATTENTION = "attention"
    NOT_STARTED = "not_started"
    ACHIEVED = "achieved"
    ON_TRACK = "on_track"

    @property
    def label(self) -> str:
        return str(STATUS_LABELS[self])

    @property
    def rule(self) -> str:
        return str(STATUS_RULES[self])

    @property
    def css(self) -> str:
        """The colour class of the status badge."""
        return STATUS_CSS[self]


STATUS_LABELS = {
    GoalStatus.AT_RISK: _("At risk"),
    GoalStatus.ATTENTION: _("Needs attention"),
    GoalStatus.NOT_STARTED: _("Not started"),
    GoalStatus.ACHIEVED: _("Achieved"),
    GoalStatus.ON_TRACK: _("On track"),
}

STATUS_RULES = {
    GoalStatus.AT_RISK: _(
        "An open task is red (overdue or far behind), or an indicator is red against its target."
    ),
    GoalStatus.ATTENTION: _(
        "An open task is yellow (due soon or behind), or an indicator is yellow against its target."
    ),
    GoalStatus.NOT_STARTED: _("No task has been assigned yet."),
    GoalStatus.ACHIEVED: _(
        "Every task is closed and every indicator with a target is on or ahead of it."
    ),
    GoalStatus.ON_TRACK: _("Tasks are under way and nothing is yellow or red."),
}

STATUS_CSS = {
    GoalStatus.AT_RISK: "status-red",
    GoalStatus.ATTENTION: "status-yellow",
    GoalStatus.NOT_STARTED: "status-none",
    GoalStatus.ACHIEVED: "status-done",
    GoalStatus.ON_TRACK: "status-green",
}

# The order of the rules above, for the legend of the pages.
STATUS_ORDER = [
    GoalStatus.AT_RISK,
    GoalStatus.ATTENTION,
    GoalStatus.NOT_STARTED,
    GoalStatus.ACHIEVED,
    GoalStatus.ON_TRACK,
]


# 百千万工程: what the plan calls each horizon (shown when a goal names no stage of its own).
STAGES = {
    1: _("Off to a start in one year"),
    3: _("First results in three years"),
    5: _("Marked change in five years"),
    10: _("Fundamental change in ten years"),
}


def stage_of(stage: str, horizon: int | None) -> str:
    """The goal's stage as written, or the plan's name for its horizon."""
    if stage:
        return stage
    return str(STAGES[horizon]) if horizon in STAGES else ""


class Signal(StrEnum):
    """Where one indicator stands against its target, as far as a goal is concerned."""

    MET = "met"  # on or ahead of time progress
    GREEN = "green"  # behind, but within the tolerance
    YELLOW = "yellow"
    RED = "red"
    NONE = "none"  # no target, or no value in the target's year


@dataclass(frozen=True)
class TaskTally:
    """How many tasks there are in each colour or state."""

    draft: int = 0
    green: int = 0
    yellow: int = 0
    red: int = 0
    closed: int = 0
    cancelled: int = 0

    def __add__(self, other: TaskTally) -> TaskTally:
        return TaskTally(
            draft=self.draft + other.draft,
            green=self.green + other.green,
            yellow=self.yellow + other.yellow,
            red=self.red + other.red,
            closed=self.closed + other.closed,
            cancelled=self.cancelled + other.cancelled,
        )

    @property
    def open(self) -> int:
        return self.green + self.yellow + self.red

    @property
    def assigned(self) -> int:
        """Tasks handed to a unit at some point and not cancelled: open or closed."""
        return self.open + self.closed

    @property
    def total(self) -> int:
        return self.assigned + self.draft + self.cancelled


def derive(tally: TaskTally, signals: Iterable[Signal]) -> GoalStatus:
    """The status of a goal from its tasks and its indicators (see the module's rules)."""
    signals = set(signals)
    if tally.red or Signal.RED in signals:
        return GoalStatus.AT_RISK
    if tally.yellow or Signal.YELLOW in signals:
        return GoalStatus.ATTENTION
    if not tally.assigned:
        return GoalStatus.NOT_STARTED
    if not tally.open and signals <= {Signal.MET, Signal.NONE}:
        return GoalStatus.ACHIEVED
    return GoalStatus.ON_TRACK


# --- the tree -----------------------------------------------------------------------------------

T = TypeVar("T")


@dataclass
class Node(Generic[T]):
    """One goal in the tree, with what is under it."""

    item: T
    depth: int = 0
    children: list[Node[T]] = field(default_factory=list)
    own: TaskTally = field(default_factory=TaskTally)  # the goal's own tasks
    tally: TaskTally = field(default_factory=TaskTally)  # its own and its sub-goals' tasks
    signals: list[Signal] = field(default_factory=list)  # its own and its sub-goals' indicators
    status: GoalStatus = GoalStatus.NOT_STARTED
    lines: list[Any] = field(default_factory=list)  # for display: the item's own indicators
    stage: str = ""  # for display: the item's stage or the plan's name for its horizon

    def walk(self) -> Iterable[Node[T]]:
        """This node and every node under it, depth first."""
        yield self
        for child in self.children:
            yield from child.walk()


def build_tree(
    items: Sequence[T],
    *,
    key: Callable[[T], int],
    parent_key: Callable[[T], int | None],
    own_tally: Callable[[T], TaskTally] = lambda item: TaskTally(),
    own_signals: Callable[[T], Iterable[Signal]] = lambda item: (),
) -> list[Node[T]]:
    """The items as a forest in their given order, each node with its subtree's status.

    An item whose parent is not among the items becomes a root; so does an item caught in a
    cycle (the services refuse cycles, but a tree page must not loop or lose goals).
    """
    nodes = {key(item): Node(item) for item in items}
    roots: list[Node[T]] = []
    for item in items:
        parent = parent_key(item)
        if parent is not None and parent in nodes and parent != key(item):
            nodes[parent].children.append(nodes[key(item)])
        else:
            roots.append(nodes[key(item)])
    seen: set[int] = set()
    for root in roots:
        _settle(root, 0, seen, key, own_tally, own_signals)
    for item in items:  # unreached: a cycle; cut it at its first member
        if key(item) not in seen:
            node = nodes[key(item)]
            for other in nodes.values():
                if node in other.children and key(other.item) not in seen:
                    other.children.remove(node)
            roots.append(node)
            _settle(node, 0, seen, key, own_tally, own_signals)
    return roots


def _settle(
    node: Node[T],
    depth: int,
    seen: set[int],
    key: Callable[[T], int],
    own_tally: Callable[[T], TaskTally],
    own_signals: Callable[[T], Iterable[Signal]],
) -> None:
    """Depths, subtree tallies and signals, and the status, bottom up."""
    seen.add(key(node.item))
    node.depth = depth
    node.children = [c for c in node.children if key(c.item) not in seen]
    node.own = own_tally(node.item)
    node.tally = node.own
    node.signals = list(own_signals(node.item))
    for child in node.children:
        _settle(child, depth + 1, seen, key, own_tally, own_signals)
        node.tally = node.tally + child.tally
        node.signals += child.signals
    node.status = derive(node.tally, node.signals)
