"""Peer groups, evaluation schemes and stored evaluation results."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jinwei.accounts.models import Region
from jinwei.audit.models import TrackedModel
from jinwei.indicators.models import Category, Indicator
from jinwei.lib.ownership import Ownership


class PeerGroup(TrackedModel):
    """A set of regions compared with each other: the children of one parent, or a custom list."""

    government = models.ForeignKey(
        Region, verbose_name=_("government"), on_delete=models.PROTECT, related_name="peer_groups"
    )
    name = models.CharField(_("name"), max_length=100)
    parent = models.ForeignKey(
        Region,
        verbose_name=_("children of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Leave empty and list the members for a custom group."),
    )
    members = models.ManyToManyField(
        Region, verbose_name=_("members"), blank=True, related_name="+"
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("peer group")
        verbose_name_plural = _("peer groups")
        ordering = ["government", "name"]
        constraints = [
            models.UniqueConstraint(fields=["government", "name"], name="peergroup_unique_name")
        ]

    def __str__(self) -> str:
        return self.name

    def ownership(self) -> Ownership:
        return Ownership(government_id=self.government_id)


class EvaluationScheme(TrackedModel):
    class MissingPolicy(models.TextChoices):
        EXCLUDE = "exclude", _("Leave the region out for that year")
        IMPUTE_MEAN = "impute_mean", _("Fill with the group mean")

    government = models.ForeignKey(
        Region, verbose_name=_("government"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=100)
    peer_group = models.ForeignKey(
        PeerGroup, verbose_name=_("peer group"), on_delete=models.PROTECT, related_name="schemes"
    )
    normalization = models.CharField(_("normalisation"), max_length=20, default="minmax")
    weighting = models.CharField(_("weighting"), max_length=20, default="entropy-cn")
    aggregation = models.CharField(_("aggregation"), max_length=20, default="wsum")
    alternatives = models.JSONField(
        _("alternative methods"),
        default=dict,
        blank=True,
        help_text=_("For sensitivity: lists of other normalisations, weightings, aggregations."),
    )
    weights_by_dimension = models.BooleanField(
        _("weights per dimension"),
        default=False,
        help_text=_(
            "Compute weights within each dimension, then combine with the dimension weights."
        ),
    )
    dimension_weights = models.JSONField(_("dimension weights"), default=dict, blank=True)
    ahp_matrix = models.JSONField(_("AHP comparison matrix"), default=list, blank=True)
    missing_policy = models.CharField(
        _("missing data"),
        max_length=12,
        choices=MissingPolicy.choices,
        default=MissingPolicy.EXCLUDE,
    )
    first_year = models.PositiveSmallIntegerField(_("first year"))
    last_year = models.PositiveSmallIntegerField(_("last year"))

    class Meta:
        verbose_name = _("evaluation scheme")
        verbose_name_plural = _("evaluation schemes")
        ordering = ["government", "name"]

    def __str__(self) -> str:
        return self.name

    def ownership(self) -> Ownership:
        return Ownership(government_id=self.government_id)


class SchemeIndicator(TrackedModel):
    scheme = models.ForeignKey(
        EvaluationScheme, verbose_name=_("scheme"), on_delete=models.CASCADE, related_name="items"
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="+"
    )
    dimension = models.ForeignKey(
        Category, verbose_name=_("dimension"), on_delete=models.PROTECT, related_name="+"
    )
    weight = models.DecimalField(
        _("fixed weight"), max_digits=8, decimal_places=6, null=True, blank=True
    )
    reference = models.DecimalField(
        _("target or reference value"), max_digits=24, decimal_places=6, null=True, blank=True
    )
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("scheme indicator")
        verbose_name_plural = _("scheme indicators")
        ordering = ["scheme", "dimension__order", "order"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "indicator"], name="schemeindicator_unique")
        ]

    def __str__(self) -> str:
        return f"{self.scheme} · {self.indicator.name}"

    def ownership(self) -> Ownership:
        return self.scheme.ownership()


class EvaluationRun(models.Model):
    """One computation of a scheme, stored with its method and inputs so it can be reproduced."""

    scheme = models.ForeignKey(
        EvaluationScheme, verbose_name=_("scheme"), on_delete=models.CASCADE, related_name="runs"
    )
    created_at = models.DateTimeField(_("computed at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    method = models.JSONField(_("method"))
    # The panel's axes, directions, fixed weights and labels (JSON), and its numbers: years ×
    # regions × indicators as float64 little-endian bytes, NaN where missing (13 MB for a
    # province's 1.7 million observations, stored and read back without conversion). Runs
    # stored before 0002 that kept the numbers in `inputs` were moved by that migration.
    inputs = models.JSONField(_("inputs"))
    input_values = models.BinaryField(_("input values"), editable=False)
    weights = models.JSONField(_("weights"))
    is_published = models.BooleanField(_("published"), default=False)

    class Meta:
        verbose_name = _("evaluation run")
        verbose_name_plural = _("evaluation runs")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.scheme} · {self.created_at:%Y-%m-%d %H:%M}"

    def ownership(self) -> Ownership:
        return self.scheme.ownership()


class EvaluationScore(models.Model):
    run = models.ForeignKey(EvaluationRun, on_delete=models.CASCADE, related_name="scores")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    score = models.FloatField(null=True)
    rank = models.PositiveIntegerField(null=True)
    rank_change = models.IntegerField(null=True)
    dimension_scores = models.JSONField(default=dict)
    imputed = models.JSONField(default=list)  # indicator codes filled with the group mean
    excluded = models.BooleanField(default=False)

    class Meta:
        ordering = ["run", "year", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["run", "region", "year"], name="evaluationscore_unique")
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.year}: {self.rank}"
