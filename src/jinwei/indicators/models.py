"""The indicator catalogue, observations per region or unit and period, targets, import batches."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jinwei.accounts.models import OrgUnit, Region
from jinwei.audit.models import TrackedModel
from jinwei.lib.ownership import Ownership
from jinwei.lib.periods import Frequency, Period, parse_period


def value_field(verbose_name: Any, **options: Any) -> models.DecimalField:
    """Statistics in Decimal: 18 digits before the point, 6 after (enough for 元 and ratios)."""
    return models.DecimalField(verbose_name, max_digits=24, decimal_places=6, **options)


class Category(TrackedModel):
    """A group in the catalogue; the default set is the five development concepts plus 经济总量."""

    seeded_by_migration = True  # `jinwei load` replaces the seeded rows with the dump's

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=50)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("indicator category")
        verbose_name_plural = _("indicator categories")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name

    def ownership(self) -> Ownership:
        return Ownership(government_id=None)


class Indicator(TrackedModel):
    class Direction(models.TextChoices):
        HIGHER = "higher", _("Higher is better")
        LOWER = "lower", _("Lower is better")

    class ValueKind(models.TextChoices):
        POINT = "point", _("Point value")
        CUMULATIVE = "cumulative", _("Cumulative to date")

    class Frequency(models.TextChoices):
        ANNUAL = Frequency.ANNUAL.value, _("Annual")
        QUARTERLY = Frequency.QUARTERLY.value, _("Quarterly")
        MONTHLY = Frequency.MONTHLY.value, _("Monthly")

    government = models.ForeignKey(
        Region, verbose_name=_("government"), on_delete=models.PROTECT, related_name="indicators"
    )
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=100)
    aliases = models.JSONField(
        _("aliases"), default=list, blank=True, help_text=_("Other names used in source tables.")
    )
    unit = models.CharField(_("unit of measure"), max_length=20, blank=True)
    decimals = models.PositiveSmallIntegerField(_("decimals"), default=2)
    direction = models.CharField(
        _("direction"), max_length=6, choices=Direction.choices, default=Direction.HIGHER
    )
    frequency = models.CharField(
        _("frequency"), max_length=10, choices=Frequency.choices, default=Frequency.ANNUAL
    )
    value_kind = models.CharField(
        _("value kind"), max_length=10, choices=ValueKind.choices, default=ValueKind.POINT
    )
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="indicators"
    )
    owner_unit = models.ForeignKey(
        OrgUnit, verbose_name=_("owning unit"), on_delete=models.PROTECT, related_name="indicators"
    )
    valid_min = value_field(_("minimum valid value"), null=True, blank=True)
    valid_max = value_field(_("maximum valid value"), null=True, blank=True)
    thresholds = models.JSONField(
        _("milestone thresholds"),
        default=list,
        blank=True,
        help_text=_("Values whose first crossing is a milestone, e.g. [100, 200]."),
    )
    swing_warning = models.DecimalField(
        _("swing warning (%)"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Warn when the year-on-year change exceeds this many percent."),
    )
    is_headline = models.BooleanField(_("headline indicator"), default=False)
    is_public = models.BooleanField(
        _("public"),
        default=False,
        help_text=_(
            "Shown, with its milestones, on the public page when the deployment turns that page on."
        ),
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    notes = models.TextField(_("notes"), blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["government", "category__order", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["government", "code"], name="indicator_unique_code"),
            models.CheckConstraint(
                condition=Q(valid_min__isnull=True)
                | Q(valid_max__isnull=True)
                | Q(valid_min__lte=models.F("valid_max")),
                name="indicator_valid_range_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.unit}）" if self.unit else self.name

    def ownership(self) -> Ownership:
        return Ownership(government_id=self.government_id, unit_id=self.owner_unit_id)

    @property
    def higher_is_better(self) -> bool:
        return self.direction == self.Direction.HIGHER

    @property
    def is_cumulative(self) -> bool:
        return self.value_kind == self.ValueKind.CUMULATIVE

    def threshold_values(self) -> list[Decimal]:
        return sorted(Decimal(str(t)) for t in self.thresholds)

    def names(self) -> list[str]:
        """Every name this indicator answers to in a source table: code, name, aliases."""
        return [self.code, self.name, *self.aliases]


class Observation(TrackedModel):
    """One value of one indicator for one region (or one org unit) and one period."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        APPROVED = "approved", _("Approved")

    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("indicator"),
        on_delete=models.PROTECT,
        related_name="observations",
        db_index=False,  # observation_unique_region_period leads with the indicator
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="observations",
        db_index=False,  # observation_region_period leads with the region
    )
    unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="observations",
        db_index=False,  # observation_unit_period (partial: region rows stay out of it)
    )
    period = models.CharField(_("period"), max_length=7, help_text=_("2023, 2023Q3 or 2023-09"))
    value = value_field(_("value"))
    growth_rate = models.DecimalField(
        _("growth rate (%)"),
        max_digits=12,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("As reported (e.g. GDP growth at comparable prices); never recomputed."),
    )
    source = models.CharField(_("source"), max_length=200, blank=True)
    is_illustrative = models.BooleanField(
        _("illustrative"), default=False, help_text=_("Demo data not from a published source.")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    explanation = models.TextField(_("explanation"), blank=True)
    explanation_due = models.BooleanField(
        _("explanation due"),
        default=False,
        help_text=_("The value is behind target and the owning unit has not explained it yet."),
    )
    batch = models.ForeignKey(
        "ImportBatch",
        verbose_name=_("import"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="observations",
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,  # never searched by; one index less on every imported row
    )

    class Meta:
        verbose_name = _("observation")
        verbose_name_plural = _("observations")
        ordering = ["indicator", "region", "unit", "period"]
        constraints = [
            models.CheckConstraint(
                condition=Q(region__isnull=False, unit__isnull=True)
                | Q(region__isnull=True, unit__isnull=False),
                name="observation_region_xor_unit",
            ),
            # Not partial: rows of a unit have no region, and NULLs never collide, so this is
            # unique per region as before, and its index also serves every look-up by indicator
            # (the indicator's own index is left out: one index less on every imported row).
            models.UniqueConstraint(
                fields=["indicator", "region", "period"],
                name="observation_unique_region_period",
            ),
            models.UniqueConstraint(
                fields=["indicator", "unit", "period"],
                condition=Q(unit__isnull=False),
                name="observation_unique_unit_period",
                violation_error_message=_(
                    "This unit already has a value of this indicator for this period."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["region", "period"], name="observation_region_period"),
            models.Index(
                fields=["unit", "period"],
                condition=Q(unit__isnull=False),
                name="observation_unit_period",
            ),
        ]

    def __str__(self) -> str:
        where = self.region or self.unit
        return f"{self.indicator.name} · {where} · {self.period}"

    def ownership(self) -> Ownership:
        return Ownership(
            government_id=self.indicator.government_id,
            unit_id=self.unit_id or self.indicator.owner_unit_id,
        )

    @property
    def period_obj(self) -> Period:
        return parse_period(self.period)

    @property
    def is_locked(self) -> bool:
        return self.status == self.Status.APPROVED


class Target(TrackedModel):
    """An annual target for an indicator: a level, or a growth rate in percent."""

    class Kind(models.TextChoices):
        LEVEL = "level", pgettext_lazy("target kind", "Level")
        GROWTH = "growth", _("Growth rate (%)")

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="targets"
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=6, choices=Kind.choices, default=Kind.LEVEL)
    value = value_field(_("target"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["indicator", "year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(region__isnull=False, unit__isnull=True)
                | Q(region__isnull=True, unit__isnull=False),
                name="target_region_xor_unit",
            ),
            models.UniqueConstraint(
                fields=["indicator", "region", "year"],
                condition=Q(region__isnull=False),
                name="target_unique_region_year",
            ),
            models.UniqueConstraint(
                fields=["indicator", "unit", "year"],
                condition=Q(unit__isnull=False),
                name="target_unique_unit_year",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.name} {self.year} {self.get_kind_display()} {self.value}"

    def ownership(self) -> Ownership:
        # targets are set by the supervising office, not by the unit measured against them
        return Ownership(government_id=self.indicator.government_id)


class ImportBatch(models.Model):
    """One uploaded file: parsed and checked (dry run), then committed all or nothing."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        CHECKING = "checking", _("Checking")
        CHECKED = "checked", _("Checked")
        COMMITTING = "committing", _("Saving")
        COMMITTED = "committed", _("Saved")
        FAILED = "failed", _("Failed")

    class Layout(models.TextChoices):
        AUTO = "auto", _("Detect")
        LONG = "long", _("Long: one observation per row")
        WIDE = "wide", _("Wide: one column per period")
        CROSS = "cross", _("Cross-section: one column per indicator")

    government = models.ForeignKey(
        Region, verbose_name=_("government"), on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    filename = models.CharField(_("file name"), max_length=255)
    stored_path = models.CharField(max_length=500, blank=True)
    layout = models.CharField(
        _("layout"), max_length=6, choices=Layout.choices, default=Layout.AUTO
    )
    period = models.CharField(_("period"), max_length=7, blank=True)
    mapping = models.JSONField(_("column mapping"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    progress_note = models.CharField(max_length=200, blank=True)
    counts = models.JSONField(default=dict, blank=True)
    problems = models.JSONField(default=list, blank=True)
    committed_at = models.DateTimeField(_("saved at"), null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"

    def ownership(self) -> Ownership:
        return Ownership(government_id=self.government_id)
