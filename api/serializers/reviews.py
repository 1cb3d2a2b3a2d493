"""The review loop as the issuer sees it (requests, items, answers, notices, dossiers) and the
regulator's read-only queue."""

from __future__ import annotations

from rest_framework import serializers

from filings.models import DossierCopy, DossierLanguage


class ResponseSerializer(serializers.Serializer):
    text = serializers.CharField()
    document = serializers.IntegerField(allow_null=True)
    answered_by = serializers.CharField()
    answered_at = serializers.DateTimeField()


class RequestItemSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The deficiency item's id (answer it at items/{id}/answer/)")
    number = serializers.IntegerField()
    question = serializers.CharField()
    section = serializers.CharField()
    field = serializers.CharField(allow_blank=True)
    citation = serializers.CharField()
    status = serializers.CharField()
    was_reopened = serializers.BooleanField()
    reopen_note = serializers.CharField(allow_blank=True)
    answer = ResponseSerializer(allow_null=True)


class SupplementRequestSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    message = serializers.CharField(allow_blank=True)
    reopened_sections = serializers.ListField(child=serializers.CharField())
    reply_due_date = serializers.DateField(allow_null=True)
    sent_at = serializers.DateTimeField()
    resubmitted_at = serializers.DateTimeField(allow_null=True)
    notice = serializers.IntegerField(allow_null=True)
    items = RequestItemSerializer(many=True)


class AnswerSerializer(serializers.Serializer):
    text = serializers.CharField()
    document = serializers.IntegerField(
        required=False,
        allow_null=True,
        help_text="Id of a current document of the filing supporting the answer",
    )


class NoticeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    number = serializers.CharField()
    title = serializers.CharField()
    text = serializers.CharField()
    issued_at = serializers.DateTimeField()
    text_sha256 = serializers.CharField()
    pdf = serializers.CharField()


class DossierSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    snapshot = serializers.IntegerField()
    language = serializers.CharField()
    copy = serializers.CharField()
    status = serializers.CharField()
    percent = serializers.IntegerField()
    sha256 = serializers.CharField(allow_blank=True)
    url = serializers.CharField(help_text="Poll this until status is succeeded or failed.")
    download = serializers.CharField(allow_null=True)


class DossierRequestSerializer(serializers.Serializer):
    snapshot = serializers.IntegerField(
        min_value=1, required=False, help_text="The snapshot version; the latest when left out."
    )
    # The same choices as a document's language, so the schema names one LanguageEnum.
    language = serializers.ChoiceField(choices=[(code, code) for code in DossierLanguage.values])
    copy = serializers.ChoiceField(choices=DossierCopy.choices, default=DossierCopy.ISSUER)


class QueueRowSerializer(serializers.Serializer):
    reference = serializers.CharField()
    title = serializers.CharField()
    organisation = serializers.CharField()
    state = serializers.CharField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    export = serializers.CharField()
