"""The impact profile drawn as the plans' server-side SVG radar."""

from django.utils.translation import gettext as _

from municipia.plans.charts import radar_chart
from municipia.surveys.impact.profiles import Profile


def profile_chart(profile: Profile, chart_id: str = "impact") -> str:
    return radar_chart(
        [criterion.name_text for criterion in profile.criteria],
        [
            (series.label, [series.means.get(c.pk) for c in profile.criteria])
            for series in profile.series
        ],
        maximum=profile.max_score,
        title=_("Impact profile: %(rubric)s") % {"rubric": profile.rubric.title_text},
        chart_id=chart_id,
    )
