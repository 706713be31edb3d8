from rest_framework import serializers

from municipia.finance.models import (
    FeeBand,
    FeeSchedule,
    Instalment,
    Invoice,
    Payment,
    PaymentPlan,
    Waiver,
)
from municipia.finance.reports import affects_standing


class FeeBandSerializer(serializers.ModelSerializer):
    class Meta:
        model = FeeBand
        fields = ["position", "label", "category", "min_population", "max_population", "amount"]


class FeeScheduleSerializer(serializers.ModelSerializer):
    network = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    bands = FeeBandSerializer(many=True, read_only=True)

    class Meta:
        model = FeeSchedule
        fields = ["id", "network", "year", "currency", "due_on", "grace_days", "notes", "bands"]


class PaymentSerializer(serializers.ModelSerializer):
    invoice = serializers.SlugRelatedField(slug_field="number", read_only=True)

    class Meta:
        model = Payment
        fields = [
            "id",
            "invoice",
            "received_on",
            "currency",
            "amount",
            "exchange_rate",
            "amount_credited",
            "method",
            "reference",
            "note",
        ]


class WaiverSerializer(serializers.ModelSerializer):
    class Meta:
        model = Waiver
        fields = ["amount", "reason", "approved_on"]


class InstalmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Instalment
        fields = ["due_on", "overdue_after", "amount"]


class PaymentPlanSerializer(serializers.ModelSerializer):
    instalments = InstalmentSerializer(many=True, read_only=True)

    class Meta:
        model = PaymentPlan
        fields = ["id", "status", "agreed_on", "settled_before", "note", "instalments"]


class InvoiceSerializer(serializers.ModelSerializer):
    network = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    member = serializers.SerializerMethodField()
    payer = serializers.SerializerMethodField()
    balance = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)

    class Meta:
        model = Invoice
        fields = [
            "id",
            "number",
            "network",
            "year",
            "kind",
            "membership",
            "member",
            "payer",
            "status",
            "currency",
            "amount",
            "amount_paid",
            "amount_waived",
            "balance",
            "issued_on",
            "due_on",
            "overdue_after",
            "cancelled_on",
            "cancellation_reason",
        ]

    def get_member(self, invoice) -> dict | None:
        membership = invoice.membership
        if membership is None:
            return None  # a non-member's event fee: see `payer`
        if membership.local_government_id:
            return {
                "kind": "local_government",
                "slug": membership.local_government.slug,
                "name": membership.local_government.name,
            }
        return {
            "kind": "organisation",
            "slug": membership.organisation.slug,
            "name": membership.organisation.name,
        }

    def get_payer(self, invoice) -> dict | None:
        """Who pays a non-member's event fee; null on a member's invoice."""
        if invoice.membership_id is not None:
            return None
        return {
            "name": invoice.payer_name,
            "email": invoice.payer_email,
            "organisation": invoice.payer_organisation,
        }


class InvoiceDetailSerializer(InvoiceSerializer):
    payments = PaymentSerializer(many=True, read_only=True)
    waivers = WaiverSerializer(many=True, read_only=True)
    plans = PaymentPlanSerializer(many=True, read_only=True)

    class Meta(InvoiceSerializer.Meta):
        fields = [*InvoiceSerializer.Meta.fields, "payments", "waivers", "plans"]


class PaymentInputSerializer(serializers.Serializer):
    """What a payment needs; the business rules (balance, currency, rate) are the service's."""

    amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    currency = serializers.CharField(max_length=3, min_length=3)
    exchange_rate = serializers.DecimalField(
        max_digits=20, decimal_places=10, required=False, allow_null=True
    )
    received_on = serializers.DateField()
    method = serializers.ChoiceField(
        choices=Payment.Method.choices, default=Payment.Method.BANK_TRANSFER
    )
    reference = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ArrearsSerializer(serializers.ModelSerializer):
    member = serializers.SerializerMethodField()
    balance = serializers.DecimalField(
        source="outstanding", max_digits=14, decimal_places=2, read_only=True
    )
    days_past_due = serializers.SerializerMethodField()
    on_plan = serializers.BooleanField(read_only=True)
    affects_standing = serializers.SerializerMethodField()

    class Meta:
        model = Invoice
        fields = [
            "id",
            "number",
            "year",
            "member",
            "currency",
            "amount",
            "amount_paid",
            "amount_waived",
            "balance",
            "due_on",
            "days_past_due",
            "on_plan",
            "affects_standing",
        ]

    def get_member(self, invoice) -> str:
        return str(invoice.member)

    def get_days_past_due(self, invoice) -> int:
        return invoice.days_past_due(self.context["on"])

    def get_affects_standing(self, invoice) -> bool:
        return affects_standing(invoice, self.context["on"])
