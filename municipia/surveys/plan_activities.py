"""What questionnaires show beside a plan's activities (decision 0054): each questionnaire
attached to the activity, its answers and response rate, and its headline result (the mean of
its rating questions, the net promoter score), linked to its results.

Results are for the staff of the questionnaire's network (decision 0047): anyone else sees
nothing here. No figure is shown below the questionnaire's threshold of answers. Four queries
whatever the number of activities and questionnaires.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from municipia.accounts.models import Role
from municipia.accounts.permissions import is_superuser, network_ids_with_role
from municipia.forms.models import FormField
from municipia.plans import beside
from municipia.surveys.models import Invitation, Questionnaire, QuestionnaireVersion, Tally
from municipia.surveys.results import NPS_DETRACTOR, NPS_PROMOTER

TARGET = "plans.activity"


def _questionnaires(user, activities):
    if not user.is_authenticated:
        return []
    found = Questionnaire.objects.filter(
        target_kind=TARGET, target_id__in=[a.pk for a in activities], is_template=False
    ).exclude(status=Questionnaire.Status.DRAFT)
    if not is_superuser(user):
        networks = network_ids_with_role(user, Role.Kind.NETWORK_STAFF)
        if not networks:
            return []
        found = found.filter(network_id__in=networks)
    return list(found.order_by("created_at", "pk"))


def _headline(rows) -> list[tuple[str, str]]:
    """Figures from (field id, kind, maximum, value, count) tallies of one version."""
    scale_total = scale_count = 0
    maxima = set()
    nps: dict[int, list[int]] = {}
    for field_id, kind, maximum, value, count in rows:
        point = int(value)
        if kind == FormField.Kind.NPS:
            counts = nps.setdefault(field_id, [0, 0, 0])  # promoters, detractors, all
            counts[0] += count if point >= NPS_PROMOTER else 0
            counts[1] += count if point <= NPS_DETRACTOR else 0
            counts[2] += count
        else:
            scale_total += point * count
            scale_count += count
            maxima.add(int(maximum) if maximum is not None else 5)
    figures = []
    if scale_count:
        mean = (Decimal(scale_total) / scale_count).quantize(Decimal("0.1"), ROUND_HALF_UP)
        shown = number_format(mean, 1)
        if len(maxima) == 1:
            shown = _("%(mean)s out of %(max)s") % {"mean": shown, "max": maxima.pop()}
        figures.append((_("Mean rating"), shown))
    if nps:
        promoters, detractors, total = nps[min(nps)]
        score = round(100 * (promoters - detractors) / total)
        figures.append((_("Net promoter score"), f"{score:+d}"))
    return figures


@beside.contribution(key="surveys", title=gettext_lazy("Questionnaires"), order=10)
def questionnaires(user, plan, activities) -> dict[int, list[beside.Item]]:
    found = _questionnaires(user, activities)
    if not found:
        return {}
    ids = [q.pk for q in found]
    answered: dict[int, list[tuple[int, int]]] = {}  # questionnaire → [(version number, count)]
    version_ids: dict[tuple[int, int], int] = {}
    for version_id, questionnaire_id, number, count in (
        QuestionnaireVersion.objects.filter(questionnaire_id__in=ids)
        .annotate(n=Count("responses"))
        .values_list("pk", "questionnaire_id", "number", "n")
    ):
        answered.setdefault(questionnaire_id, []).append((number, count))
        version_ids[(questionnaire_id, number)] = version_id
    invited = {
        row[0]: row[1:]
        for row in Invitation.objects.filter(questionnaire_id__in=ids)
        .values_list("questionnaire_id")
        .annotate(
            sent=Count("pk", filter=Q(sent_on__isnull=False)),
            used=Count("pk", filter=Q(used=True)),
        )
        .order_by()
    }
    # The headline comes from the latest version with enough answers (results keep versions
    # apart, decision 0047).
    shown_version: dict[int, int] = {}
    for questionnaire in found:
        threshold = max(1, questionnaire.results_threshold)
        for number, count in sorted(answered.get(questionnaire.pk, []), reverse=True):
            if count >= threshold:
                shown_version[questionnaire.pk] = version_ids[(questionnaire.pk, number)]
                break
    rows: dict[int, list] = {}
    if shown_version:
        # The running tallies of the answers (surveys.tallies): a few rows a question, never the
        # answers themselves, on a page every reader of the plan opens.
        for version_id, *row in (
            Tally.objects.filter(
                version_id__in=shown_version.values(),
                kind=Tally.Kind.ANSWER,
                field__kind__in=FormField.SCALE_KINDS,
                item="",
                count__gt=0,
            )
            .exclude(value="")
            .values_list(
                "version_id", "field_id", "field__kind", "field__max_value", "value", "count"
            )
        ):
            rows.setdefault(version_id, []).append(row)
    items: dict[int, list[beside.Item]] = {}
    for questionnaire in found:
        total = sum(count for _number, count in answered.get(questionnaire.pk, []))
        figures = [(_("Answers"), number_format(total))]
        sent, used = invited.get(questionnaire.pk, (0, 0))
        if sent:
            figures.append((_("Response rate"), f"{round(100 * used / sent)} %"))
        note = ""
        version_id = shown_version.get(questionnaire.pk)
        if version_id is None:
            note = _("Results are shown from %(count)s answers.") % {
                "count": questionnaire.results_threshold
            }
        else:
            figures += _headline(rows.get(version_id, []))
        results_url = reverse("surveys:questionnaire-results", args=[questionnaire.pk])
        items.setdefault(questionnaire.target_id, []).append(
            beside.Item(
                label=questionnaire.title_text,
                url=results_url,
                detail=questionnaire.get_status_display(),
                figures=figures,
                note=note,
                actions=[
                    (_("Results"), results_url),
                    (
                        _("Feed an indicator"),
                        reverse("surveys:questionnaire-feeds", args=[questionnaire.pk]),
                    ),
                ],
            )
        )
    return items
