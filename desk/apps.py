"""App configuration for desk, the shell that brings every app's work to one dashboard."""

from django.apps import AppConfig


class DeskConfig(AppConfig):
    name = "desk"
    default_auto_field = "django.db.models.BigAutoField"
