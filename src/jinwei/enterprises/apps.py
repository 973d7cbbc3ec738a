from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnterprisesConfig(AppConfig):
    name = "jinwei.enterprises"
    verbose_name = _("Enterprises and service")
