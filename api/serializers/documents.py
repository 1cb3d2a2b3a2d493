"""Documents and the checklist items they answer; asset tapes, their jobs and row errors."""

from __future__ import annotations

from rest_framework import serializers

from assets.models import TapeKind


class DocumentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    requirement = serializers.CharField(source="requirement.code")
    version = serializers.IntegerField()
    original_name = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()
    language = serializers.CharField()
    signer_count = serializers.IntegerField(allow_null=True)
    conclusion_text = serializers.CharField(allow_blank=True)
    is_current = serializers.BooleanField()
    uploaded_at = serializers.DateTimeField()
    uploaded_by = serializers.CharField(source="uploaded_by.username")


class RequirementSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    required = serializers.BooleanField()
    is_legal_opinion = serializers.BooleanField()
    current = DocumentSerializer(allow_null=True)


class DocumentUploadSerializer(serializers.Serializer):
    requirement = serializers.CharField(help_text="The checklist item's code, e.g. TRUE-SALE-OPINION")
    file = serializers.FileField()
    language = serializers.ChoiceField(choices=[("zh-hans", "zh-hans"), ("en", "en")], default="zh-hans")
    signer_count = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    conclusion_text = serializers.CharField(required=False, allow_blank=True, default="")


class TapeUploadSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=TapeKind.choices)
    file = serializers.FileField()
    mapping = serializers.CharField(
        required=False, allow_blank=True, help_text="Name of a column mapping the organisation saved"
    )
    mapping_json = serializers.JSONField(required=False, help_text="A column mapping given inline")
    cutoff_date = serializers.DateField(required=False, help_text="The pool's cut-off date (基准日)")


class TapeJobSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    file_name = serializers.CharField()
    sha256 = serializers.CharField()
    size = serializers.IntegerField()
    status = serializers.CharField()
    percent = serializers.IntegerField()
    stage = serializers.CharField(allow_blank=True)
    outcome = serializers.CharField(allow_blank=True, allow_null=True)
    is_current = serializers.BooleanField()
    rows_read = serializers.IntegerField(allow_null=True)
    rows_valid = serializers.IntegerField(allow_null=True)
    rows_invalid = serializers.IntegerField(allow_null=True)
    error_count = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)
    links = serializers.DictField(child=serializers.CharField())


class TapeErrorSerializer(serializers.Serializer):
    code = serializers.CharField()
    row = serializers.IntegerField(allow_null=True)
    column = serializers.CharField(allow_null=True)
    value = serializers.CharField(allow_null=True)
    message = serializers.CharField()


class SavedMappingSerializer(serializers.Serializer):
    name = serializers.CharField()
    kind = serializers.CharField()
