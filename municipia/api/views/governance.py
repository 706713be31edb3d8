"""Governance through the API: bodies (to the network's members), ballots of the meetings one
sees, casting one's own vote (a representative, directly or by proxy), and public results of
votes, which never say who voted what; the roll-call of open ballots is for the network's members."""

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from municipia.accounts.models import Role
from municipia.accounts.permissions import (
    is_superuser,
    local_government_ids_with_role,
    network_ids_with_role,
)
from municipia.api.schema import ErrorSerializer
from municipia.api.serializers.governance import (
    BallotSerializer,
    BodySerializer,
    ResultSerializer,
    RollCallSerializer,
    VoteSerializer,
)
from municipia.directory.models import Membership
from municipia.events.governance.models import Ballot, Body, BodyMember, OpenVote, Result
from municipia.events.governance.permissions import can_see_roll_call
from municipia.events.governance.services import GovernanceError, cast_vote
from municipia.events.models import Event


def _member_network_ids(user) -> set[int] | None:
    """Networks whose governance `user` may read; None for all (superusers)."""
    if is_superuser(user):
        return None
    if not user.is_authenticated:
        return set()
    cities = local_government_ids_with_role(user, Role.Kind.CITY_OFFICER)
    members = set(
        Membership.objects.active()
        .filter(local_government_id__in=cities)
        .values_list("network_id", flat=True)
    )
    return members | network_ids_with_role(user, Role.Kind.NETWORK_STAFF)


class BodyViewSet(viewsets.ReadOnlyModelViewSet):
    """The governing bodies of the networks one belongs to (or runs), with their members."""

    serializer_class = BodySerializer
    filterset_fields = ["kind"]

    def get_queryset(self):
        bodies = Body.objects.select_related("network").prefetch_related(
            Prefetch("members", BodyMember.objects.select_related("local_government", "person"))
        )
        allowed = _member_network_ids(self.request.user)
        if allowed is not None:
            bodies = bodies.filter(network_id__in=allowed)
        return bodies.order_by("pk")


def _meetings_seen(user):
    return Event.objects.visible_to(user).values("pk")


class BallotViewSet(viewsets.ReadOnlyModelViewSet):
    """Ballots of the meetings one sees; `vote` casts a vote for a member one represents."""

    serializer_class = BallotSerializer

    def get_queryset(self):
        ballots = Ballot.objects.filter(item__meeting__event__in=_meetings_seen(self.request.user))
        if slug := self.request.query_params.get("event"):
            ballots = ballots.filter(item__meeting__event__slug=slug)
        return (
            ballots.select_related("item__meeting__event")
            .prefetch_related("candidates")
            .order_by("pk")
        )

    @extend_schema(
        request=VoteSerializer,
        responses={
            201: OpenApiResponse(description="The vote is recorded."),
        },
    )
    @action(detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated])
    def vote(self, request, pk=None):
        ballot = self.get_object()
        data = VoteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        member = BodyMember.objects.filter(
            pk=data.validated_data["member"], body_id=ballot.item.meeting.body_id
        ).first()
        if member is None:
            raise Http404
        try:
            cast_vote(
                ballot, member=member, choices=data.validated_data["choices"], by=request.user
            )
        except GovernanceError as refused:
            # Refused votes answer like invalid input: the reason under "detail".
            raise serializers.ValidationError({"detail": [str(refused)]}) from refused
        return Response(status=status.HTTP_201_CREATED)


class ResultViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Public results of votes (counts, outcome, hash) of the meetings one sees."""

    serializer_class = ResultSerializer

    def get_queryset(self):
        results = Result.objects.filter(
            ballot__item__meeting__event__in=_meetings_seen(self.request.user)
        )
        if slug := self.request.query_params.get("event"):
            results = results.filter(ballot__item__meeting__event__slug=slug)
        return results.select_related("ballot__item__meeting__event").order_by("pk")

    @extend_schema(
        responses={
            200: RollCallSerializer(many=True),
            404: OpenApiResponse(ErrorSerializer, description="No such result, or a secret one."),
        }
    )
    @action(detail=True, methods=["get"], url_path="roll-call", pagination_class=None)
    def roll_call(self, request, pk=None):
        """Who voted what in an open ballot: for the network's members only."""
        result = self.get_object()
        if result.secret:
            raise Http404
        meeting = result.ballot.item.meeting
        if not can_see_roll_call(request.user, meeting):
            raise PermissionDenied
        votes = OpenVote.objects.filter(ballot_id=result.ballot_id).select_related(
            "member__local_government", "member__person"
        )
        return Response(RollCallSerializer(votes, many=True).data)
