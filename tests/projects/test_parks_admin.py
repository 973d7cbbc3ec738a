"""The chain-link admin applies the pages' rule: a parent in the same chain, never below the link
itself."""

from __future__ import annotations

import pytest

from jinwei.projects.admin_parks import ChainLinkAdminForm
from tests.projects.factories import ChainLinkFactory, IndustryChainFactory

pytestmark = pytest.mark.django_db


def form_for(link, parent):
    data = {
        "chain": link.chain_id,
        "parent": parent.pk,
        "segment": link.segment,
        "name": link.name,
        "description": "",
        "min_enterprises": 2,
        "order": 0,
        "loaded_version": link.version,
    }
    return ChainLinkAdminForm(data, instance=link)


def test_the_admin_form_refuses_a_cycle_and_a_foreign_parent(cast):
    chain = IndustryChainFactory(government=cast.enping)
    top = ChainLinkFactory(chain=chain)
    sub = ChainLinkFactory(chain=chain, parent=top)
    assert not form_for(top, sub).is_valid()
    foreign = ChainLinkFactory(chain=IndustryChainFactory(government=cast.enping))
    assert not form_for(sub, foreign).is_valid()
    sibling = ChainLinkFactory(chain=chain)
    assert form_for(sub, sibling).is_valid()
