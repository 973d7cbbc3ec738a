from __future__ import annotations

from django import template

from jinwei.supervision import texts
from jinwei.supervision.models import Notification

register = template.Library()


@register.filter
def notification_text(notification: Notification) -> str:
    """The notification's message in the language of the page."""
    return texts.message_for(notification)


@register.filter
def notice_title(level: str) -> str:
    """蓝色督办 / 黄色督办 / 红色督办."""
    return texts.notice_title(level)
