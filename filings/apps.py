"""App configuration for filings."""

from django.apps import AppConfig


class FilingsConfig(AppConfig):
    name = "filings"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The audit log shows filing states, asset classes, sections and transitions by their labels.
        from django.apps import apps
        from django.utils.translation import gettext_lazy as _

        from audit.labels import register_transition_labels, register_value_labels

        from .compliance.registry import SECTION_LABELS
        from .workflow import AssetClass, FilingState

        # Every coded field of a filing's sections and rows (and of the pool's tapes), by field name:
        # section saves log their rows, whose role, kind or eligibility are codes.
        for label in ("assets", "filings"):
            for model in apps.get_app_config(label).get_models():
                for model_field in model._meta.fields:
                    if model_field.choices:
                        register_value_labels((model_field.name,), dict(model_field.flatchoices))
        register_value_labels(("from", "to", "state"), dict(FilingState.choices))
        register_value_labels(("asset_class", "asset_classes"), dict(AssetClass.choices))
        register_value_labels(("section", "sections", "reopened_sections"), dict(SECTION_LABELS))
        register_transition_labels(
            {
                "submit": _("submitted"),
                "accept": _("accepted"),
                "not_accept": _("not accepted"),
                "request_supplement": _("supplement requested"),
                "resubmit": _("resubmitted"),
                "decide_file": _("filed"),
                "decide_reject": _("rejected"),
                "report_issuance": _("issuance reported"),
                "close": _("closed"),
                "withdraw": _("withdrawn"),
                "terminate": _("terminated"),
                "lapse": _("lapsed"),
                "pause_review": _("review paused"),
                "resume_review": _("review resumed"),
                "suspend": _("suspended"),
                "resume": _("suspension lifted"),
                "refile": _("refiled as a new draft"),
                "refiled_from": _("started again from an earlier filing"),
            }
        )
