"""Briefings (简报) generated from the page: who asked for which region and period, how far the
writing has got (for the page's progress bar), and where the files are.

The command line (`jinwei briefing`) writes its file where it is told and keeps no row here.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jinwei.accounts.models import Region
from jinwei.lib.ownership import Ownership


class Briefing(models.Model):
    class Status(models.TextChoices):
        RUNNING = "running", _("Being written")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    government = models.ForeignKey(
        Region, verbose_name=_("government"), on_delete=models.CASCADE, related_name="briefings"
    )
    period = models.CharField(_("period"), max_length=7)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.RUNNING
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    progress_note = models.CharField(max_length=200, blank=True)
    docx_path = models.CharField(max_length=500, blank=True)
    pdf_path = models.CharField(max_length=500, blank=True)
    notes = models.JSONField(_("notes"), default=list, blank=True)
    error = models.TextField(_("error"), blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("briefing")
        verbose_name_plural = _("briefings")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.government} {self.period}"

    def ownership(self) -> Ownership:
        return Ownership(government_id=self.government_id)
