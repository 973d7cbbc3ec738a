"""Module navigation: an installed app shows its entry; one that does not exist does not appear.

Order follows the drive's logic: where we stand, how we rank, what we do, the engines, the read-out.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavItem:
    app_label: str
    label: str | Promise
    url_name: str


MODULES = [
    NavItem("indicators", _("Indicators"), "indicators:catalogue"),
    NavItem("rankings", _("Rankings"), "rankings:home"),
    NavItem("tasks", _("Goals and tasks"), "tasks:my_work"),
    NavItem("projects", _("Key projects"), "projects:list"),
    NavItem("investment", _("Investment"), "investment:pipeline"),
    NavItem("enterprises", _("Enterprise service"), "enterprises:list"),
    NavItem("honors", _("Honours"), "honors:list"),
    NavItem("opportunities", _("Opportunities"), "opportunities:list"),
    NavItem("reports", _("Briefings and dashboard"), "reports:home"),
]


def installed_modules() -> list[tuple[NavItem, str]]:
    """(item, url) for each module whose app is installed and whose page exists."""
    result = []
    for item in MODULES:
        if not apps.is_installed(f"jinwei.{item.app_label}"):
            continue
        try:
            result.append((item, reverse(item.url_name)))
        except NoReverseMatch:
            continue
    return result
