from __future__ import annotations

from django.urls import path

from jinwei.supervision import views

app_name = "supervision"
urlpatterns = [
    path("notifications/", views.notifications, name="notifications"),
    path(
        "notifications/<int:notification_id>/read/",
        views.notification_read,
        name="notification_read",
    ),
    path("notifications/read-all/", views.notifications_read_all, name="notifications_read_all"),
    path("notices/", views.notice_list, name="notices"),
    path("notices/<int:notice_id>/", views.notice_print, name="notice"),
    path("settings/", views.channel_settings, name="settings"),
    path("settings/test/", views.channel_test, name="settings_test"),
]
