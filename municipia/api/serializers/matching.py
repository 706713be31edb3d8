"""Suggestions through the API: what is asked (validated, bounded) and the answers with reasons."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from municipia.matching.forms import MAX_NEED


class PartnerQuerySerializer(serializers.Serializer):
    city = serializers.SlugField(help_text=_("The local government's slug."))
    need = serializers.CharField(required=False, allow_blank=True, max_length=MAX_NEED, default="")
    theme = serializers.IntegerField(required=False, min_value=1)
    sdg = serializers.IntegerField(required=False, min_value=1, max_value=17)
    project = serializers.IntegerField(required=False, min_value=1)


class MentorQuerySerializer(serializers.Serializer):
    membership = serializers.IntegerField(min_value=1, help_text=_("The new member's membership."))


class ExpertQuerySerializer(serializers.Serializer):
    network = serializers.SlugField()
    q = serializers.CharField(required=False, allow_blank=True, max_length=MAX_NEED, default="")
    expertise = serializers.ListField(
        child=serializers.SlugField(), required=False, default=list, max_length=20
    )
    language = serializers.ListField(
        child=serializers.ChoiceField(choices=settings.LANGUAGES),
        required=False,
        default=list,
        max_length=5,
    )


class ReasonSerializer(serializers.Serializer):
    signal = serializers.CharField()
    text = serializers.CharField()


class LinkedItemSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    title = serializers.CharField()
    url = serializers.SerializerMethodField()

    def get_url(self, obj) -> str:
        return self.context["request"].build_absolute_uri(obj.get_absolute_url())


class LinkedActivitySerializer(LinkedItemSerializer):
    """An activity of a public plan: the start of its description as its title, and its plan."""

    plan = serializers.CharField(source="objective.plan.display_title")
    plan_url = serializers.SerializerMethodField()

    def get_plan_url(self, activity) -> str:
        return self.context["request"].build_absolute_uri(
            activity.objective.plan.get_absolute_url()
        )


class CityRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    slug = serializers.CharField()
    name = serializers.CharField()
    country = serializers.CharField(source="country.code")


class PartnerSuggestionSerializer(serializers.Serializer):
    city = CityRefSerializer()
    score = serializers.FloatField()
    signals = serializers.DictField(child=serializers.FloatField(), source="values")
    reasons = ReasonSerializer(many=True)
    experiences = LinkedItemSerializer(many=True)
    projects = LinkedItemSerializer(many=True)
    activities = LinkedActivitySerializer(
        many=True, help_text=_("Activities of public plans of the city close to the need.")
    )


class PartnerAnswerSerializer(serializers.Serializer):
    city = CityRefSerializer()
    notes = serializers.ListField(child=serializers.CharField())
    suggestions = PartnerSuggestionSerializer(many=True)


class MentorSuggestionSerializer(serializers.Serializer):
    membership = serializers.IntegerField(source="membership.pk")
    city = CityRefSerializer(source="membership.local_government")
    score = serializers.FloatField()
    signals = serializers.DictField(child=serializers.FloatField(), source="values")
    experiences = serializers.IntegerField()
    mentees = serializers.IntegerField()
    reasons = ReasonSerializer(many=True)


class ExpertSuggestionSerializer(serializers.Serializer):
    person = serializers.CharField(source="person.slug")
    name = serializers.CharField(source="person.full_name")
    score = serializers.FloatField()
    signals = serializers.DictField(child=serializers.FloatField(), source="values")
    email = serializers.SerializerMethodField()
    reasons = ReasonSerializer(many=True)
    work = LinkedItemSerializer(many=True)

    def get_email(self, obj) -> str:
        """Only where the person made it public; otherwise contact through the platform."""
        return obj.person.email if obj.contact_visible else ""


class RankedCitySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    ties = serializers.IntegerField(required=False)
    betweenness = serializers.FloatField(required=False)


class RegionFigureSerializer(serializers.Serializer):
    region = serializers.CharField()
    members = serializers.IntegerField()
    without_ties = serializers.IntegerField()


class YearFigureSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    ties = serializers.IntegerField()


class GraphFiguresSerializer(serializers.Serializer):
    members = serializers.IntegerField()
    ties = serializers.IntegerField()
    pairs = serializers.IntegerField()
    by_kind = serializers.DictField(child=serializers.IntegerField())
    across_regions = serializers.IntegerField()
    without_ties = serializers.IntegerField()
    most_connected = RankedCitySerializer(many=True)
    bridges = RankedCitySerializer(many=True)
    regions = RegionFigureSerializer(many=True)
    per_year = YearFigureSerializer(many=True)
