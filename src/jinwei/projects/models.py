"""Parks, industry chains and key projects (重点项目): stages, milestones, annual investment plans
and monthly completed-investment reports.

Amounts are in 万元 (ten thousand yuan), as county project ledgers keep them. A project's schedule
colour is computed from its dates and its latest physical progress (`schedule.py`), never typed.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jinwei.accounts.models import OrgUnit, Region
from jinwei.audit.models import TrackedModel
from jinwei.lib.ownership import Ownership

percent_validators = [MinValueValidator(0), MaxValueValidator(100)]


def amount_field(verbose_name: Any, **options: Any) -> models.DecimalField[Any, Any]:
    """An amount in 万元 (two decimals, as project ledgers keep them)."""
    return models.DecimalField(verbose_name, max_digits=14, decimal_places=2, **options)


class IndustryChain(TrackedModel):
    """An industry chain the government targets (智能装备制造, 新材料, 数控机床 …)."""

    government = models.ForeignKey(
        Region, verbose_name=_("government"), on_delete=models.PROTECT, related_name="chains"
    )
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    is_illustrative = models.BooleanField(_("illustrative"), default=False)

    class Meta:
        verbose_name = _("industry chain")
        verbose_name_plural = _("industry chains")
        ordering = ["government", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["government", "name"], name="chain_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name

    def ownership(self) -> Ownership:
        return Ownership(government_id=self.government_id)


class ChainLink(TrackedModel):
    """A link of a chain (a segment, a product, a component), nested to any depth.

    A link with fewer enterprises than `min_enterprises` is thin; with none, empty: the targets of
    产业链招商.
    """

    class Segment(models.TextChoices):
        UPSTREAM = "upstream", _("Upstream")
        MIDSTREAM = "midstream", _("Midstream")
        DOWNSTREAM = "downstream", _("Downstream")

    chain = models.ForeignKey(
        IndustryChain, verbose_name=_("chain"), on_delete=models.CASCADE, related_name="links"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent link"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    segment = models.CharField(_("segment"), max_length=10, choices=Segment.choices)
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    min_enterprises = models.PositiveSmallIntegerField(
        _("thin below (enterprises)"),
        default=2,
        help_text=_("A link with fewer enterprises than this is shown as thin."),
    )
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("chain link")
        verbose_name_plural = _("chain links")
        ordering = ["chain", "order", "id"]

    def __str__(self) -> str:
        return f"{self.chain.name} · {self.name}" if self.chain_id else self.name

    def ownership(self) -> Ownership:
        return self.chain.ownership()


class Park(TrackedModel):
    """An industrial park (产业园区) with its focus industries and managing unit."""

    government = models.ForeignKey(
        Region, verbose_name=_("government"), on_delete=models.PROTECT, related_name="parks"
    )
    name = models.CharField(_("name"), max_length=100)
    area_mu = models.DecimalField(
        _("area (mu)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    focus_industries = models.CharField(_("focus industries"), max_length=200, blank=True)
    chains = models.ManyToManyField(
        IndustryChain, verbose_name=_("focus chains"), blank=True, related_name="parks"
    )
    managing_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("managing unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="managed_parks",
    )
    location = models.CharField(_("location"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    is_illustrative = models.BooleanField(_("illustrative"), default=False)

    class Meta:
        verbose_name = _("park")
        verbose_name_plural = _("parks")
        ordering = ["government", "name"]
        constraints = [
            models.UniqueConstraint(fields=["government", "name"], name="park_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name

    def ownership(self) -> Ownership:
        return Ownership(government_id=self.government_id, unit_id=self.managing_unit_id)


class ProjectRules(TrackedModel):
    """One government's rules for project schedule colours and the indicator the projects feed."""

    government = models.OneToOneField(
        Region, verbose_name=_("government"), on_delete=models.CASCADE, related_name="project_rules"
    )
    yellow_behind_points = models.PositiveSmallIntegerField(
        _("yellow when behind by more than (points)"), default=10
    )
    red_behind_points = models.PositiveSmallIntegerField(
        _("red when behind by more than (points)"), default=30
    )
    not_started_red_months = models.PositiveSmallIntegerField(
        _("red when not started this many months after the planned start"), default=3
    )
    completed_investment_indicator = models.ForeignKey(
        "indicators.Indicator",
        verbose_name=_("indicator fed by completed investment"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("e.g. 重点项目完成投资: the projects' completed investment is written to it."),
    )

    class Meta:
        verbose_name = _("project rules")
        verbose_name_plural = _("project rules")
        constraints = [
            models.CheckConstraint(
                condition=Q(yellow_behind_points__lte=models.F("red_behind_points")),
                name="projectrules_yellow_before_red",
            ),
        ]

    def __str__(self) -> str:
        return str(self.government)

    def ownership(self) -> Ownership:
        return Ownership(government_id=self.government_id)


class Project(TrackedModel):
    """A key project (重点项目)."""

    class Kind(models.TextChoices):
        INDUSTRIAL = "industrial", _("Industrial")
        INFRASTRUCTURE = "infrastructure", _("Infrastructure")
        PUBLIC_SERVICE = "public_service", _("Public service")

    class Stage(models.TextChoices):
        SIGNED = "signed", _("Signed")
        STARTED = "started", _("Construction started")
        UNDER_CONSTRUCTION = "under_construction", _("Under construction")
        COMPLETED = "completed", _("Completed")
        IN_PRODUCTION = "in_production", _("In production")

    government = models.ForeignKey(
        Region, verbose_name=_("government"), on_delete=models.PROTECT, related_name="projects"
    )
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("type"), max_length=16, choices=Kind.choices)
    description = models.TextField(_("description"), blank=True)
    park = models.ForeignKey(
        Park,
        verbose_name=_("park"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects",
    )
    chain_link = models.ForeignKey(
        ChainLink,
        verbose_name=_("chain link"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="projects",
    )
    investor = models.CharField(_("investor"), max_length=200, blank=True)
    investor_contact = models.CharField(_("investor contact"), max_length=100, blank=True)
    investor_phone = models.CharField(_("investor phone"), max_length=50, blank=True)
    investor_email = models.EmailField(_("investor e-mail"), blank=True)
    total_investment = amount_field(_("total investment (10,000 yuan)"))
    lead_unit = models.ForeignKey(
        OrgUnit, verbose_name=_("lead unit"), on_delete=models.PROTECT, related_name="projects"
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("leader in charge"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="projects_in_charge",
    )
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.SIGNED)
    # planned dates (the schedule) and actual ones (reached stages)
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    planned_completion = models.DateField(_("planned completion"), null=True, blank=True)
    planned_production = models.DateField(_("planned production"), null=True, blank=True)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    started_on = models.DateField(_("construction started on"), null=True, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    production_on = models.DateField(_("in production on"), null=True, blank=True)
    # latest physical progress (形象进度), copied from the newest monthly report
    progress = models.PositiveSmallIntegerField(
        _("physical progress (%)"), default=0, validators=percent_validators
    )
    # map-free location
    town = models.ForeignKey(
        OrgUnit,
        verbose_name=_("town"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="located_projects",
        limit_choices_to={"kind": OrgUnit.Kind.TOWN},
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    plot = models.CharField(_("plot"), max_length=100, blank=True, help_text=_("e.g. 地块编号"))
    is_illustrative = models.BooleanField(_("illustrative"), default=False)

    class Meta:
        verbose_name = _("key project")
        verbose_name_plural = _("key projects")
        ordering = ["government", "code"]
        constraints = [
            models.UniqueConstraint(fields=["government", "code"], name="project_unique_code"),
            models.CheckConstraint(
                condition=Q(total_investment__gte=0), name="project_investment_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(planned_start__isnull=True)
                | Q(planned_completion__isnull=True)
                | Q(planned_start__lte=models.F("planned_completion")),
                name="project_planned_dates_ordered",
            ),
        ]
        indexes = [
            models.Index(fields=["government", "stage"], name="project_government_stage"),
            models.Index(fields=["lead_unit", "stage"], name="project_unit_stage"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def ownership(self) -> Ownership:
        return Ownership(government_id=self.government_id, unit_id=self.lead_unit_id)


class ProjectStageChange(models.Model):
    """One step of a project through its stages: when it was reached, who recorded it."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="stage_changes"
    )
    from_stage = models.CharField(
        _("from"), max_length=20, choices=Project.Stage.choices, blank=True
    )
    to_stage = models.CharField(_("to"), max_length=20, choices=Project.Stage.choices)
    on = models.DateField(_("date"))
    at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")
        ordering = ["project", "on", "id"]

    def __str__(self) -> str:
        return f"{self.project_id}: {self.from_stage} → {self.to_stage} ({self.on})"


class ProjectMilestone(TrackedModel):
    """A milestone of a project, planned against actual."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="milestones"
    )
    name = models.CharField(_("name"), max_length=200)
    planned_on = models.DateField(_("planned"))
    actual_on = models.DateField(_("reached"), null=True, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("project milestone")
        verbose_name_plural = _("project milestones")
        ordering = ["project", "planned_on", "order", "id"]

    def __str__(self) -> str:
        return self.name

    def ownership(self) -> Ownership:
        return self.project.ownership()


class InvestmentPlan(TrackedModel):
    """A project's planned investment for one year (年度计划投资)."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="plans"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    amount = amount_field(_("planned investment (10,000 yuan)"))

    class Meta:
        verbose_name = _("annual investment plan")
        verbose_name_plural = _("annual investment plans")
        ordering = ["project", "year"]
        constraints = [
            models.UniqueConstraint(fields=["project", "year"], name="plan_unique_year"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="plan_amount_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.project} {self.year}"

    def ownership(self) -> Ownership:
        return Ownership(government_id=self.project.government_id)


class InvestmentReport(TrackedModel):
    """A monthly report: investment completed in the month, physical progress, problems."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="reports"
    )
    period = models.CharField(_("month"), max_length=7, help_text=_("e.g. 2024-09"))
    amount = amount_field(_("investment completed in the month (10,000 yuan)"))
    progress = models.PositiveSmallIntegerField(
        _("physical progress (%)"), validators=percent_validators
    )
    progress_text = models.TextField(_("physical progress (形象进度)"), blank=True)
    problems = models.TextField(_("problems needing coordination"), blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_illustrative = models.BooleanField(_("illustrative"), default=False)

    class Meta:
        verbose_name = _("monthly investment report")
        verbose_name_plural = _("monthly investment reports")
        ordering = ["project", "period"]
        constraints = [
            models.UniqueConstraint(fields=["project", "period"], name="report_unique_month"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="report_amount_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.project} {self.period}"

    def ownership(self) -> Ownership:
        return Ownership(
            government_id=self.project.government_id, unit_id=self.project.lead_unit_id
        )


class ProjectTask(models.Model):
    """A project's problem raised as a supervised task (the tasks app runs its loop)."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="problem_tasks"
    )
    task = models.OneToOneField(
        "tasks.Task", verbose_name=_("task"), on_delete=models.CASCADE, related_name="project_link"
    )
    report = models.ForeignKey(
        InvestmentReport,
        verbose_name=_("raised from report"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="raised_tasks",
    )

    class Meta:
        verbose_name = _("project problem task")
        verbose_name_plural = _("project problem tasks")

    def __str__(self) -> str:
        return f"{self.project_id} → {self.task_id}"
