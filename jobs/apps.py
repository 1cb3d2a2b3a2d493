"""App configuration for jobs: heavy work as database rows that Celery tasks claim and run."""

from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "jobs"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from celery.signals import beat_init, worker_ready

        from . import watchdog

        # Every worker and beat process relays the outbox and sweeps lost jobs itself, so neither
        # waits for a beat message through a broker that was down.
        worker_ready.connect(watchdog.start, weak=False, dispatch_uid="jobs-watchdog-worker")
        beat_init.connect(watchdog.start, weak=False, dispatch_uid="jobs-watchdog-beat")
