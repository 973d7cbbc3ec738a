from __future__ import annotations

from django.urls import path

from jinwei.tasks.views import detail, goals, ledger, scorecards, work

app_name = "tasks"
urlpatterns = [
    # what to do, and the list of tasks
    path("", work.my_work, name="my_work"),
    path("list/", work.task_list, name="list"),
    path("list/export.xlsx", work.task_export, name="export"),
    path("list/views/save/", work.view_save, name="view_save"),
    path("list/views/<int:view_id>/delete/", work.view_delete, name="view_delete"),
    path("red/", work.red_list, name="red_list"),
    # one task and its closed loop
    path("new/", detail.task_create, name="create"),
    path("<int:task_id>/", detail.task_detail, name="detail"),
    path("<int:task_id>/edit/", detail.task_edit, name="edit"),
    path("<int:task_id>/act/<str:action>/", detail.task_act, name="act"),
    path("<int:task_id>/report/", detail.report_create, name="report"),
    path("<int:task_id>/request/", detail.change_request_create, name="change_request"),
    path("requests/<int:request_id>/decide/", detail.change_request_decide, name="decide"),
    path("milestones/<int:milestone_id>/done/", detail.milestone_done, name="milestone_done"),
    path("attachments/<int:attachment_id>/", detail.attachment_download, name="attachment"),
    # goals tree and Gantt
    path("goals/", goals.goal_tree, name="goals"),
    path("goals/new/", goals.goal_create, name="goal_create"),
    path("goals/<int:goal_id>/", goals.goal_detail, name="goal"),
    path("goals/<int:goal_id>/edit/", goals.goal_edit, name="goal_edit"),
    path("goals/<int:goal_id>/gantt/", goals.gantt, name="gantt"),
    # scorecards (镇镇有声、部门出彩)
    path("scorecards/", scorecards.scorecards, name="scorecards"),
    path("scorecards/export.xlsx", scorecards.scorecards_export, name="scorecards_export"),
    path("scorecards/units/<int:unit_id>/", scorecards.unit_scorecard, name="unit_scorecard"),
    # ledger (台账) import
    path("ledger/import/", ledger.import_upload, name="ledger_import"),
    path("ledger/import/<int:batch_id>/", ledger.import_review, name="ledger_review"),
    path("ledger/template.xlsx", ledger.import_template, name="ledger_template"),
]
