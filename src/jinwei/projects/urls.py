"""URLs of the projects app: each views module lists its own patterns, included here."""

from __future__ import annotations

from django.urls import include, path

app_name = "projects"
urlpatterns = [
    path("", include("jinwei.projects.views.projects")),
    path("", include("jinwei.projects.views.parks")),
    path("", include("jinwei.projects.views.imports")),
]
