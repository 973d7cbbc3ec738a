"""Investment-promotion demo: Enping's leads pipeline and benefit-sharing agreements, played
through the services.

Each lead enters the pipeline with `lead_create` on its first day, moves through its stages with
`lead_move`, has its contacts logged (`contact_add`), is signed with `lead_sign` (which creates
its key project) or dropped (`lead_drop`), and the signed projects are taken on through their
stages and reports like the other demo projects. The agreements go through `agreement_create`,
`term_save` and `figure_save`. The pipeline then feeds 新招产业项目投资总额 (when the indicators
demo has it) with this year's signed investment. Idempotent: leads are found by company,
agreements by name; what exists is left alone. The data lives in `demo_data`.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from jinwei.accounts.demo import demo_government, demo_unit
from jinwei.accounts.models import Region, User
from jinwei.core.demo import DEMO_NOTE, demo_step, get_or_create
from jinwei.indicators.models import Indicator
from jinwei.investment import benefits, demo_data, funnel, services
from jinwei.investment.demo_data import AgreementSpec, LeadSpec, Signing
from jinwei.investment.models import BenefitAgreement, Lead, PipelineSettings
from jinwei.projects.demo import (
    MANAGER,
    chain_links,
    ensure_people,
    park_rows,
    play_project,
    resolve,
    user_named,
)
from jinwei.projects.demo_data import year_of
from jinwei.projects.models import ChainLink, Park, Project
from jinwei.projects.services import project_update

SIGNED_INVESTMENT_INDICATOR = "新招产业项目投资总额"
Stage = Lead.Stage


@demo_step("investment")
def load_investment() -> int:
    """Investment promotion: leads in every stage (恩大组团 and 正旭新能源 among them), six signed
    into projects, two benefit-sharing agreements, this year's signed investment fed."""
    government = demo_government()
    today = timezone.localdate()
    created = ensure_people() + _load_regions()
    manager = User.objects.get(username=MANAGER)
    pipeline = Pipeline(government, today, manager)
    for spec in demo_data.LEADS:
        created += pipeline.tell(spec)
    for agreement in demo_data.AGREEMENTS:
        created += _load_agreement(agreement, government, today, manager)
    created += _load_settings(government)
    funnel.feed_indicator(actor=manager, government=government, year=today.year, today=today)
    return created


def _load_regions() -> int:
    """Regions of the benefit-sharing partners that the foundation does not have (中山市)."""
    created = 0
    for code, name, short_name, level, parent_code in demo_data.EXTRA_REGIONS:
        parent = Region.objects.filter(code=parent_code).first()
        _, new = get_or_create(
            Region,
            lookup={"code": code},
            defaults={"name": name, "short_name": short_name, "level": level, "parent": parent},
        )
        created += new
    return created


def _load_settings(government: Region) -> int:
    """The pipeline feeds 新招产业项目投资总额 where the indicators demo has it. Created after the
    leads, so the signings of past years leave those years' figures alone."""
    indicator = Indicator.objects.filter(
        government=government, name=SIGNED_INVESTMENT_INDICATOR
    ).first()
    _, new = get_or_create(
        PipelineSettings,
        lookup={"government": government},
        defaults={"signed_investment_indicator": indicator},
    )
    return int(new)


# --- leads --------------------------------------------------------------------------------------


class Pipeline:
    """Plays each lead's story through the pipeline services, on the days the data gives."""

    def __init__(self, government: Region, today: datetime.date, manager: User) -> None:
        self.government = government
        self.today = today
        self.manager = manager
        self.links = chain_links(government)
        self.parks = park_rows(government)

    def day(self, when: demo_data.When) -> datetime.date:
        return resolve(when, self.today)

    def tell(self, spec: LeadSpec) -> int:
        """Create the lead and play its story; 0 if it exists (then it is left alone)."""
        if Lead.objects.filter(government=self.government, company=spec.company).exists():
            return 0
        first_stage, first_day = spec.stages[0]
        lead = services.lead_create(
            actor=self.manager, lead=self._lead(spec, first_stage, first_day), note=DEMO_NOTE
        )
        created = 1
        for on, kind, summary in sorted((self.day(d), k, s) for d, k, s in spec.contacts):
            services.contact_add(actor=self.manager, lead=lead, on=on, kind=kind, summary=summary)
            created += 1
        for stage, when in spec.stages[1:]:
            lead.refresh_from_db()
            if stage == Stage.SIGNED:
                if spec.signing is None:
                    raise ValueError(f"{spec.company}: signed without a signing")
                created += self._sign(lead, spec.signing, self.day(when))
            else:
                services.lead_move(
                    actor=self.manager, lead=lead, to_stage=stage, on=self.day(when), note=DEMO_NOTE
                )
        if spec.dropped:
            lead.refresh_from_db()
            dropped_on, reason = spec.dropped
            services.lead_drop(
                actor=self.manager, lead=lead, reason=reason, on=self.day(dropped_on)
            )
        return created

    def _lead(self, spec: LeadSpec, stage: str, when: demo_data.When) -> Lead:
        return Lead(
            government=self.government,
            company=spec.company,
            project_name=spec.project_name,
            industry=spec.industry,
            chain_link=self._link(spec.link),
            intended_investment=spec.intended_investment,
            source=spec.source,
            source_detail=spec.source_detail,
            owner_unit=demo_unit(spec.owner_unit),
            owner=user_named(spec.owner),
            stage=stage,
            stage_since=self.day(when),
            next_action=spec.next_action,
            next_action_on=self.day(spec.next_action_on) if spec.next_action_on else None,
            contact_name=spec.contact.name if spec.contact else "",
            contact_phone=spec.contact.phone if spec.contact else "",
            contact_email=spec.contact.email if spec.contact else "",
            notes=spec.notes,
            is_illustrative=spec.is_illustrative,
        )

    def _link(self, key: tuple[str, str] | None) -> ChainLink | None:
        return self.links.get(key) if key else None

    def _park(self, name: str) -> Park | None:
        return self.parks.get(name) if name else None

    def _sign(self, lead: Lead, signing: Signing, on: datetime.date) -> int:
        """Sign the lead into its project, then take the project on through its story."""

        def optional(when: demo_data.When | None) -> datetime.date | None:
            return self.day(when) if when is not None else None

        project = services.lead_sign(
            actor=self.manager,
            lead=lead,
            on=on,
            signed_investment=signing.signed_investment,
            project_code=signing.code,
            lead_unit=demo_unit(signing.lead_unit),
            kind=signing.kind,
            park=self._park(signing.park),
            planned_start=optional(signing.planned_start),
            planned_completion=optional(signing.planned_completion),
            leader=user_named(signing.leader),
        )
        if signing.planned_production is not None:
            project = project_update(
                actor=self.manager,
                project=project,
                changes={"planned_production": self.day(signing.planned_production)},
                expected_version=project.version,
                note=DEMO_NOTE,
            )
        return 1 + play_project(project, self.today, stages=signing.stages, reports=signing.reports)


# --- benefit sharing ----------------------------------------------------------------------------


def _load_agreement(
    spec: AgreementSpec, government: Region, today: datetime.date, manager: User
) -> int:
    """The agreement with its terms and yearly figures; 0 if it exists."""
    if BenefitAgreement.objects.filter(government=government, name=spec.name).exists():
        return 0
    regions = {r.code: r for r in Region.objects.all()}
    agreement = benefits.agreement_create(
        actor=manager,
        government=government,
        name=spec.name,
        introducing_region=regions[spec.introducing],
        host_region=regions[spec.host],
        project=Project.objects.filter(government=government, code=spec.project).first(),
        reference=spec.reference,
        notes=spec.notes,
        is_illustrative=True,
    )
    created = 1
    for term in spec.terms:
        benefits.term_save(
            actor=manager,
            agreement=agreement,
            start_year=year_of(term.start_year, today.year),
            end_year=year_of(term.end_year, today.year) if term.end_year is not None else None,
            shares=[
                benefits.ShareInput(regions[code], output, tax, investment)
                for code, output, tax, investment in term.shares
            ],
        )
        created += 1 + len(term.shares)
    for year, output, tax, investment in spec.figures:
        benefits.figure_save(
            actor=manager,
            agreement=agreement,
            year=year_of(year, today.year),
            output_value=output,
            tax=tax,
            investment=investment,
        )
        created += 1
    return created
