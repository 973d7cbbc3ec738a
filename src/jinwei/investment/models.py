"""Investment promotion (招商引资): the leads pipeline with its contact log, and cross-region
benefit sharing (异地招商利益分享) agreements.

Amounts are in 万元. Signing a lead creates its key project (`services.lead_sign`); the lead keeps
a link to it, so the history reads on from one to the other.
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
from jinwei.projects.models import ChainLink, Project, amount_field


class Lead(TrackedModel):
    """An investment lead (招商线索) on its way from first contact to a project on the ground."""

    class Stage(models.TextChoices):
        CLUE = "clue", _("Lead")
        CONTACT = "contact", _("In contact")
        VISIT = "visit", _("Site visit")
        NEGOTIATION = "negotiation", _("Negotiation")
        SIGNED = "signed", _("Signed")
        REGISTERED = "registered", _("Company registered")
        LANDED = "landed", _("Landed")

    class Source(models.TextChoices):
        COMPATRIOTS = "compatriots", _("Local and overseas compatriots (乡贤、侨胞)")
        REFERRAL = "referral", _("Referral by investors (以商引商)")
        REMOTE = "remote", _("Investment promotion elsewhere (异地招商)")
        FAIR = "fair", _("Fair or promotion event")
        SPRING_FESTIVAL = "spring_festival", _("Spring-Festival visits")
        SELF = "self", _("Came by itself")
        OTHER = "other", _("Other")

    government = models.ForeignKey(
        Region, verbose_name=_("government"), on_delete=models.PROTECT, related_name="leads"
    )
    company = models.CharField(_("company"), max_length=200)
    project_name = models.CharField(_("intended project"), max_length=200, blank=True)
    industry = models.CharField(_("industry"), max_length=100, blank=True)
    chain_link = models.ForeignKey(
        ChainLink,
        verbose_name=_("chain link"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="leads",
    )
    intended_investment = amount_field(_("intended investment (10,000 yuan)"), default=0)
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    source_detail = models.CharField(_("source detail"), max_length=200, blank=True)
    owner_unit = models.ForeignKey(
        OrgUnit, verbose_name=_("owner unit"), on_delete=models.PROTECT, related_name="leads"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="leads",
    )
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices, default=Stage.CLUE)
    stage_since = models.DateField(_("in this stage since"))
    # the highest stage the lead ever reached (it stays when the lead goes back), kept by the
    # services so the funnel counts "reached" without going through the stage changes
    top_stage = models.CharField(
        _("highest stage reached"), max_length=12, choices=Stage.choices, default=Stage.CLUE
    )
    next_action = models.CharField(_("next action"), max_length=200, blank=True)
    next_action_on = models.DateField(_("next action on"), null=True, blank=True)
    # contact details: shown only to investment staff, supervisors and leaders
    contact_name = models.CharField(_("contact"), max_length=100, blank=True)
    contact_phone = models.CharField(_("phone"), max_length=50, blank=True)
    contact_email = models.EmailField(_("e-mail"), blank=True)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    signed_investment = amount_field(_("signed investment (10,000 yuan)"), null=True, blank=True)
    project = models.OneToOneField(
        Project,
        verbose_name=_("project"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="lead",
    )
    dropped_on = models.DateField(_("dropped on"), null=True, blank=True)
    drop_reason = models.CharField(_("reason dropped"), max_length=300, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    is_illustrative = models.BooleanField(_("illustrative"), default=False)

    class Meta:
        verbose_name = _("investment lead")
        verbose_name_plural = _("investment leads")
        ordering = ["government", "-stage_since", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(intended_investment__gte=0), name="lead_investment_not_negative"
            ),
        ]
        indexes = [
            models.Index(fields=["government", "stage"], name="lead_government_stage"),
            models.Index(fields=["government", "signed_on"], name="lead_government_signed"),
            # the funnel's pass over the leads reads this index alone, in its grouping order
            models.Index(
                fields=[
                    "government",
                    "source",
                    "chain_link",
                    "stage",
                    "top_stage",
                    "dropped_on",
                    "intended_investment",
                    "signed_investment",
                    "signed_on",
                ],
                name="lead_funnel",
            ),
        ]

    def __str__(self) -> str:
        return self.company

    def ownership(self) -> Ownership:
        return Ownership(government_id=self.government_id, unit_id=self.owner_unit_id)


class LeadStageChange(models.Model):
    """One move of a lead between stages (time in stage is measured from these)."""

    lead = models.ForeignKey(
        Lead, verbose_name=_("lead"), on_delete=models.CASCADE, related_name="stage_changes"
    )
    # the lead's government, copied so the funnel reads a government's stays from the indexes
    # below without joining its leads
    government = models.ForeignKey(
        Region,
        verbose_name=_("government"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # the stays indexes lead with it
    )
    from_stage = models.CharField(_("from"), max_length=12, choices=Lead.Stage.choices, blank=True)
    to_stage = models.CharField(_("to"), max_length=12, choices=Lead.Stage.choices)
    on = models.DateField(_("date"))
    # the day this stay at `to_stage` ended (the lead's next change, or the day it was dropped);
    # empty while the lead is still there. Kept by the services so time in stage needs no
    # pairing of each change with the next one.
    left_on = models.DateField(_("left on"), null=True, blank=True)
    days_in_stage = models.IntegerField(_("days in stage"), null=True, blank=True)  # left_on − on
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
        verbose_name = _("lead stage change")
        verbose_name_plural = _("lead stage changes")
        ordering = ["lead", "on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(left_on__isnull=True, days_in_stage__isnull=True)
                | Q(left_on__isnull=False, days_in_stage__isnull=False),
                name="leadstage_left_with_days",
            ),
        ]
        # Time in stage reads a government's finished stays by stage and length, and its running
        # ones by stage and start, each from its own index in the order it groups them (no sort).
        indexes = [
            models.Index(fields=["to_stage", "on"], name="leadstage_to_on"),
            models.Index(
                fields=["government", "to_stage", "days_in_stage", "lead"],
                condition=Q(days_in_stage__isnull=False),
                name="leadstage_finished_stays",
            ),
            models.Index(
                fields=["government", "to_stage", "on", "lead", "left_on"],
                condition=Q(left_on__isnull=True),
                name="leadstage_running_stays",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.lead_id}: {self.from_stage} → {self.to_stage} ({self.on})"


class LeadContact(models.Model):
    """An entry of a lead's contact log (visit, call, meeting…)."""

    class Kind(models.TextChoices):
        VISIT = "visit", _("Visit")
        CALL = "call", _("Call")
        MEETING = "meeting", _("Meeting")
        MESSAGE = "message", _("Message or e-mail")
        EVENT = "event", _("Event")

    lead = models.ForeignKey(
        Lead, verbose_name=_("lead"), on_delete=models.CASCADE, related_name="contacts"
    )
    on = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    summary = models.TextField(_("summary"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("contact log entry")
        verbose_name_plural = _("contact log")
        ordering = ["lead", "-on", "-id"]

    def __str__(self) -> str:
        return f"{self.on} {self.get_kind_display()}"


class PipelineSettings(TrackedModel):
    """One government's pipeline settings: the indicator the signed leads feed."""

    government = models.OneToOneField(
        Region,
        verbose_name=_("government"),
        on_delete=models.CASCADE,
        related_name="pipeline_settings",
    )
    signed_investment_indicator = models.ForeignKey(
        "indicators.Indicator",
        verbose_name=_("indicator fed by signed leads"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("e.g. 新招产业项目投资总额: the year's signed investment is written to it."),
    )

    class Meta:
        verbose_name = _("pipeline settings")
        verbose_name_plural = _("pipeline settings")

    def __str__(self) -> str:
        return str(self.government)

    def ownership(self) -> Ownership:
        return Ownership(government_id=self.government_id)


class BenefitAgreement(TrackedModel):
    """A cross-region benefit-sharing agreement (异地招商利益分享) about one project or park."""

    government = models.ForeignKey(
        Region,
        verbose_name=_("government"),
        on_delete=models.PROTECT,
        related_name="benefit_agreements",
    )
    name = models.CharField(_("name"), max_length=200)
    project = models.ForeignKey(
        Project,
        verbose_name=_("project"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="benefit_agreements",
    )
    introducing_region = models.ForeignKey(
        Region,
        verbose_name=_("introducing region"),
        on_delete=models.PROTECT,
        related_name="introduced_agreements",
    )
    host_region = models.ForeignKey(
        Region,
        verbose_name=_("host region"),
        on_delete=models.PROTECT,
        related_name="hosted_agreements",
    )
    reference = models.CharField(_("document reference"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    is_illustrative = models.BooleanField(_("illustrative"), default=False)

    class Meta:
        verbose_name = _("benefit-sharing agreement")
        verbose_name_plural = _("benefit-sharing agreements")
        ordering = ["government", "name"]

    def __str__(self) -> str:
        return self.name

    def ownership(self) -> Ownership:
        return Ownership(government_id=self.government_id)


class BenefitTerm(TrackedModel):
    """A period of an agreement (years, end included; open-ended when `end_year` is empty) with
    its shares. The terms of one agreement must not overlap."""

    agreement = models.ForeignKey(
        BenefitAgreement,
        verbose_name=_("agreement"),
        on_delete=models.CASCADE,
        related_name="terms",
    )
    start_year = models.PositiveSmallIntegerField(_("from year"))
    end_year = models.PositiveSmallIntegerField(_("to year"), null=True, blank=True)

    class Meta:
        verbose_name = _("agreement term")
        verbose_name_plural = _("agreement terms")
        ordering = ["agreement", "start_year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__isnull=True) | Q(start_year__lte=models.F("end_year")),
                name="benefitterm_years_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.start_year}–{self.end_year or ''}"

    def ownership(self) -> Ownership:
        return self.agreement.ownership()


share_validators = [MinValueValidator(0), MaxValueValidator(100)]


class BenefitShare(models.Model):
    """One region's shares in a term; each measure's shares add up to 100 % over the term."""

    term = models.ForeignKey(
        BenefitTerm, verbose_name=_("term"), on_delete=models.CASCADE, related_name="shares"
    )
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="benefit_shares"
    )
    output_percent = models.DecimalField(
        _("output value share (%)"), max_digits=5, decimal_places=2, validators=share_validators
    )
    tax_percent = models.DecimalField(
        _("tax share (%)"), max_digits=5, decimal_places=2, validators=share_validators
    )
    investment_percent = models.DecimalField(
        _("investment statistics share (%)"),
        max_digits=5,
        decimal_places=2,
        validators=share_validators,
    )

    class Meta:
        verbose_name = _("benefit share")
        verbose_name_plural = _("benefit shares")
        ordering = ["term", "region"]
        constraints = [
            models.UniqueConstraint(fields=["term", "region"], name="benefitshare_unique_region"),
        ]

    def __str__(self) -> str:
        return f"{self.term} {self.region}"


class BenefitFigure(TrackedModel):
    """The shared totals of an agreement's project for one year, before the split."""

    agreement = models.ForeignKey(
        BenefitAgreement,
        verbose_name=_("agreement"),
        on_delete=models.CASCADE,
        related_name="figures",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    output_value = amount_field(_("output value (10,000 yuan)"), default=0)
    tax = amount_field(_("tax (10,000 yuan)"), default=0)
    investment = amount_field(_("investment (10,000 yuan)"), default=0)

    class Meta:
        verbose_name = _("shared figures")
        verbose_name_plural = _("shared figures")
        ordering = ["agreement", "year"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "year"], name="benefitfigure_unique_year"),
        ]

    def ownership(self) -> Ownership:
        return self.agreement.ownership()
