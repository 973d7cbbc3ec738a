from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HonorsConfig(AppConfig):
    name = "jinwei.honors"
    verbose_name = _("Honours and practices")
