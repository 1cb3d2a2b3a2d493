"""Public register URLs; none of them needs a signed-in user."""

from django.urls import path

from . import views

app_name = "register"

urlpatterns = [
    path("", views.register_list, name="list"),
    path("register.csv", views.register_csv, name="csv"),
    path("feed.atom", views.RegisterFeed(), name="feed"),
    path("notices/<str:number>/", views.notice, name="notice"),
    path("notices/<str:number>/pdf/", views.notice_pdf, name="notice_pdf"),
]
