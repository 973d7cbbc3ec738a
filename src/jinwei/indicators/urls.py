from __future__ import annotations

from django.urls import path

from jinwei.indicators.views import catalogue, entry, imports, situation

app_name = "indicators"
urlpatterns = [
    # catalogue and one indicator
    path("", catalogue.catalogue, name="catalogue"),
    path("export.xlsx", catalogue.catalogue_export, name="catalogue_export"),
    path("new/", catalogue.indicator_create, name="indicator_create"),
    path("<int:pk>/", catalogue.indicator_detail, name="indicator_detail"),
    path("<int:pk>/edit/", catalogue.indicator_edit, name="indicator_edit"),
    path("<int:pk>/export.xlsx", catalogue.indicator_export, name="indicator_export"),
    path("<int:pk>/targets/", catalogue.indicator_targets, name="indicator_targets"),
    # where a region stands
    path("situation/", situation.situation_home, name="situation_home"),
    path("situation/<str:code>/", situation.situation, name="situation"),
    path("situation/<str:code>/export.xlsx", situation.situation_export, name="situation_export"),
    path("milestones/<str:code>/", situation.milestones, name="milestones"),
    # data entry, approval, explanations
    path("entry/", entry.entry_home, name="entry_home"),
    path("entry/<int:unit_id>/<str:period>/", entry.entry_grid, name="entry_grid"),
    path("approval/", entry.approval, name="approval"),
    path("observations/<int:pk>/reopen/", entry.observation_reopen, name="observation_reopen"),
    path("observations/<int:pk>/explain/", entry.observation_explain, name="observation_explain"),
    # imports
    path("imports/", imports.import_list, name="import_list"),
    path("imports/template.xlsx", imports.import_template, name="import_template"),
    path("imports/<int:pk>/", imports.import_detail, name="import_detail"),
    path("imports/<int:pk>/progress/", imports.import_progress, name="import_progress"),
    path("imports/<int:pk>/mapping/", imports.import_mapping, name="import_mapping"),
    path("imports/<int:pk>/commit/", imports.import_commit, name="import_commit"),
]
