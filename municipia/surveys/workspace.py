"""What questionnaires put on "my work": the secretariat's way to its questionnaires."""

from django.utils.translation import gettext_lazy

from municipia.accounts.permissions import works_for_a_secretariat
from municipia.core import workspace

workspace.link(
    workspace.STAFF,
    "surveys:questionnaire-list",
    gettext_lazy("Questionnaires"),
    when=works_for_a_secretariat,
    order=55,
)
