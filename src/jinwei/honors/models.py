"""Honours (荣誉) the county has won and local practices (经验做法, "恩平经验") that higher levels
recognised or promoted: the article's "获得更多荣誉称号" and "创出更多恩平经验", counted by level
and year for the briefing and the yearbook-style roll of honour (光荣榜).

An evidence file (the certificate, the notice) is stored under MEDIA_ROOT and served only
through a view that checks rights.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jinwei.accounts.models import OrgUnit, Region
from jinwei.audit.models import TrackedModel
from jinwei.lib.ownership import Ownership

year_validators = [MinValueValidator(1949), MaxValueValidator(2100)]


class Level(models.TextChoices):
    """The level of government that awarded, recognised or issued something."""

    NATIONAL = "national", _("National")
    PROVINCIAL = "provincial", _("Provincial")
    MUNICIPAL = "municipal", _("Municipal")


class Category(models.TextChoices):
    ECOLOGY = "ecology", _("Ecology")
    INDUSTRY = "industry", pgettext_lazy("sector of the economy", "Industry")
    AGRICULTURE = "agriculture", _("Agriculture")
    TOURISM = "tourism", _("Culture and tourism")
    EDUCATION = "education", _("Education")
    HEALTH = "health", _("Health")
    SAFETY = "safety", _("Safety")
    GOVERNANCE = "governance", _("Governance")
    FINANCE = "finance", _("Public finance")
    OTHER = "other", _("Other")


def evidence_path(instance: Any, filename: str) -> str:
    """A random name keeps uploads from colliding and from guessing; the original is kept."""
    suffix = filename.rsplit(".", 1)[-1].lower()[:10] if "." in filename else "bin"
    return f"honors/evidence/{uuid.uuid4().hex}.{suffix}"


class Honour(TrackedModel):
    """A title won (国家生态文明建设示范区, 省健康县 …)."""

    government = models.ForeignKey(
        Region, verbose_name=_("government"), on_delete=models.PROTECT, related_name="honours"
    )
    title = models.CharField(pgettext_lazy("honour", "title"), max_length=200)
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    year = models.PositiveSmallIntegerField(_("year"), validators=year_validators)
    awarded_on = models.DateField(_("awarded on"), null=True, blank=True)
    issuer = models.CharField(_("issuing body"), max_length=200)
    category = models.CharField(
        _("category"), max_length=12, choices=Category.choices, default=Category.OTHER
    )
    unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("responsible unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="honours",
    )
    description = models.TextField(_("description"), blank=True)
    evidence = models.FileField(
        _("evidence file"), upload_to=evidence_path, max_length=300, blank=True
    )
    evidence_name = models.CharField(_("evidence file name"), max_length=255, blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)
    is_illustrative = models.BooleanField(_("illustrative"), default=False)

    class Meta:
        verbose_name = _("honour")
        verbose_name_plural = _("honours")
        ordering = ["government", "-year", "level", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["government", "title", "year"], name="honour_unique_title_year"
            ),
            models.CheckConstraint(condition=Q(level__in=Level.values), name="honour_level_known"),
        ]
        indexes = [models.Index(fields=["government", "year"], name="honour_government_year")]

    def __str__(self) -> str:
        return f"{self.year} {self.title}"

    def ownership(self) -> Ownership:
        return Ownership(government_id=self.government_id, unit_id=self.unit_id)


class Practice(TrackedModel):
    """A local practice recognised or promoted by a higher level (恩平经验)."""

    government = models.ForeignKey(
        Region, verbose_name=_("government"), on_delete=models.PROTECT, related_name="practices"
    )
    title = models.CharField(pgettext_lazy("practice", "title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    recognised_by = models.CharField(_("recognised by"), max_length=200)
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    recognised_on = models.DateField(_("recognised on"))
    promotion = models.CharField(
        _("what was promoted where"),
        max_length=300,
        blank=True,
        help_text=_("For example: promoted nationwide; other districts asked to learn from it."),
    )
    unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("responsible unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="practices",
    )
    source = models.CharField(_("source"), max_length=200, blank=True)
    is_illustrative = models.BooleanField(_("illustrative"), default=False)

    class Meta:
        verbose_name = _("practice")
        verbose_name_plural = _("practices")
        ordering = ["government", "-recognised_on", "title"]
        constraints = [
            models.UniqueConstraint(fields=["government", "title"], name="practice_unique_title"),
            models.CheckConstraint(
                condition=Q(level__in=Level.values), name="practice_level_known"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def year(self) -> int:
        return self.recognised_on.year

    def ownership(self) -> Ownership:
        return Ownership(government_id=self.government_id, unit_id=self.unit_id)
