import datetime
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone

from municipia.core.models import ActivityLog
from municipia.plans import services
from municipia.plans.importing import read_plan_file
from municipia.plans.models import (
    Activity,
    CommentSupport,
    ConsultationComment,
    IndicatorValue,
    Objective,
    Plan,
    ProgressUpdate,
)
from municipia.plans.services import PlanError
from tests.factories.plans import (
    ActivityFactory,
    CommentFactory,
    IndicatorFactory,
    ObjectiveFactory,
)

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures"
PERIOD = {"starts_on": datetime.date(2030, 1, 1), "ends_on": datetime.date(2030, 12, 31)}


def test_create_plan_by_network_staff_makes_a_logged_draft(network, network_staff):
    plan = services.create_plan(
        by=network_staff, title="Plan 2030", languages=["es"], network=network, **PERIOD
    )

    assert (plan.status, plan.is_published, plan.slug) == (
        Plan.Status.DRAFT,
        False,
        f"{network.slug}-plan-2030",
    )
    assert list(ActivityLog.objects.values_list("action", flat=True)) == ["plans.plan.created"]


def test_create_plan_by_city_officer_for_own_city(city, city_officer):
    plan = services.create_plan(
        by=city_officer, title="Strategy", languages=["ca"], local_government=city, **PERIOD
    )

    assert plan.local_government == city


@pytest.mark.parametrize("who", ["other_staff", "juror", "city_officer", "expert", "user"])
def test_create_plan_refuses_who_is_not_the_owners_staff(request, network, who):
    person = request.getfixturevalue(who)

    with pytest.raises(PlanError):
        services.create_plan(by=person, title="X", languages=["es"], network=network, **PERIOD)

    assert Plan.objects.count() == 0


def test_create_plan_refuses_an_officer_of_another_city(city, other_city_officer):
    with pytest.raises(PlanError):
        services.create_plan(
            by=other_city_officer, title="X", languages=["es"], local_government=city, **PERIOD
        )

    assert Plan.objects.count() == 0


def test_create_plan_refuses_a_period_that_ends_before_it_starts(network, network_staff):
    with pytest.raises(PlanError, match="cannot end before it starts"):
        services.create_plan(
            by=network_staff,
            title="X",
            languages=["es"],
            network=network,
            starts_on=datetime.date(2030, 5, 1),
            ends_on=datetime.date(2030, 1, 1),
        )

    assert Plan.objects.count() == 0


def test_create_plan_refuses_unknown_languages(network, network_staff):
    with pytest.raises(PlanError, match="Choose one or more of the site's languages"):
        services.create_plan(
            by=network_staff, title="X", languages=["xx"], network=network, **PERIOD
        )


def test_update_plan_refuses_a_juror_and_changes_nothing(plan, juror):
    with pytest.raises(
        PlanError, match=re.escape("Only the staff of the plan's owner may change it.")
    ):
        services.update_plan(plan, by=juror, title="Hijacked")

    plan.refresh_from_db()
    assert plan.title != "Hijacked"


def test_open_consultation_makes_the_draft_public(plan, network_staff):
    closes = timezone.now() + datetime.timedelta(days=7)

    services.open_consultation(plan, by=network_staff, closes_at=closes)

    plan.refresh_from_db()
    assert (plan.status, plan.is_public, plan.is_consultation_open) == (
        Plan.Status.CONSULTATION,
        True,
        True,
    )


def test_open_consultation_refuses_a_closing_date_in_the_past(plan, network_staff):
    with pytest.raises(PlanError, match="must close after it opens"):
        services.open_consultation(
            plan, by=network_staff, closes_at=timezone.now() - datetime.timedelta(hours=1)
        )

    plan.refresh_from_db()
    assert plan.status == Plan.Status.DRAFT


def test_open_consultation_refuses_an_adopted_plan(adopted_plan, network_staff):
    with pytest.raises(PlanError, match="Only a draft plan"):
        services.open_consultation(
            adopted_plan, by=network_staff, closes_at=timezone.now() + datetime.timedelta(days=1)
        )


def test_adopt_plan_refuses_while_the_consultation_is_open(consultation_plan, network_staff):
    with pytest.raises(PlanError, match="Close the consultation"):
        services.adopt_plan(consultation_plan, by=network_staff)

    consultation_plan.refresh_from_db()
    assert consultation_plan.status == Plan.Status.CONSULTATION


def test_adopt_plan_after_the_consultation(closed_consultation_plan, network_staff):
    services.adopt_plan(closed_consultation_plan, by=network_staff)

    closed_consultation_plan.refresh_from_db()
    assert closed_consultation_plan.status == Plan.Status.ADOPTED
    assert closed_consultation_plan.adopted_on == timezone.localdate()


def test_adopt_plan_refuses_a_plan_without_activities(network, network_staff):
    plan = services.create_plan(
        by=network_staff, title="Empty", languages=["en"], network=network, **PERIOD
    )

    with pytest.raises(PlanError, match="at least one activity"):
        services.adopt_plan(plan, by=network_staff)


def test_publish_plan_refuses_a_draft(plan, network_staff):
    with pytest.raises(PlanError, match=re.escape("Only an adopted plan can be published.")):
        services.publish_plan(plan, by=network_staff)

    plan.refresh_from_db()
    assert plan.is_published is False


def test_publish_plan_and_close_it(adopted_plan, network_staff):
    services.publish_plan(adopted_plan, by=network_staff)
    services.close_plan(adopted_plan, by=network_staff)

    adopted_plan.refresh_from_db()
    assert (adopted_plan.status, adopted_plan.is_published) == (Plan.Status.CLOSED, True)


def test_record_progress_moves_the_activity_on(adopted_plan, network_staff):
    activity = Activity.objects.for_plan(adopted_plan).get()

    services.record_progress(
        activity,
        by=network_staff,
        reported_on=datetime.date(2025, 3, 1),
        text="Begun",
        percentage=40,
    )
    services.record_progress(
        activity,
        by=network_staff,
        reported_on=datetime.date(2025, 9, 1),
        text="Done",
        percentage=100,
    )

    activity.refresh_from_db()
    assert (activity.progress, activity.status) == (100, Activity.Status.DONE)
    assert ProgressUpdate.objects.count() == 2


def test_record_progress_keeps_the_latest_update_when_an_older_one_arrives(
    adopted_plan, network_staff
):
    activity = Activity.objects.for_plan(adopted_plan).get()
    services.record_progress(
        activity,
        by=network_staff,
        reported_on=datetime.date(2025, 9, 1),
        text="Later",
        percentage=70,
    )

    services.record_progress(
        activity,
        by=network_staff,
        reported_on=datetime.date(2025, 2, 1),
        text="Older",
        percentage=10,
    )

    activity.refresh_from_db()
    assert activity.progress == 70


def test_record_progress_refuses_a_draft_plan(plan, network_staff):
    activity = Activity.objects.for_plan(plan).get()

    with pytest.raises(PlanError, match="once the plan has been adopted"):
        services.record_progress(
            activity,
            by=network_staff,
            reported_on=datetime.date(2025, 3, 1),
            text="x",
            percentage=5,
        )

    assert ProgressUpdate.objects.count() == 0


def test_record_progress_refuses_a_dropped_activity(adopted_plan, network_staff):
    activity = Activity.objects.for_plan(adopted_plan).get()
    services.update_activity(
        activity, by=network_staff, status=Activity.Status.DROPPED, drop_reason="No money"
    )

    with pytest.raises(PlanError, match="was dropped"):
        services.record_progress(
            activity,
            by=network_staff,
            reported_on=datetime.date(2025, 3, 1),
            text="x",
            percentage=5,
        )


def test_record_progress_refuses_a_future_date(adopted_plan, network_staff):
    activity = Activity.objects.for_plan(adopted_plan).get()

    with pytest.raises(PlanError, match="future"):
        services.record_progress(
            activity,
            by=network_staff,
            reported_on=timezone.localdate() + datetime.timedelta(days=1),
            text="x",
            percentage=5,
        )


def test_record_progress_refuses_other_networks_staff(adopted_plan, other_staff):
    activity = Activity.objects.for_plan(adopted_plan).get()

    with pytest.raises(PlanError):
        services.record_progress(
            activity, by=other_staff, reported_on=datetime.date(2025, 3, 1), text="x", percentage=5
        )

    assert ProgressUpdate.objects.count() == 0


def test_update_activity_refuses_dropping_without_a_reason(plan, network_staff):
    activity = Activity.objects.for_plan(plan).get()

    with pytest.raises(PlanError, match=re.escape("Say why the activity was dropped.")):
        services.update_activity(activity, by=network_staff, status=Activity.Status.DROPPED)

    activity.refresh_from_db()
    assert activity.status == Activity.Status.PLANNED


def test_update_activity_refuses_bad_sdg_targets(plan, network_staff):
    activity = Activity.objects.for_plan(plan).get()

    with pytest.raises(PlanError, match=re.escape("These are not SDG target codes: 18.1.")):
        services.update_activity(activity, by=network_staff, sdg_targets=["4.7", "18.1"])


def test_delete_objective_refuses_an_adopted_plan(adopted_plan, network_staff):
    objective = adopted_plan.objectives.get()

    with pytest.raises(PlanError, match="keeps its objectives"):
        services.delete_objective(objective, by=network_staff)

    assert Objective.objects.count() == 1


def test_link_activity_needs_exactly_one_target(plan, network_staff, network):
    activity = Activity.objects.for_plan(plan).get()

    with pytest.raises(PlanError, match="Link to one thing"):
        services.link_activity(
            activity,
            by=network_staff,
            kind="event",
            title="X",
            url="https://example.org",
            target=network,
        )
    link = services.link_activity(
        activity, by=network_staff, kind="other", title="Network", target=network
    )

    assert (link.target, link.href) == (network, network.get_absolute_url())


def test_add_indicator_refuses_a_subject_of_another_plan(plan, network_staff):
    foreign = ObjectiveFactory()

    with pytest.raises(PlanError, match="something in this plan"):
        services.add_indicator(
            plan, by=network_staff, name="X", unit="u", target=5, objective=foreign
        )


def test_record_indicator_value_corrects_a_value_on_the_same_day(plan, network_staff):
    indicator = IndicatorFactory(objective=plan.objectives.get())
    day = datetime.date(2025, 6, 30)

    services.record_indicator_value(indicator, by=network_staff, measured_on=day, value=Decimal(3))
    services.record_indicator_value(indicator, by=network_staff, measured_on=day, value=Decimal(4))

    assert list(IndicatorValue.objects.values_list("value", flat=True)) == [Decimal("4.00")]
    assert indicator.achievement(Decimal(4)) == 10


def test_post_comment_while_open(consultation_plan, citizen):
    objective = consultation_plan.objectives.get()

    comment = services.post_comment(
        consultation_plan, objective, by=citizen, text="Good", on_behalf_of="Neighbours"
    )

    assert (comment.kind, comment.on_behalf_of) == (ConsultationComment.Kind.COMMENT, "Neighbours")


def test_post_comment_refuses_after_the_consultation_closed(closed_consultation_plan, citizen):
    objective = closed_consultation_plan.objectives.get()

    with pytest.raises(
        PlanError, match=re.escape("The consultation is closed; it accepts no more comments.")
    ):
        services.post_comment(closed_consultation_plan, objective, by=citizen, text="Late")

    assert ConsultationComment.objects.count() == 0


def test_post_comment_refuses_a_draft_plan(plan, citizen):
    with pytest.raises(PlanError):
        services.post_comment(plan, plan.objectives.get(), by=citizen, text="Early")

    assert ConsultationComment.objects.count() == 0


def test_post_comment_refuses_an_objective_of_another_plan(consultation_plan, citizen):
    with pytest.raises(PlanError, match="not part of the plan"):
        services.post_comment(consultation_plan, ObjectiveFactory(), by=citizen, text="x")


def test_support_comment_counts_each_person_once(consultation_plan, citizen, user):
    comment = CommentFactory(objective=consultation_plan.objectives.get(), author=user)

    services.support_comment(comment, by=citizen)
    with pytest.raises(PlanError, match=re.escape("You already support this.")):
        services.support_comment(comment, by=citizen)

    comment.refresh_from_db()
    assert (comment.support_count, CommentSupport.objects.count()) == (1, 1)


def test_support_comment_refuses_the_author(consultation_plan, citizen):
    comment = CommentFactory(objective=consultation_plan.objectives.get(), author=citizen)

    with pytest.raises(PlanError, match="your own comment"):
        services.support_comment(comment, by=citizen)


def test_support_comment_refuses_after_the_consultation_closed(closed_consultation_plan, citizen):
    comment = CommentFactory(objective=closed_consultation_plan.objectives.get())

    with pytest.raises(PlanError, match="accepts no more support"):
        services.support_comment(comment, by=citizen)

    assert CommentSupport.objects.count() == 0


def test_hide_comment_keeps_the_text_and_shows_the_reason(consultation_plan, network_staff):
    comment = CommentFactory(objective=consultation_plan.objectives.get(), text="Buy my shoes")

    services.hide_comment(comment, by=network_staff, reason="Advertising")

    comment.refresh_from_db()
    assert (comment.is_hidden, comment.hidden_reason, comment.text) == (
        True,
        "Advertising",
        "Buy my shoes",
    )


@pytest.mark.parametrize("who", ["citizen", "other_staff", "juror"])
def test_hide_comment_refuses_who_does_not_moderate(request, consultation_plan, who):
    comment = CommentFactory(objective=consultation_plan.objectives.get())

    with pytest.raises(PlanError, match="moderators"):
        services.hide_comment(comment, by=request.getfixturevalue(who), reason="x")

    comment.refresh_from_db()
    assert comment.is_hidden is False


def test_hide_comment_needs_a_reason(consultation_plan, network_staff):
    comment = CommentFactory(objective=consultation_plan.objectives.get())

    with pytest.raises(PlanError, match="Say why"):
        services.hide_comment(comment, by=network_staff, reason="  ")


def test_support_comment_refuses_a_hidden_comment(consultation_plan, network_staff, citizen):
    comment = CommentFactory(objective=consultation_plan.objectives.get())
    services.hide_comment(comment, by=network_staff, reason="Off topic")

    with pytest.raises(PlanError, match="hidden"):
        services.support_comment(comment, by=citizen)


def _proposal(plan):
    return CommentFactory(
        objective=plan.objectives.get(), kind=ConsultationComment.Kind.PROPOSAL, text="Add a fund"
    )


def test_answer_proposal_refuses_while_the_consultation_is_open(consultation_plan, network_staff):
    proposal = _proposal(consultation_plan)

    with pytest.raises(PlanError, match="once the consultation has closed"):
        services.answer_proposal(proposal, by=network_staff, answer="accepted")

    proposal.refresh_from_db()
    assert proposal.answer == ConsultationComment.Answer.PENDING


def test_answer_proposal_accepted_becomes_an_activity(closed_consultation_plan, network_staff):
    proposal = _proposal(closed_consultation_plan)

    services.answer_proposal(proposal, by=network_staff, answer="accepted", text="Good idea")

    proposal.refresh_from_db()
    assert proposal.answer == ConsultationComment.Answer.ACCEPTED
    assert proposal.activity.description == "Add a fund"
    assert proposal.activity.objective == proposal.objective


def test_answer_proposal_merged_needs_an_activity_of_the_plan(
    closed_consultation_plan, network_staff
):
    proposal = _proposal(closed_consultation_plan)

    with pytest.raises(PlanError, match="merged into"):
        services.answer_proposal(
            proposal, by=network_staff, answer="merged", activity=ActivityFactory()
        )
    existing = Activity.objects.for_plan(closed_consultation_plan).get()
    services.answer_proposal(proposal, by=network_staff, answer="merged", activity=existing)

    proposal.refresh_from_db()
    assert (proposal.answer, proposal.activity) == (ConsultationComment.Answer.MERGED, existing)


def test_answer_proposal_rejection_needs_a_reason(closed_consultation_plan, network_staff):
    proposal = _proposal(closed_consultation_plan)

    with pytest.raises(PlanError, match="reason for rejecting"):
        services.answer_proposal(proposal, by=network_staff, answer="rejected")
    services.answer_proposal(proposal, by=network_staff, answer="rejected", text="Out of scope")

    with pytest.raises(PlanError, match="already been answered"):
        services.answer_proposal(proposal, by=network_staff, answer="accepted")
    proposal.refresh_from_db()
    assert (proposal.answer, proposal.answer_text) == ("rejected", "Out of scope")


def test_answer_proposal_refuses_a_plain_comment(closed_consultation_plan, network_staff):
    comment = CommentFactory(objective=closed_consultation_plan.objectives.get())

    with pytest.raises(PlanError, match=re.escape("Only proposed activities are answered.")):
        services.answer_proposal(comment, by=network_staff, answer="accepted")


def test_answer_proposal_refuses_a_citizen(closed_consultation_plan, citizen):
    with pytest.raises(PlanError, match="Only the plan's staff"):
        services.answer_proposal(_proposal(closed_consultation_plan), by=citizen, answer="accepted")


def test_import_plan_creates_the_draft_with_everything(network, network_staff):
    parsed = read_plan_file("action_plan.docx", (FIXTURES / "action_plan.docx").read_bytes())

    plan = services.import_plan(
        parsed, by=network_staff, title="Plan 2030", languages=["es"], network=network, **PERIOD
    )

    assert plan.status == Plan.Status.DRAFT
    assert list(plan.objectives.values_list("position", flat=True)) == [1, 2, 3, 4, 5, 6]
    assert Activity.objects.for_plan(plan).count() == 14
    assert Activity.history.count() == 14


def test_import_plan_by_other_staff_writes_nothing(network, other_staff):
    parsed = read_plan_file("action_plan.csv", (FIXTURES / "action_plan.csv").read_bytes())

    with pytest.raises(PlanError):
        services.import_plan(
            parsed, by=other_staff, title="X", languages=["es"], network=network, **PERIOD
        )

    assert (Plan.objects.count(), Objective.objects.count(), Activity.objects.count()) == (0, 0, 0)


def test_update_plan_adds_levels_while_no_section_exists_then_sections_follow(plan, network_staff):
    levels = [{"en": "Axis"}, {"en": "Objective"}, {"en": "Action"}]

    services.update_plan(plan, by=network_staff, levels=levels)
    axis = services.add_section(plan, by=network_staff, title="Green city")
    objective = services.add_objective(plan, by=network_staff, title="Trees", section=axis)

    assert (plan.section_depth, axis.level, objective.section) == (1, 0, axis)
    with pytest.raises(PlanError, match="Name each of the plan's 3 levels"):
        services.update_plan(plan, by=network_staff, levels=levels[1:])
    with pytest.raises(PlanError, match="add a level to the plan first"):
        services.add_section(plan, by=network_staff, title="Below", parent=axis)
    with pytest.raises(PlanError, match="Say which part of the plan"):
        services.add_objective(plan, by=network_staff, title="Loose")


def test_delete_section_refuses_an_adopted_plan(plan, network_staff):
    services.update_plan(
        plan, by=network_staff, levels=[{"en": "Axis"}, {"en": "Objective"}, {"en": "Action"}]
    )
    axis = services.add_section(plan, by=network_staff, title="Green city")
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.ADOPTED)
    axis.plan.refresh_from_db()

    with pytest.raises(PlanError, match="An adopted plan keeps its parts"):
        services.delete_section(axis, by=network_staff)

    assert plan.sections.count() == 1
