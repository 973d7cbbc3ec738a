from __future__ import annotations

from django.urls import path

from jinwei.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.log, name="log"),
    path("<int:content_type_id>/<str:object_id>/", views.history, name="history"),
]
