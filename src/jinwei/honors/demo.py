"""Honours and practices demo: the titles and the "恩平经验" of the Jiangmen Daily report, recorded
by the supervising office's demo account through the services, as a person would on the pages.

Idempotent: an honour is found by its title and year, a practice by its title; what exists is
left alone (even if someone changed it), what is missing is recorded again. The data and what
in it is illustrative live in `demo_data`.
"""

from __future__ import annotations

from jinwei.accounts.demo import demo_government, demo_unit
from jinwei.accounts.models import Region, User
from jinwei.core.demo import DEMO_NOTE, demo_step
from jinwei.honors import demo_data, services
from jinwei.honors.demo_data import HonourSpec, PracticeSpec
from jinwei.honors.models import Honour, Practice

RECORDER = "supervisor"  # the foundation's supervising-office account records them


@demo_step("honors")
def load_honors() -> int:
    """Honours and practices: the report's sixteen titles over 2021–2024 by level, and its five
    practices recognised or promoted by higher levels."""
    government = demo_government()
    recorder = User.objects.get(username=RECORDER)
    created = 0
    for honour in demo_data.HONOURS:
        created += _record_honour(government, recorder, honour)
    for practice in demo_data.PRACTICES:
        created += _record_practice(government, recorder, practice)
    return created


def _record_honour(government: Region, recorder: User, spec: HonourSpec) -> int:
    if Honour.objects.filter(government=government, title=spec.title, year=spec.year).exists():
        return 0
    honour = Honour(
        government=government,
        title=spec.title,
        level=spec.level,
        year=spec.year,
        awarded_on=spec.awarded_on,
        issuer=spec.issuer,
        category=spec.category,
        unit=demo_unit(spec.unit),
        description=spec.description,
        source=demo_data.ARTICLE if spec.year_from_article else demo_data.CHOSEN_YEAR,
        is_illustrative=not spec.year_from_article,
    )
    services.honour_create(actor=recorder, honour=honour, note=DEMO_NOTE)
    return 1


def _record_practice(government: Region, recorder: User, spec: PracticeSpec) -> int:
    if Practice.objects.filter(government=government, title=spec.title).exists():
        return 0
    practice = Practice(
        government=government,
        title=spec.title,
        description=spec.description,
        recognised_by=spec.recognised_by,
        level=spec.level,
        recognised_on=spec.recognised_on,
        promotion=spec.promotion,
        unit=demo_unit(spec.unit),
        source=demo_data.CHOSEN_DATE,
        is_illustrative=True,
    )
    services.practice_create(actor=recorder, practice=practice, note=DEMO_NOTE)
    return 1
