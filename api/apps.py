"""The API for issuers' systems: it sits on top of every app, and nothing imports it."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("API")

    def ready(self) -> None:
        # The lower apps announce events through audit.hooks by name; the API listens for its webhooks.
        from audit import hooks

        from . import schema  # noqa: F401 — registers the bearer scheme with drf-spectacular
        from .services import webhooks

        hooks.register(webhooks.on_event)
