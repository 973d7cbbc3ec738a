"""Parks and industry chains: the writes (who may, where a link may sit) and the reads (parks with
their counts, a chain as a tree whose empty and thin links are the targets of 产业链招商).

Enterprises, projects and leads are counted through the reverse relations of `ChainLink` and
`Park` (`enterprises`, `projects`, `leads`), in the database, so this module imports neither the
enterprises nor the investment app.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Count, IntegerField, OuterRef, Prefetch, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from jinwei.accounts.access import scope_to_governments
from jinwei.accounts.models import OrgUnit, Region
from jinwei.accounts.selectors import governments_for
from jinwei.audit.services import tracked_create, tracked_delete, tracked_update
from jinwei.projects import access
from jinwei.projects.models import ChainLink, IndustryChain, Park

Segment = ChainLink.Segment


class LinkStatus(models.TextChoices):
    """How well a link is covered by enterprises (its own and those of its sub-links)."""

    EMPTY = "empty", pgettext_lazy("link status", "Empty")
    THIN = "thin", pgettext_lazy("link status", "Thin")
    COVERED = "covered", pgettext_lazy("link status", "Covered")


GAP_STATUSES = frozenset({LinkStatus.EMPTY, LinkStatus.THIN})
ENTERPRISES_SHOWN = 8  # per link on the chain page; the registry lists the rest


# --- rights and checks --------------------------------------------------------------------------


def _require_manager(actor: Any, government_id: int | None) -> None:
    if not access.may_manage(actor, government_id):
        raise PermissionDenied(
            _("Only investment staff and the supervising office manage parks and chains.")
        )


def _check_park(government_id: int, unit: OrgUnit | None, chains: Iterable[IndustryChain]) -> None:
    """The managing unit and the focus chains belong to the park's government."""
    if unit is not None and unit.government_id != government_id:
        raise ValidationError(
            {
                "managing_unit": _("The managing unit %(unit)s works for another government.")
                % {"unit": unit.name}
            }
        )
    foreign = [c.name for c in chains if c.government_id != government_id]
    if foreign:
        raise ValidationError(
            {
                "chains": _("These chains belong to another government: %(names)s.")
                % {"names": ", ".join(foreign)}
            }
        )


def _parent_ids(chain_id: int) -> dict[int, int | None]:
    """Each link of the chain and its parent, in one query."""
    return dict(ChainLink.objects.filter(chain_id=chain_id).values_list("pk", "parent_id"))


def check_link_parent(link: ChainLink) -> None:
    """A parent in the same chain, and never the link itself or one of its sub-links."""
    parent = link.parent
    if parent is None:
        return
    if parent.chain_id != link.chain_id:
        raise ValidationError(
            {
                "parent": _("The parent link “%(parent)s” belongs to another chain.")
                % {"parent": parent.name}
            }
        )
    if link.pk is None:
        return
    parents = _parent_ids(link.chain_id)
    step: int | None = parent.pk
    seen: set[int] = set()
    while step is not None and step not in seen:
        if step == link.pk:
            raise ValidationError(
                {"parent": _("A link cannot sit under itself or under one of its own sub-links.")}
            )
        seen.add(step)
        step = parents.get(step)


# --- parks ------------------------------------------------------------------------------------


@transaction.atomic
def park_create(*, actor: Any, park: Park, chains: Iterable[IndustryChain] = ()) -> Park:
    chains = list(chains)
    _require_manager(actor, park.government_id)
    _check_park(park.government_id, park.managing_unit, chains)
    return tracked_create(actor=actor, obj=park, m2m={"chains": chains})


@transaction.atomic
def park_update(
    *, actor: Any, park: Park, changes: Mapping[str, Any], expected_version: int | None
) -> Park:
    """`changes` maps field names to new values; `chains` to the full list of focus chains."""
    _require_manager(actor, park.government_id)
    if "government" in changes or "government_id" in changes:
        raise ValidationError(_("A park cannot move to another government."))
    unit = changes.get("managing_unit")
    _check_park(park.government_id, unit, changes.get("chains") or [])
    return tracked_update(
        actor=actor, obj=park, changes=dict(changes), expected_version=expected_version
    )


# --- chains and links -------------------------------------------------------------------------


@transaction.atomic
def chain_create(*, actor: Any, chain: IndustryChain) -> IndustryChain:
    _require_manager(actor, chain.government_id)
    return tracked_create(actor=actor, obj=chain)


@transaction.atomic
def chain_update(
    *,
    actor: Any,
    chain: IndustryChain,
    changes: Mapping[str, Any],
    expected_version: int | None,
) -> IndustryChain:
    _require_manager(actor, chain.government_id)
    if "government" in changes or "government_id" in changes:
        raise ValidationError(_("A chain cannot move to another government."))
    return tracked_update(
        actor=actor, obj=chain, changes=dict(changes), expected_version=expected_version
    )


@transaction.atomic
def link_create(*, actor: Any, link: ChainLink) -> ChainLink:
    _require_manager(actor, link.chain.government_id)
    check_link_parent(link)
    return tracked_create(actor=actor, obj=link)


@transaction.atomic
def link_update(
    *, actor: Any, link: ChainLink, changes: Mapping[str, Any], expected_version: int | None
) -> ChainLink:
    _require_manager(actor, link.chain.government_id)
    if "chain" in changes or "chain_id" in changes:
        raise ValidationError({"chain": _("A link cannot move to another chain.")})
    if "parent" in changes:
        probe = ChainLink(pk=link.pk, chain_id=link.chain_id, parent=changes["parent"])
        check_link_parent(probe)
    return tracked_update(
        actor=actor, obj=link, changes=dict(changes), expected_version=expected_version
    )


@transaction.atomic
def link_delete(*, actor: Any, link: ChainLink, expected_version: int | None) -> None:
    """Refused while sub-links, enterprises, projects or leads hang on the link: deleting it
    would silently drop them (sub-links) or unplace them without a trace in their history."""
    _require_manager(actor, link.chain.government_id)
    if link.children.exists():
        raise ValidationError(
            _("“%(link)s” has sub-links; move or delete them first.") % {"link": link.name}
        )
    counted = _annotated_links(ChainLink.objects.filter(pk=link.pk)).get()
    placed = {
        "enterprises": counted.enterprise_count,  # type: ignore[attr-defined]
        "projects": counted.project_count,  # type: ignore[attr-defined]
        "leads": counted.lead_count,  # type: ignore[attr-defined]
    }
    if any(placed.values()):
        raise ValidationError(
            _(
                "“%(link)s” still has enterprises (%(enterprises)s), projects (%(projects)s) or "
                "leads (%(leads)s) placed on it; move them to another link first."
            )
            % {"link": link.name, **placed}
        )
    tracked_delete(actor=actor, obj=link, expected_version=expected_version)


# --- counting through reverse relations ---------------------------------------------------------


def count_of(model: type[models.Model], relation: str, **conditions: Any) -> Any:
    """An annotation counting the rows of `model`'s reverse relation `relation` per row, as a
    subquery (no join fan-out however many relations are counted); 0 when the app holding the
    relation is not installed."""
    try:
        reverse: Any = model._meta.get_field(relation)
    except FieldDoesNotExist:
        return Value(0, output_field=IntegerField())
    related = reverse.related_model
    fk = reverse.field.name
    rows = (
        related._default_manager.filter(**{fk: OuterRef("pk")}, **conditions)
        .order_by()
        .values(fk)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def _annotated_links(links: QuerySet[ChainLink]) -> QuerySet[ChainLink]:
    """Links with their enterprises, projects and leads still pursued (not dropped)."""
    return links.annotate(
        enterprise_count=count_of(ChainLink, "enterprises"),
        project_count=count_of(ChainLink, "projects"),
        lead_count=count_of(ChainLink, "leads", dropped_on__isnull=True),
    )


# --- reads: governments, parks ----------------------------------------------------------------


def chosen_government(*, viewer: Any, code: str = "") -> tuple[Region, list[Region]]:
    """The government asked for by its code, else the viewer's first; 404 for one the viewer
    does not work for (or when they work for none)."""
    governments = list(governments_for(viewer).order_by("code"))
    if code:
        for government in governments:
            if government.code == code:
                return government, governments
        raise Http404
    if not governments:
        raise Http404
    return governments[0], governments


def park_queryset(*, viewer: Any) -> QuerySet[Park]:
    parks = Park.objects.select_related("government", "managing_unit")
    return scope_to_governments(parks, viewer, "government_id")


def park_list(*, viewer: Any, government: Region) -> QuerySet[Park]:
    """The government's parks with their focus chains and how many projects and enterprises
    each holds (three queries, whatever the number of parks)."""
    return (
        park_queryset(viewer=viewer)
        .filter(government=government)
        .annotate(
            project_count=count_of(Park, "projects"),
            enterprise_count=count_of(Park, "enterprises"),
        )
        .prefetch_related(Prefetch("chains", IndustryChain.objects.order_by("order", "id")))
        .order_by("name")
    )


@dataclass
class ParkPage:
    park: Park
    chains: list[IndustryChain]
    projects: list[Any]
    enterprises: list[Any]


def park_page(*, park: Park) -> ParkPage:
    """What the park's page shows: its focus chains, projects and enterprises."""
    return ParkPage(
        park=park,
        chains=list(park.chains.order_by("order", "id")),
        projects=list(park.projects.select_related("lead_unit", "chain_link").order_by("code")),
        enterprises=list(park.enterprises.select_related("chain_link", "town").order_by("name")),
    )


# --- reads: chains as trees -------------------------------------------------------------------


@dataclass
class LinkNode:
    """One link with what is placed on it, its sub-links and its coverage."""

    link: ChainLink
    enterprise_count: int
    project_count: int
    lead_count: int
    depth: int = 0
    children: list[LinkNode] = field(default_factory=list)
    total_enterprises: int = 0  # its own and its sub-links'
    enterprises: list[dict[str, Any]] = field(default_factory=list)

    @property
    def status(self) -> LinkStatus:
        """Empty with no enterprise (on it or below), thin below its `min_enterprises`."""
        if self.total_enterprises == 0:
            return LinkStatus.EMPTY
        if self.total_enterprises < self.link.min_enterprises:
            return LinkStatus.THIN
        return LinkStatus.COVERED

    @property
    def shown_enterprises(self) -> list[dict[str, Any]]:
        return self.enterprises[:ENTERPRISES_SHOWN]

    @property
    def more_enterprises(self) -> int:
        """Enterprises on the link beyond those named on the chain page."""
        return max(0, self.enterprise_count - ENTERPRISES_SHOWN)

    @property
    def is_gap(self) -> bool:
        return self.status in GAP_STATUSES

    @property
    def status_label(self) -> str:
        return str(self.status.label)

    def walk(self) -> Iterator[LinkNode]:
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class ChainTree:
    chain: IndustryChain
    roots: list[LinkNode]
    by_id: dict[int, LinkNode]

    def nodes(self) -> list[LinkNode]:
        """Every link, depth first, in the order of the tree."""
        return [node for root in self.roots for node in root.walk()]

    def segments(self) -> list[tuple[str, str, list[LinkNode]]]:
        """(value, label, top-level links) for upstream, midstream and downstream, in order."""
        return [
            (value, str(label), [r for r in self.roots if r.link.segment == value])
            for value, label in Segment.choices
        ]

    def gaps(self) -> list[LinkNode]:
        """The empty and thin links: the targets for 产业链招商."""
        return [node for node in self.nodes() if node.is_gap]

    def status_counts(self) -> dict[str, int]:
        counts = dict.fromkeys(LinkStatus.values, 0)
        for node in self.nodes():
            counts[node.status.value] += 1
        return counts

    def status_rows(self) -> list[tuple[str, str, int]]:
        """(value, label, number of links) per status, in the order empty, thin, covered."""
        counts = self.status_counts()
        return [(value, str(label), counts[value]) for value, label in LinkStatus.choices]

    @property
    def enterprise_count(self) -> int:
        return sum(node.enterprise_count for node in self.by_id.values())


def _build(chain: IndustryChain, links: Sequence[Any]) -> ChainTree:
    by_id = {
        link.pk: LinkNode(
            link=link,
            enterprise_count=link.enterprise_count,
            project_count=link.project_count,
            lead_count=link.lead_count,
        )
        for link in links
    }
    roots: list[LinkNode] = []
    for node in by_id.values():
        parent = by_id.get(node.link.parent_id) if node.link.parent_id else None
        (parent.children if parent is not None else roots).append(node)
    _total_from_below(roots)
    return ChainTree(chain=chain, roots=roots, by_id=by_id)


def _total_from_below(roots: list[LinkNode]) -> None:
    """Depths and subtree enterprise totals, without recursion (deep trees stay safe)."""
    order: list[LinkNode] = []
    stack = [(root, 0) for root in reversed(roots)]
    while stack:
        node, depth = stack.pop()
        node.depth = depth
        order.append(node)
        stack.extend((child, depth + 1) for child in reversed(node.children))
    for node in reversed(order):
        node.total_enterprises = node.enterprise_count + sum(
            c.total_enterprises for c in node.children
        )


def chain_trees(chains: Sequence[IndustryChain]) -> dict[int, ChainTree]:
    """Each chain's tree with its counts: one query for all their links."""
    links = _annotated_links(ChainLink.objects.filter(chain__in=chains)).order_by(
        "chain_id", "order", "id"
    )
    grouped: dict[int, list[ChainLink]] = {chain.pk: [] for chain in chains}
    for link in links:
        grouped[link.chain_id].append(link)
    return {chain.pk: _build(chain, grouped[chain.pk]) for chain in chains}


def chain_tree(chain: IndustryChain, *, with_enterprises: bool = False) -> ChainTree:
    """The chain's links as a tree, each with its counts and status; with `with_enterprises`,
    the enterprises placed on each link too (one more query)."""
    tree = chain_trees([chain])[chain.pk]
    if with_enterprises:
        rows = (
            ChainLink.objects.filter(chain=chain, enterprises__isnull=False)
            .values("pk", "enterprises__pk", "enterprises__name")
            .order_by("enterprises__name", "enterprises__pk")
        )
        for row in rows:
            tree.by_id[row["pk"]].enterprises.append(
                {"pk": row["enterprises__pk"], "name": row["enterprises__name"]}
            )
    return tree


def chain_queryset(*, viewer: Any) -> QuerySet[IndustryChain]:
    chains = IndustryChain.objects.select_related("government")
    return scope_to_governments(chains, viewer, "government_id")


def link_queryset(*, viewer: Any) -> QuerySet[ChainLink]:
    links = ChainLink.objects.select_related("chain", "chain__government", "parent")
    return scope_to_governments(links, viewer, "chain__government_id")


@dataclass
class ChainSummary:
    chain: IndustryChain
    tree: ChainTree

    @property
    def link_count(self) -> int:
        return len(self.tree.by_id)

    def status_rows(self) -> list[tuple[str, str, int]]:
        return self.tree.status_rows()


def chain_list(*, viewer: Any, government: Region) -> list[ChainSummary]:
    """The government's chains, each with its number of links, enterprises and gaps (two
    queries, whatever the number of chains and links)."""
    chains = list(chain_queryset(viewer=viewer).filter(government=government))
    trees = chain_trees(chains)
    return [ChainSummary(chain=chain, tree=trees[chain.pk]) for chain in chains]


def subtree_ids(link: ChainLink) -> set[int]:
    """The link and every link below it (for the parent chooser: not under itself)."""
    parents = _parent_ids(link.chain_id)
    children: dict[int | None, list[int]] = {}
    for pk, parent_id in parents.items():
        children.setdefault(parent_id, []).append(pk)
    found, stack = set(), [link.pk]
    while stack:
        pk = stack.pop()
        if pk in found:
            continue
        found.add(pk)
        stack.extend(children.get(pk, []))
    return found
