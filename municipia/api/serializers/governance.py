from rest_framework import serializers

from municipia.events.governance.models import Ballot, Body, BodyMember, Candidate, OpenVote, Result


class BodyMemberSerializer(serializers.ModelSerializer):
    local_government = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    person = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = BodyMember
        fields = ["id", "local_government", "person", "category", "term_start", "term_end"]


class BodySerializer(serializers.ModelSerializer):
    network = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    members = BodyMemberSerializer(many=True, read_only=True)

    class Meta:
        model = Body
        fields = [
            "id",
            "network",
            "kind",
            "name",
            "voting_weights",
            "weighted",
            "quorum_basis",
            "quorum_kind",
            "quorum_value",
            "proxy_limit",
            "members",
        ]


class CandidateSerializer(serializers.ModelSerializer):
    key = serializers.CharField(read_only=True)

    class Meta:
        model = Candidate
        fields = ["key", "name"]


class BallotSerializer(serializers.ModelSerializer):
    event = serializers.SlugRelatedField(
        source="item.meeting.event", slug_field="slug", read_only=True
    )
    candidates = CandidateSerializer(many=True, read_only=True)

    class Meta:
        model = Ballot
        fields = [
            "id",
            "event",
            "title",
            "kind",
            "secret",
            "seats",
            "status",
            "opened_at",
            "closed_at",
            "candidates",
        ]


class VoteSerializer(serializers.Serializer):
    member = serializers.IntegerField(help_text="The body member voted for (own or by proxy).")
    choices = serializers.ListField(
        child=serializers.CharField(max_length=20),
        allow_empty=True,
        max_length=100,
        help_text='["yes"], ["no"] or ["abstain"]; candidates\' keys (empty for a blank vote).',
    )


class CountSerializer(serializers.Serializer):
    option = serializers.CharField()
    label = serializers.CharField()
    votes = serializers.IntegerField()
    weight = serializers.IntegerField()


class ResultSerializer(serializers.ModelSerializer):
    """Counts and outcome only: never who voted what."""

    event = serializers.SlugRelatedField(
        source="ballot.item.meeting.event", slug_field="slug", read_only=True
    )
    counts = CountSerializer(many=True, read_only=True)
    elected = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Result
        fields = [
            "id",
            "event",
            "sequence",
            "title",
            "secret",
            "counts",
            "voters",
            "outcome",
            "elected",
            "recorded_at",
            "previous_hash",
            "hash",
        ]


class RollCallSerializer(serializers.ModelSerializer):
    member = serializers.CharField(source="member.__str__", read_only=True)

    class Meta:
        model = OpenVote
        fields = ["member", "choices", "weight"]
