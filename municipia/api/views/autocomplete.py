"""Search-as-you-type for the searchable selects of the site's forms (core/widgets.py).

Each endpoint answers `{"results": [{"id", "text", ...}], "groups": [...]}` for `?q=` (two
characters at least), at most `LIMIT` results, only what the user may see elsewhere on the site,
for signed-in users only, under the `autocomplete` throttle.
"""

from django.conf import settings
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from municipia.directory.models import LocalGovernment, Network, Person
from municipia.knowledge.models import Experience, ExperienceTranslation, SdgTarget, Theme

LIMIT = 20
MIN_LENGTH = 2


class QuerySerializer(serializers.Serializer):
    q = serializers.CharField(
        max_length=100,
        allow_blank=True,
        required=False,
        default="",
        error_messages={"max_length": _("Type at most 100 characters.")},
    )
    # The page's language: API addresses carry none, and labels follow the form's page.
    lang = serializers.ChoiceField(choices=settings.LANGUAGES, required=False)


class ThemeQuerySerializer(QuerySerializer):
    network = serializers.ListField(
        # Bounded by the largest key the database holds: a larger number is a 400, not an overflow.
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
        required=False,
        default=list,
        max_length=50,
        help_text="networks whose themes are wanted (the networks the experience is shared in)",
    )


class OptionSerializer(serializers.Serializer):
    id = serializers.CharField()
    text = serializers.CharField()
    group = serializers.CharField(required=False)
    colour = serializers.CharField(required=False)


class GroupSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()
    colour = serializers.CharField(required=False)


class OptionsSerializer(serializers.Serializer):
    results = OptionSerializer(many=True)
    groups = GroupSerializer(many=True)


class AutocompleteView(APIView):
    permission_classes = [permissions.IsAuthenticated]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "autocomplete"
    query_serializer = QuerySerializer
    min_length = MIN_LENGTH

    def options(self, params: dict) -> tuple[list[dict], list[dict]]:
        raise NotImplementedError

    def get(self, request):
        params = self.query_serializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        data = dict(params.validated_data)
        data["q"] = " ".join(data["q"].split())
        if len(data["q"]) < self.min_length:
            return Response({"results": [], "groups": []})
        with translation.override(data.get("lang") or translation.get_language()):
            results, groups = self.options(data)
        return Response({"results": results, "groups": groups})


class PlaceAutocompleteView(AutocompleteView):
    """Local governments of the gazetteer whose name, in any language, starts with `q`."""

    @extend_schema(parameters=[QuerySerializer], responses={200: OptionsSerializer})
    def get(self, request):
        return super().get(request)

    def options(self, params):
        places = (
            LocalGovernment.objects.search(params["q"])
            .select_related("country")
            .order_by("-population", "pk")[:LIMIT]
        )
        return [{"id": str(place.pk), "text": place.full_name} for place in places], []


class PersonAutocompleteView(AutocompleteView):
    """People the user may see in the directory: in public office, listed experts, or themselves."""

    @extend_schema(parameters=[QuerySerializer], responses={200: OptionsSerializer})
    def get(self, request):
        return super().get(request)

    def options(self, params):
        words = params["q"].split()
        match = Q()
        for word in words:
            match &= Q(full_name__icontains=word)
        people = (
            Person.objects.visible_to(self.request.user)
            .filter(match)
            .order_by("full_name", "pk")[:LIMIT]
        )
        return [{"id": str(person.pk), "text": person.full_name} for person in people], []


class ExperienceAutocompleteView(AutocompleteView):
    """Published experiences of the bank whose title, in any of its languages, holds every word
    typed; labelled in the page's language with their city. The bank grows to 100,000 entries:
    a page cannot list them all."""

    @extend_schema(parameters=[QuerySerializer], responses={200: OptionsSerializer})
    def get(self, request):
        return super().get(request)

    def options(self, params):
        match = Q()
        for word in params["q"].split():
            match &= Q(title__icontains=word)
        matching = ExperienceTranslation.objects.filter(match).values("experience_id")
        experiences = (
            Experience.objects.published()
            .filter(pk__in=matching)
            .select_related("city")
            .prefetch_related("translations")
            .order_by("-pk")[:LIMIT]
        )
        return [
            {"id": str(experience.pk), "text": f"{experience.title} ({experience.city.name})"}
            for experience in experiences
        ], []


class SdgTargetAutocompleteView(AutocompleteView):
    """SDG targets by code ("11.2") or by words of their title, grouped by goal with its colour."""

    @extend_schema(parameters=[QuerySerializer], responses={200: OptionsSerializer})
    def get(self, request):
        return super().get(request)

    def options(self, params):
        query = params["q"]
        targets = SdgTarget.objects.select_related("goal").order_by("goal", "position")
        if query[0].isdigit():
            targets = targets.filter(code__startswith=query)
        else:
            # Titles are JSON by language: read them all once (169 rows) and match in Python.
            words = query.casefold().split()
            targets = [
                target
                for target in targets
                if all(word in target.title.casefold() for word in words)
            ]
        targets = list(targets[:LIMIT])
        goals = {target.goal_id: target.goal for target in targets}
        return (
            [
                {
                    "id": str(target.pk),
                    "text": target_label(target),
                    "group": str(target.goal_id),
                    "colour": str(target.goal_id),
                }
                for target in targets
            ],
            [
                {"value": str(number), "label": str(goal), "colour": str(number)}
                for number, goal in goals.items()
            ],
        )


class ThemeAutocompleteView(AutocompleteView):
    """Themes of the chosen networks (`?network=` repeated) that the user may see."""

    query_serializer = ThemeQuerySerializer
    min_length = 0  # a network's themes are few: all of them show when the field is opened

    @extend_schema(parameters=[ThemeQuerySerializer], responses={200: OptionsSerializer})
    def get(self, request):
        return super().get(request)

    def options(self, params):
        networks = Network.objects.visible_to(self.request.user).filter(pk__in=params["network"])
        themes = Theme.objects.filter(network__in=networks).select_related("network")
        words = params["q"].casefold().split()
        found = [
            theme
            for theme in themes.order_by("network__name", "slug")
            if all(word in f"{theme.name} {theme.slug}".casefold() for word in words)
        ][:LIMIT]
        groups = {theme.network_id: theme.network for theme in found}
        return (
            [
                {"id": str(theme.pk), "text": theme.name, "group": str(theme.network_id)}
                for theme in found
            ],
            [{"value": str(pk), "label": network.name} for pk, network in groups.items()],
        )


def target_label(target: SdgTarget) -> str:
    return f"{target.code} · {target.title[:110]}"
