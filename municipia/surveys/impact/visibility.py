"""Whether a reader sees an experience's impact profile: the public once the experience is
published and enough assessments exist; its city's officers and the network's staff always."""

from municipia.accounts.permissions import can_manage_network
from municipia.surveys.impact.permissions import can_self_assess
from municipia.surveys.impact.profiles import Profile


def can_see_profile(user, experience, profile: Profile) -> bool:
    if profile.rubric is None:
        return False
    if experience.is_published and profile.shown:
        return True
    if not user.is_authenticated:
        return False
    return can_self_assess(user, experience) or can_manage_network(user, profile.rubric.network)
