from __future__ import annotations

from django import template
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse

register = template.Library()


@register.simple_tag
def history_url(obj: models.Model) -> str:
    """Link to an object's audit history."""
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
    return reverse("audit:history", args=[content_type.pk, str(obj.pk)])
