from django.utils.translation import gettext as _
from rest_framework import serializers

from municipia.core.zones import isoformat_in_zone
from municipia.events.models import Event, Registration, Session, Speaker


class EventSerializer(serializers.ModelSerializer):
    network = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    local_government = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    host_city = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    title = serializers.SerializerMethodField()
    summary = serializers.SerializerMethodField()
    theme = serializers.SerializerMethodField()
    language = serializers.SerializerMethodField()
    starts_at_local = serializers.SerializerMethodField(
        help_text="The start on the venue's clock, with its offset."
    )
    online_url = serializers.SerializerMethodField(
        help_text="Only for confirmed participants and those who run the event; empty otherwise."
    )
    url = serializers.SerializerMethodField()

    class Meta:
        model = Event
        fields = [
            "id",
            "slug",
            "kind",
            "status",
            "title",
            "summary",
            "theme",
            "language",
            "network",
            "local_government",
            "starts_at",
            "ends_at",
            "starts_at_local",
            "time_zone",
            "venue_name",
            "venue_address",
            "host_city",
            "latitude",
            "longitude",
            "online_url",
            "working_languages",
            "interpretation",
            "capacity",
            "city_quota",
            "is_public",
            "requires_approval",
            "registration_closes_at",
            "member_fee",
            "fee_currency",
            "url",
        ]

    def _text(self, event):
        return event.text()

    def get_title(self, event) -> str:
        return event.title

    def get_summary(self, event) -> str:
        text = self._text(event)
        return text.summary if text else ""

    def get_theme(self, event) -> str:
        text = self._text(event)
        return text.theme if text else ""

    def get_language(self, event) -> str:
        text = self._text(event)
        return text.language if text else event.original_language

    def get_starts_at_local(self, event) -> str:
        return isoformat_in_zone(event.starts_at, event.time_zone)

    def get_online_url(self, event) -> str:
        allowed = self.context.get("online_event_ids", set())
        return event.online_url if event.pk in allowed else ""

    def get_url(self, event) -> str:
        return event.get_absolute_url()


class SpeakerSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="person.full_name")
    person = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    biography = serializers.CharField(
        source="public_biography", help_text="Only when the speaker agreed to a public biography."
    )

    class Meta:
        model = Speaker
        fields = ["person", "name", "role", "biography"]


class SessionSerializer(serializers.ModelSerializer):
    event = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    title = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True)
    room = serializers.StringRelatedField()
    host_city = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    speakers = SpeakerSerializer(many=True, read_only=True)
    experiences = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Session
        fields = [
            "id",
            "event",
            "kind",
            "title",
            "description",
            "titles",
            "room",
            "starts_at",
            "ends_at",
            "languages",
            "host_city",
            "experiences",
            "speakers",
        ]


class RegistrationSerializer(serializers.ModelSerializer):
    event = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    invoice = serializers.SlugRelatedField(
        slug_field="number",
        read_only=True,
        help_text=(
            "The finance invoice of the fee: issued to the member city for a member participant, "
            "otherwise to the participant as a named payer."
        ),
    )
    local_government = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    answers = serializers.DictField(
        child=serializers.CharField(),
        read_only=True,
        help_text="Answers to the event's registration questions, by question id.",
    )

    class Meta:
        model = Registration
        fields = [
            "id",
            "event",
            "full_name",
            "email",
            "language",
            "local_government",
            "category",
            "status",
            "created_at",
            "checked_in_at",
            "invoice",
            "answers",
        ]


class RegistrationCreateSerializer(serializers.Serializer):
    event = serializers.SlugField(help_text="The event's slug.")
    category = serializers.ChoiceField(choices=Registration.Category.choices)
    local_government = serializers.SlugField(
        required=False, help_text="The member city the person comes for (a delegation)."
    )
    full_name = serializers.CharField(
        required=False, max_length=200, help_text="Someone else's name: an officer's delegate."
    )
    email = serializers.EmailField(required=False)
    language = serializers.CharField(required=False, max_length=10)
    answers = serializers.DictField(
        child=serializers.CharField(allow_blank=True, max_length=50_000),
        required=False,
        help_text="Answers to the event's registration questions: {question id: text}; a "
        'multiple choice has one value per line, yes or no is "yes" or "no".',
    )

    def validate(self, data):
        if bool(data.get("full_name")) != bool(data.get("email")):
            raise serializers.ValidationError(
                {"email": _("Give both the delegate's name and e-mail address, or neither.")}
            )
        return data


class CheckInSerializer(serializers.Serializer):
    token = serializers.CharField(max_length=40, help_text="The check-in code from the badge.")
    session = serializers.IntegerField(required=False, help_text="A session of the same event.")


class AttendanceSerializer(serializers.Serializer):
    registration = RegistrationSerializer()
    session = serializers.IntegerField(allow_null=True)
    new = serializers.BooleanField(help_text="False when the attendance was already recorded.")


class CertificateSerializer(serializers.Serializer):
    registration = serializers.IntegerField()
    hours = serializers.DecimalField(max_digits=6, decimal_places=1)
    language = serializers.CharField()
    issued_at = serializers.DateTimeField()
    code = serializers.CharField(help_text="The verification code, as printed.")
    verify_url = serializers.CharField()
    pdf_url = serializers.CharField()
