"""Enterprises and the service given to them (营商环境 / "恩为您"): the registry, each enterprise's
ordered chain of service managers ("一号到N号服务员"), its requests (诉求), and the holiday
calendar their working-day deadlines are counted on.

A request, once assigned to a unit, is carried by a task of the tasks app (`ServiceRequest.task`):
acknowledgement, progress reports, reminders, escalation, colours and closing are that loop's,
reused rather than copied. The request adds what belongs to the enterprise: the category, the
response and resolution deadlines in working days, the answer given, and the rating.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jinwei.accounts.models import OrgUnit, Region
from jinwei.audit.models import TrackedModel
from jinwei.lib.ownership import Ownership
from jinwei.projects.models import ChainLink, Park


class Enterprise(TrackedModel):
    class Size(models.TextChoices):
        LARGE = "large", _("Large")
        MEDIUM = "medium", _("Medium")
        SMALL = "small", _("Small")
        MICRO = "micro", _("Micro")

    government = models.ForeignKey(
        Region, verbose_name=_("government"), on_delete=models.PROTECT, related_name="enterprises"
    )
    name = models.CharField(_("name"), max_length=200)
    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        help_text=_("统一社会信用代码: 18 characters, checked with its check digit."),
    )
    chain_link = models.ForeignKey(
        ChainLink,
        verbose_name=_("chain link"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="enterprises",
    )
    park = models.ForeignKey(
        Park,
        verbose_name=_("park"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="enterprises",
    )
    town = models.ForeignKey(
        OrgUnit,
        verbose_name=_("town"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="enterprises",
        limit_choices_to={"kind": OrgUnit.Kind.TOWN},
    )
    size = models.CharField(_("size"), max_length=8, choices=Size.choices)
    is_above_scale = models.BooleanField(_("above designated size (规上)"), default=False)
    industry = models.CharField(_("industry"), max_length=100, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    # contact details: shown only to investment staff, supervisors and leaders
    contact_name = models.CharField(_("contact"), max_length=100, blank=True)
    contact_phone = models.CharField(_("phone"), max_length=50, blank=True)
    is_illustrative = models.BooleanField(_("illustrative"), default=False)

    class Meta:
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        ordering = ["government", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["government", "credit_code"], name="enterprise_unique_credit_code"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def ownership(self) -> Ownership:
        return Ownership(government_id=self.government_id)


class ServiceManager(models.Model):
    """One link of an enterprise's chain of service managers: position 1 is its 一号服务员."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.CASCADE, related_name="managers"
    )
    position = models.PositiveSmallIntegerField(_("position"), validators=[MinValueValidator(1)])
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("manager"),
        on_delete=models.PROTECT,
        related_name="served_enterprises",
    )
    duty = models.CharField(_("duty"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("service manager")
        verbose_name_plural = _("service managers")
        ordering = ["enterprise", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "position"], name="manager_unique_position"
            ),
            models.UniqueConstraint(fields=["enterprise", "user"], name="manager_unique_user"),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.user}"


class CalendarDay(TrackedModel):
    """An exception to the Monday-to-Friday week: a holiday on a weekday, or a weekend day worked
    instead (调休)."""

    government = models.ForeignKey(
        Region, verbose_name=_("government"), on_delete=models.CASCADE, related_name="calendar"
    )
    date = models.DateField(_("date"))
    is_workday = models.BooleanField(
        _("working day"), help_text=_("Ticked: a weekend day worked. Unticked: a holiday.")
    )
    name = models.CharField(_("name"), max_length=50, blank=True, help_text=_("e.g. 国庆节"))

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("holiday calendar")
        ordering = ["government", "date"]
        constraints = [
            models.UniqueConstraint(fields=["government", "date"], name="calendarday_unique_date"),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.name}"

    def ownership(self) -> Ownership:
        return Ownership(government_id=self.government_id)


class RequestRules(TrackedModel):
    """One government's deadlines for enterprise requests, in working days."""

    government = models.OneToOneField(
        Region, verbose_name=_("government"), on_delete=models.CASCADE, related_name="request_rules"
    )
    response_days = models.PositiveSmallIntegerField(_("respond within (working days)"), default=2)
    resolution_days = models.PositiveSmallIntegerField(
        _("resolve within (working days)"), default=10
    )

    class Meta:
        verbose_name = _("request rules")
        verbose_name_plural = _("request rules")
        constraints = [
            models.CheckConstraint(
                condition=Q(response_days__lte=models.F("resolution_days")),
                name="requestrules_response_before_resolution",
            ),
        ]

    def ownership(self) -> Ownership:
        return Ownership(government_id=self.government_id)


class ServiceRequest(TrackedModel):
    """An enterprise's request (诉求)."""

    class Category(models.TextChoices):
        LAND = "land", _("Land and planning")
        APPROVAL = "approval", _("Permits and approvals")
        FINANCE = "finance", _("Financing")
        LABOUR = "labour", _("Labour and talent")
        UTILITIES = "utilities", _("Utilities and infrastructure")
        POLICY = "policy", _("Policies and subsidies")
        MARKET = "market", _("Market and supply chain")
        OTHER = "other", _("Other")

    government = models.ForeignKey(
        Region,
        verbose_name=_("government"),
        on_delete=models.PROTECT,
        related_name="service_requests",
    )
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="requests"
    )
    category = models.CharField(_("category"), max_length=10, choices=Category.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    received_on = models.DateField(_("received on"))
    assigned_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("assigned unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="service_requests",
    )
    task = models.OneToOneField(
        "tasks.Task",
        verbose_name=_("supervised task"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="service_request",
    )
    response_due = models.DateField(_("respond by"))
    resolution_due = models.DateField(_("resolve by"))
    responded_on = models.DateField(_("responded on"), null=True, blank=True)
    response = models.TextField(_("response"), blank=True)
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)
    resolution = models.TextField(_("resolution"), blank=True)
    satisfaction = models.PositiveSmallIntegerField(
        _("satisfaction (1–5)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    satisfaction_note = models.CharField(_("comment on the rating"), max_length=300, blank=True)
    is_illustrative = models.BooleanField(_("illustrative"), default=False)

    class Meta:
        verbose_name = _("enterprise request")
        verbose_name_plural = _("enterprise requests")
        ordering = ["government", "-received_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(response_due__lte=models.F("resolution_due")),
                name="request_response_before_resolution",
            ),
        ]
        indexes = [
            models.Index(fields=["government", "received_on"], name="request_government_received"),
            models.Index(fields=["assigned_unit", "category"], name="request_unit_category"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.title}"

    def ownership(self) -> Ownership:
        return Ownership(government_id=self.government_id, unit_id=self.assigned_unit_id)
