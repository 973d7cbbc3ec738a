from __future__ import annotations

from django.urls import path

from jinwei.rankings.views import evaluation, groups, league

app_name = "rankings"
urlpatterns = [
    # per-indicator ranking in a peer group
    path("", league.home, name="home"),
    path("groups/<int:group_id>/league/", league.league_table, name="league"),
    path("groups/<int:group_id>/league/export.xlsx", league.league_export, name="league_export"),
    path("groups/<int:group_id>/heatmap/", league.heatmap, name="heatmap"),
    path("groups/<int:group_id>/firsts/", league.first_places, name="first_places"),
    path("groups/<int:group_id>/regions/<str:code>/", league.region_position, name="region"),
    # peer groups
    path("groups/", groups.group_list, name="group_list"),
    path("groups/new/", groups.group_create, name="group_create"),
    path("groups/<int:group_id>/edit/", groups.group_edit, name="group_edit"),
    # composite evaluation
    path("schemes/", evaluation.scheme_list, name="scheme_list"),
    path("schemes/new/", evaluation.scheme_create, name="scheme_create"),
    path("schemes/<int:scheme_id>/", evaluation.scheme_detail, name="scheme_detail"),
    path("schemes/<int:scheme_id>/edit/", evaluation.scheme_edit, name="scheme_edit"),
    path("schemes/<int:scheme_id>/run/", evaluation.scheme_run, name="scheme_run"),
    path("runs/<int:run_id>/", evaluation.run_detail, name="run_detail"),
    path("runs/<int:run_id>/export.xlsx", evaluation.run_export, name="run_export"),
    path("runs/<int:run_id>/sensitivity/", evaluation.sensitivity, name="sensitivity"),
    path("runs/<int:run_id>/regions/<str:code>/", evaluation.what_moves, name="what_moves"),
]
