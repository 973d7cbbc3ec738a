"""Peer groups for the ranking tests, built directly (the services have their own tests)."""

from __future__ import annotations

from collections.abc import Iterable

from jinwei.accounts.models import Region
from jinwei.rankings.models import PeerGroup
from tests.conftest import Cast


def custom_group(cast: Cast, members: Iterable[Region], name: str = "对标县") -> PeerGroup:
    group = PeerGroup.objects.create(government=cast.enping, name=name)
    group.members.set(list(members))
    return group


def children_group(cast: Cast, name: str = "江门市县级单位") -> PeerGroup:
    """The children of 江门市: in the cast, 恩平市 and 台山市."""
    return PeerGroup.objects.create(government=cast.enping, name=name, parent=cast.jiangmen)
