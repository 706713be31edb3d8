"""The impact section of an experience's page: its profile chart and its methodologies."""

from django import template

from municipia.surveys.impact.charts import profile_chart
from municipia.surveys.impact.permissions import can_self_assess
from municipia.surveys.impact.profiles import profile
from municipia.surveys.impact.visibility import can_see_profile

register = template.Library()


@register.inclusion_tag("surveys/impact/section.html", takes_context=True)
def impact_section(context, experience):
    user = context["request"].user
    found = profile(experience)
    shown = can_see_profile(user, experience, found)
    return {
        "experience": experience,
        "profile": found,
        "shown": shown,
        "chart": profile_chart(found) if shown else "",
        "methodologies": list(experience.impact_methodologies.all()),
        "can_add": can_self_assess(user, experience),
    }
