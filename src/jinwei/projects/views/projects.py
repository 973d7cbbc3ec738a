"""Project pages: list, page, stages, milestones, plans, monthly reports, investment summary."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
