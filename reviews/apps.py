"""App configuration for reviews."""

from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The audit log shows verdicts, rulings and decision kinds by their labels.
        from audit.labels import register_value_labels

        from .models import DecisionKind, ItemStatus, Ruling, Verdict

        register_value_labels(("verdict",), dict(Verdict.choices))
        register_value_labels(("from", "to", "status"), dict(ItemStatus.choices))
        register_value_labels(("ruling",), dict(Ruling.choices))
        register_value_labels(("kind", "decision"), dict(DecisionKind.choices))
