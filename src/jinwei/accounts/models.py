"""Regions (GB/T 2260), the government's units, users and the roles they hold in units."""

from __future__ import annotations

import hashlib

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from jinwei.audit.models import TrackedModel
from jinwei.lib.ownership import Ownership


class RegionManager(models.Manager["Region"]):
    def get_by_natural_key(self, code: str) -> Region:
        """Regions travel by their administrative code in dumps (`jinwei dump` / `load`)."""
        return self.get(code=code)


class Region(TrackedModel):
    class Level(models.TextChoices):
        PROVINCE = "province", _("Province")
        PREFECTURE = "prefecture", _("Prefecture")
        COUNTY = "county", _("County")
        TOWN = "town", _("Town")

    code = models.CharField(
        _("administrative code"),
        max_length=12,
        unique=True,
        validators=[RegexValidator(r"^\d{6}(\d{3}|\d{6})?$", _("A GB/T 2260 code has 6 digits."))],
        help_text=_("GB/T 2260 code, e.g. 440785; 9 or 12 digits for towns."),
    )
    name = models.CharField(_("name"), max_length=100)
    short_name = models.CharField(_("short name"), max_length=50, blank=True)
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    objects = RegionManager()

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.code,)

    def ownership(self) -> Ownership:
        return Ownership(government_id=self.pk)


class OrgUnit(TrackedModel):
    """A town or subdistrict (镇街), a department (部门), or a leadership or supervision office."""

    class Kind(models.TextChoices):
        TOWN = "town", _("Town or subdistrict")
        DEPARTMENT = "department", _("Department")
        LEADERSHIP = "leadership", _("Leadership")
        SUPERVISION = "supervision", _("Supervision office")

    government = models.ForeignKey(
        Region, verbose_name=_("government"), on_delete=models.PROTECT, related_name="units"
    )
    name = models.CharField(_("name"), max_length=100)
    short_name = models.CharField(_("short name"), max_length=50, blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    region = models.ForeignKey(
        Region,
        verbose_name=_("region covered"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("For a town: its own region, if it is in the region list."),
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    head = models.CharField(_("head of unit"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["government", "kind", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["government", "name"], name="orgunit_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name

    def ownership(self) -> Ownership:
        return Ownership(government_id=self.government_id, unit_id=self.pk)


class User(AbstractUser, TrackedModel):
    name = models.CharField(_("full name"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)

    objects = UserManager()  # type: ignore[misc]

    class Meta(AbstractUser.Meta):  # type: ignore[name-defined]
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def __str__(self) -> str:
        return self.name or self.username

    def ownership(self) -> Ownership:
        first = self.memberships.select_related("unit").first() if self.pk else None
        return Ownership(government_id=first.unit.government_id if first else None)


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    LEADER = "leader", _("Leader")
    SUPERVISOR = "supervisor", _("Supervisor")
    STATISTICIAN = "statistician", _("Statistician")
    INVESTMENT = "investment", _("Investment staff")
    STAFF = "staff", _("Unit staff")
    VIEWER = "viewer", _("Read-only viewer")


class Membership(TrackedModel):
    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships"
    )
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=12, choices=Role.choices)
    title = models.CharField(_("job title"), max_length=50, blank=True)
    is_head = models.BooleanField(
        _("head of the unit"),
        default=False,
        help_text=_("Receives the escalation notices addressed to the unit's head."),
    )

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["unit", "role", "user"]
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role"], name="membership_unique_role"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.unit} · {self.get_role_display()}"

    def ownership(self) -> Ownership:
        return Ownership(government_id=self.unit.government_id)


class ApiToken(models.Model):
    """A personal token for scripts; only its SHA-256 digest is stored."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=12)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def digest_of(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def ownership(self) -> Ownership:
        return self.user.ownership()
