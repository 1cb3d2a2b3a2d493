"""Filings, their clocks, findings and sections as the API shows them."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from filings.workflow import AssetClass, FilingState


class FilingCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    asset_class = serializers.ChoiceField(choices=AssetClass.choices)


class ClockSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    status = serializers.CharField()
    limit = serializers.IntegerField()
    used = serializers.IntegerField()
    days_left = serializers.IntegerField()
    due_date = serializers.DateField(allow_null=True)
    overdue = serializers.BooleanField()


class FindingsSummarySerializer(serializers.Serializer):
    blocking = serializers.IntegerField()
    warning = serializers.IntegerField()


class FilingSerializer(serializers.Serializer):
    reference = serializers.CharField()
    title = serializers.CharField()
    asset_class = serializers.ChoiceField(choices=AssetClass.choices)
    state = serializers.ChoiceField(choices=FilingState.choices)
    state_label = serializers.CharField(source="get_state_display")
    organisation = serializers.CharField(source="organisation.name_zh")
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    receipt_number = serializers.CharField(allow_blank=True)
    notice_number = serializers.CharField(allow_blank=True)
    reopened_sections = serializers.ListField(child=serializers.CharField())
    url = serializers.SerializerMethodField()

    def get_url(self, filing: Any) -> str:
        request = self.context["request"]
        return str(request.build_absolute_uri(f"/api/v1/filings/{filing.reference}/"))


class FilingDetailSerializer(FilingSerializer):
    clocks = ClockSerializer(many=True, allow_null=True)
    findings = FindingsSummarySerializer()
    transitions = serializers.ListField(child=serializers.CharField())
    links = serializers.DictField(child=serializers.CharField())


class SectionSerializer(serializers.Serializer):
    section = serializers.CharField()
    version = serializers.IntegerField()
    editable = serializers.BooleanField()
    fields = serializers.DictField(help_text="The section's own fields by name.")
    rows = serializers.DictField(
        child=serializers.ListField(child=serializers.DictField()),
        help_text="Repeating rows by relation (control_links, officers, parties, tranches, …).",
    )


class SectionWriteSerializer(serializers.Serializer):
    fields = serializers.DictField(
        required=False, default=dict, help_text="Fields to change; those left out keep their value."
    )
    rows = serializers.DictField(
        child=serializers.ListField(child=serializers.DictField()),
        required=False,
        default=dict,
        help_text="Relations given replace all their rows; relations left out are kept.",
    )


class FindingSerializer(serializers.Serializer):
    code = serializers.CharField()
    severity = serializers.CharField()
    section = serializers.CharField()
    field = serializers.CharField(allow_blank=True)
    message = serializers.CharField()
    waiver = serializers.CharField(allow_null=True)


class PreflightSerializer(serializers.Serializer):
    blocking = serializers.IntegerField()
    warning = serializers.IntegerField()
    findings = FindingSerializer(many=True)


class AttestationSerializer(serializers.Serializer):
    code = serializers.CharField()
    answer = serializers.CharField(allow_blank=True)
    evidence = serializers.CharField(allow_blank=True)
    signed_by = serializers.CharField(allow_null=True)
    signed_at = serializers.DateTimeField(allow_null=True)


class AttestationAnswerSerializer(serializers.Serializer):
    code = serializers.CharField()
    answer = serializers.ChoiceField(choices=[("no", "no"), ("yes", "yes")])
    evidence = serializers.CharField()


class AttestationsWriteSerializer(serializers.Serializer):
    answers = AttestationAnswerSerializer(many=True)
