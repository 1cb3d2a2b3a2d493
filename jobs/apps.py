"""App configuration for jobs: heavy work as database rows that Celery tasks claim and run."""

from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "jobs"
    default_auto_field = "django.db.models.BigAutoField"
