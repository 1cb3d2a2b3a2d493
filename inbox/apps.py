"""App configuration for inbox: in-app notifications beside the emails, and the bell that counts them."""

from django.apps import AppConfig


class InboxConfig(AppConfig):
    name = "inbox"
    default_auto_field = "django.db.models.BigAutoField"
