from rest_framework import serializers


class FactSerializer(serializers.Serializer):
    label = serializers.CharField()
    value = serializers.CharField()


class VerificationSerializer(serializers.Serializer):
    """What the public may know of a document whose code is looked up."""

    code = serializers.CharField(source="code.shown", help_text="The code, in groups of four.")
    status = serializers.ChoiceField(choices=["valid", "revoked"])
    kind = serializers.CharField(source="code.kind", help_text='e.g. "finance.receipt"')
    kind_label = serializers.CharField(help_text="The kind of document, in the reader's language.")
    facts = FactSerializer(
        many=True, source="fact_rows", help_text="What the kind of document allows to be shown."
    )
    issued_at = serializers.DateTimeField(source="code.created_at")
    revoked_at = serializers.DateTimeField(source="code.revoked_at", allow_null=True)
    revocation_reason = serializers.CharField(source="code.revocation_reason")
