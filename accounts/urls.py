"""URLs of sign-in, language and administration of organisations and users."""

from django.contrib.auth import views as auth_views
from django.urls import path

from . import member_views, views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("language/", views.set_language, name="set_language"),
    path("organisations/", views.organisation_list, name="organisation_list"),
    path("organisations/new/", views.organisation_edit, name="organisation_create"),
    path("organisations/<int:pk>/", views.organisation_edit, name="organisation_edit"),
    path("users/", views.user_list, name="user_list"),
    path("users/new/", views.user_edit, name="user_create"),
    path("users/<int:pk>/", views.user_edit, name="user_edit"),
    path("people/", member_views.member_list, name="member_list"),
    path("people/invite/", member_views.member_invite, name="member_invite"),
    path("people/<int:pk>/", member_views.member_edit, name="member_edit"),
    path("security/", views.security, name="security"),
    path("lockouts/", views.lockout_list, name="lockout_list"),
    path("lockouts/<int:pk>/unlock/", views.lockout_unlock, name="lockout_unlock"),
]
