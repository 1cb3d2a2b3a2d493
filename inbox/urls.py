"""URLs of the notifications page and its actions."""

from django.urls import path

from . import views

app_name = "inbox"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("read-all/", views.notification_read_all, name="read_all"),
    path("<int:pk>/read/", views.notification_read, name="read"),
]
