"""News, campaigns (with their activities) and one's own newsletter subscriptions through the API:
the same services and the same visibility as the pages (an embargoed post is in no answer)."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from municipia.api.serializers.communications import (
    CampaignActivitySerializer,
    CampaignSerializer,
    NewsPostSerializer,
    SubscriptionSerializer,
)
from municipia.communications.models import Campaign, NewsPost, Subscription
from municipia.communications.queries import activities
from municipia.communications.services import CommunicationsError, campaigns, newsletters


def _refuse(error: CommunicationsError):
    raise serializers.ValidationError({"detail": str(error)}) from error


class NewsViewSet(viewsets.ReadOnlyModelViewSet):
    """Public news posts for everyone, newest first; a network's staff also see its drafts and
    posts not public yet."""

    serializer_class = NewsPostSerializer
    permission_classes = [permissions.AllowAny]
    filterset_fields = ["category", "original_language"]

    @extend_schema(parameters=[OpenApiParameter("network", str, description="A network's slug.")])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def get_queryset(self):
        posts = (
            NewsPost.objects.visible_to(self.request.user)
            .select_related("network")
            .prefetch_related("translations")
            .order_by("-published_at", "-pk")
        )
        if network := self.request.query_params.get("network"):
            posts = posts.filter(network__slug=network)
        return posts


class CampaignViewSet(viewsets.ReadOnlyModelViewSet):
    """Published campaigns (and those of the networks one staffs), with their activities."""

    serializer_class = CampaignSerializer
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    lookup_field = "slug"

    def get_queryset(self):
        return (
            Campaign.objects.visible_to(self.request.user)
            .select_related("network", "declaration_draft")
            .prefetch_related("translations", "materials", "exhibition_stops__city")
            .order_by("-starts_on", "pk")
        )

    @extend_schema(
        methods=["GET"], responses={200: CampaignActivitySerializer(many=True)}, request=None
    )
    @extend_schema(
        methods=["POST"],
        request=CampaignActivitySerializer,
        responses={201: CampaignActivitySerializer},
    )
    # One campaign's activities in one answer, as the map draws them.
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def activities(self, request, slug=None):
        """The member cities' activities; an officer of a member city registers one (POST)."""
        campaign = self.get_object()
        if request.method == "GET":
            return Response(CampaignActivitySerializer(activities(campaign), many=True).data)
        serializer = CampaignActivitySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            activity = campaigns.register_activity(
                campaign, by=request.user, **serializer.validated_data
            )
        except CommunicationsError as error:
            _refuse(error)
        return Response(CampaignActivitySerializer(activity).data, status=status.HTTP_201_CREATED)


class SubscriptionViewSet(
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """One's own newsletter subscriptions, for the address of one's account. A new one waits for
    the confirmation e-mail while the address is not confirmed (status `pending`)."""

    serializer_class = SubscriptionSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema: no one's subscriptions
            return Subscription.objects.none()
        return (
            Subscription.objects.filter(subscriber__email=self.request.user.email.lower())
            .select_related("network", "subscriber")
            .order_by("network__name", "pk")
        )

    def perform_create(self, serializer):
        data = serializer.validated_data
        try:
            newsletters.subscribe(
                self.request.user.email,
                data["network"],
                language=data["language"],
                user=self.request.user,
            )
        except CommunicationsError as error:
            _refuse(error)
        serializer.instance = self.get_queryset().get(network=data["network"])
