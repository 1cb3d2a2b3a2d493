"""Dossier renders: one job row per PDF of a snapshot, in one language, as issuer or reviewer copy."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from jobs.models import Job


class DossierLanguage(models.TextChoices):
    ZH_HANS = "zh-hans", _("Simplified Chinese")
    EN = "en", _("English")


class DossierCopy(models.TextChoices):
    ISSUER = "issuer", _("Issuer copy")
    REVIEWER = "reviewer", _("Reviewer copy (with the review history)")
    OFFSHORE = "offshore", _("Offshore copy (personal information and important data withheld)")


class DossierStage(models.TextChoices):
    """What the worker is doing; ``progress["stage"]`` holds one of these."""

    QUEUED = "queued", _("Waiting for a worker")
    GATHERING = "gathering", _("Gathering the snapshot")
    RENDERING = "rendering", _("Typesetting the PDF")
    SIGNING = "signing", _("Sealing")
    STORED = "stored", _("Ready")


STAGE_PERCENT = {"queued": 0, "gathering": 10, "rendering": 30, "signing": 85, "stored": 100}


def dossier_upload_path(instance: DossierRender, filename: str) -> str:
    # Named by the row, never by user input; the snapshot's reference keeps a filing's dossiers together.
    snapshot = instance.snapshot
    return (
        f"dossiers/{snapshot.filing.reference}/v{snapshot.version}/"
        f"{instance.language}-{instance.copy}-{instance.pk}.pdf"
    )


class DossierRender(Job):
    """The sealed PDF of one snapshot. Rendered by a Celery worker; the file lives in private storage
    and is only streamed by the permission-checked download view."""

    snapshot = models.ForeignKey(
        "filings.Snapshot", on_delete=models.PROTECT, related_name="dossiers", verbose_name=_("snapshot")
    )
    language = models.CharField(_("language"), max_length=10, choices=DossierLanguage.choices)
    copy = models.CharField(_("copy"), max_length=10, choices=DossierCopy.choices)
    pdf = models.FileField(_("PDF"), upload_to=dossier_upload_path, max_length=300, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    # The rendered bytes before the seal: the same snapshot always gives the same value.
    content_sha256 = models.CharField(_("SHA-256 before sealing"), max_length=64, blank=True)
    text_sha256 = models.CharField(_("SHA-256 of the text"), max_length=64, blank=True)
    size = models.PositiveBigIntegerField(_("size"), null=True, blank=True)
    page_count = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    attachments = models.JSONField(_("embedded files"), default=list, blank=True)
    signed = models.BooleanField(_("signed"), default=False)
    signer = models.CharField(_("signer"), max_length=300, blank=True)
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(language__in=DossierLanguage.values), name="dossier_language_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(copy__in=DossierCopy.values), name="dossier_copy_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.snapshot} {self.language} {self.copy}"

    @property
    def stage(self) -> str:
        return str((self.progress or {}).get("stage") or DossierStage.QUEUED)

    @property
    def stage_label(self) -> str:
        if self.status == "failed":
            return str(_("Failed"))
        return str(dict(DossierStage.choices).get(self.stage, self.stage))

    @property
    def filename(self) -> str:
        snapshot = self.snapshot
        suffix = "" if self.copy == DossierCopy.ISSUER else f"-{self.copy}"
        return f"{snapshot.filing.reference}-v{snapshot.version}-{self.language}{suffix}.pdf"
