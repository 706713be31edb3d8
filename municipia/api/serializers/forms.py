"""Serializers of the shared form builder (municipia/forms), used by every owner's API."""

from rest_framework import serializers

from municipia.forms.models import FormField


class FormFieldSerializer(serializers.ModelSerializer):
    class Meta:
        model = FormField
        fields = [
            "id",
            "position",
            "kind",
            "label",
            "help_text",
            "required",
            "word_limits",
            "choices",
        ]
