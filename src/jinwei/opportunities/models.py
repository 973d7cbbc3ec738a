"""Opportunities and policies (政策机遇): programmes, plans and events that concern the county
(百千万工程, 珠江口西岸都市圈发展规划, the bridges, paired assistance …), the items in them that
concern it (the plan's 16 items on Enping), and the goals, tasks and projects that act on each
item. An item with no action linked to it is flagged: an opportunity nobody is turning into
results.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jinwei.accounts.models import OrgUnit, Region
from jinwei.audit.models import TrackedModel
from jinwei.honors.models import Level
from jinwei.lib.ownership import Ownership
from jinwei.projects.models import Project
from jinwei.tasks.models import Goal, Task


class Opportunity(TrackedModel):
    class Kind(models.TextChoices):
        PROGRAMME = "programme", _("Programme")
        PLAN = "plan", _("Plan")
        INFRASTRUCTURE = "infrastructure", _("Major infrastructure")
        ASSISTANCE = "assistance", _("Paired assistance")
        EVENT = "event", _("Event")

    government = models.ForeignKey(
        Region, verbose_name=_("government"), on_delete=models.PROTECT, related_name="opportunities"
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.PROGRAMME)
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    issuer = models.CharField(_("issued by"), max_length=200, blank=True)
    source_document = models.CharField(_("source document"), max_length=300, blank=True)
    issued_on = models.DateField(_("date"), null=True, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("responsible unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="opportunities",
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    is_illustrative = models.BooleanField(_("illustrative"), default=False)

    class Meta:
        verbose_name = _("opportunity")
        verbose_name_plural = _("opportunities")
        ordering = ["government", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["government", "title"], name="opportunity_unique_title"
            ),
            models.CheckConstraint(
                condition=Q(level__in=Level.values), name="opportunity_level_known"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def ownership(self) -> Ownership:
        return Ownership(government_id=self.government_id, unit_id=self.unit_id)


class OpportunityItem(TrackedModel):
    """One item of a programme or plan that concerns the county."""

    class Area(models.TextChoices):
        TRANSPORT = "transport", _("Transport")
        INDUSTRY = "industry", pgettext_lazy("sector of the economy", "Industry")
        ECOLOGY = "ecology", _("Ecology and environment")
        URBAN_RURAL = "urban_rural", _("Urban-rural integration")
        PUBLIC_SERVICES = "public_services", _("Public services")
        OTHER = "other", _("Other")

    opportunity = models.ForeignKey(
        Opportunity, verbose_name=_("opportunity"), on_delete=models.CASCADE, related_name="items"
    )
    number = models.PositiveIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=300)
    area = models.CharField(_("area"), max_length=16, choices=Area.choices, default=Area.OTHER)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("opportunity item")
        verbose_name_plural = _("opportunity items")
        ordering = ["opportunity", "number", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["opportunity", "number"], name="opportunity_item_unique_number"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    def ownership(self) -> Ownership:
        return self.opportunity.ownership()


class ItemAction(TrackedModel):
    """A goal, task or project that acts on an item: exactly one of the three."""

    item = models.ForeignKey(
        OpportunityItem, verbose_name=_("item"), on_delete=models.CASCADE, related_name="actions"
    )
    goal = models.ForeignKey(
        Goal,
        verbose_name=_("goal"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="opportunity_actions",
    )
    task = models.ForeignKey(
        Task,
        verbose_name=_("task"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="opportunity_actions",
    )
    project = models.ForeignKey(
        Project,
        verbose_name=_("project"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="opportunity_actions",
    )

    class Meta:
        verbose_name = _("linked action")
        verbose_name_plural = _("linked actions")
        ordering = ["item", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(goal__isnull=False, task__isnull=True, project__isnull=True)
                    | Q(goal__isnull=True, task__isnull=False, project__isnull=True)
                    | Q(goal__isnull=True, task__isnull=True, project__isnull=False)
                ),
                name="item_action_exactly_one_target",
            ),
            models.UniqueConstraint(fields=["item", "goal"], name="item_action_unique_goal"),
            models.UniqueConstraint(fields=["item", "task"], name="item_action_unique_task"),
            models.UniqueConstraint(fields=["item", "project"], name="item_action_unique_project"),
        ]

    def __str__(self) -> str:
        return str(self.goal or self.task or self.project)

    def ownership(self) -> Ownership:
        return self.item.opportunity.ownership()
