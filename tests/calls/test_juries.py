import pytest

from municipia.accounts.models import Role
from municipia.accounts.permissions import forget_roles, is_juror
from municipia.calls.models import Application, Assignment, Call, Conflict
from municipia.calls.services import CallError
from municipia.calls.services.juries import (
    add_assignment,
    add_jury_member,
    assign_reviewers,
    declare_conflict,
    recuse,
    remove_assignment,
    remove_jury_member,
)
from tests.factories.accounts import RoleFactory, UserFactory
from tests.factories.calls import ApplicationFactory, JuryMemberFactory, ReviewFactory
from tests.factories.directory import CountryFactory, LocalGovernmentFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def _submitted(call, **kwargs):
    return ApplicationFactory(call=call, status=Application.Status.SUBMITTED, **kwargs)


def test_add_jury_member_grants_the_juror_role(review_call, network_staff):
    user = UserFactory()

    member = add_jury_member(review_call, user=user, by=network_staff, languages=["en"])

    forget_roles(user)
    assert is_juror(user, review_call.network) is True
    assert member.languages == ["en"]


def test_add_jury_member_is_refused_to_other_network_staff(review_call, other_network):
    stranger = RoleFactory(kind=Role.Kind.NETWORK_STAFF, network=other_network).user

    with pytest.raises(CallError, match="network's staff"):
        add_jury_member(review_call, user=UserFactory(), by=stranger, languages=["en"])


def test_assign_reviewers_respects_conflicts_languages_and_balance(review_call, network_staff):
    lisbon, porto = LocalGovernmentFactory(name="Lisbon"), LocalGovernmentFactory(name="Porto")
    from_lisbon = JuryMemberFactory(
        call=review_call, local_government=lisbon, country=lisbon.country
    )
    reads_french_only = JuryMemberFactory(call=review_call, languages=["fr"])
    others = [JuryMemberFactory(call=review_call) for _ in range(3)]
    applications = [_submitted(review_call, local_government=lisbon)] + [
        _submitted(review_call, local_government=porto) for _ in range(5)
    ]

    report = assign_reviewers(review_call, by=network_staff)

    assert report["created"] == 12
    assert report["short"] == []
    rows = list(Assignment.objects.values_list("application_id", "juror_id"))
    assert (applications[0].pk, from_lisbon.pk) not in rows
    assert all(juror != reads_french_only.pk for _a, juror in rows)
    loads = [sum(1 for _a, j in rows if j == m.pk) for m in [from_lisbon, *others]]
    assert max(loads) - min(loads) <= 1
    review_call.refresh_from_db()
    assert review_call.assignment_report["created"] == 12


def test_assign_reviewers_says_why_an_application_is_short(review_call, network_staff):
    city = LocalGovernmentFactory()
    JuryMemberFactory(call=review_call, local_government=city)
    JuryMemberFactory(call=review_call, languages=["fr"])
    application = _submitted(review_call, local_government=city)

    report = assign_reviewers(review_call, by=network_staff)

    assert report["short"] == [
        {
            "application": application.pk,
            "code": application.code,
            "missing": 2,
            "possible": 0,
            "excluded": {"language": 1, "city": 1},
        }
    ]


def test_assign_reviewers_applies_the_same_country_rule_when_asked(review_call, network_staff):
    spain = CountryFactory(code="ES")
    Call.objects.filter(pk=review_call.pk).update(same_country_conflict=True)
    review_call.refresh_from_db()
    JuryMemberFactory(call=review_call, country=spain)
    application = _submitted(review_call, local_government=LocalGovernmentFactory(country=spain))

    report = assign_reviewers(review_call, by=network_staff)

    assert report["short"][0]["excluded"] == {"country": 1}
    assert Assignment.objects.filter(application=application).count() == 0


def test_assign_reviewers_keeps_existing_assignments_and_runs_again(review_call, network_staff):
    members = [JuryMemberFactory(call=review_call) for _ in range(3)]
    application = _submitted(review_call)
    add_assignment(application, members[2], by=network_staff)

    first = assign_reviewers(review_call, by=network_staff)
    second = assign_reviewers(review_call, by=network_staff)

    assert (first["created"], second["created"]) == (1, 0)
    assert Assignment.objects.filter(application=application).count() == 2


def test_assign_reviewers_is_refused_before_the_review(call, network_staff):
    with pytest.raises(CallError, match="once the call is in review"):
        assign_reviewers(call, by=network_staff)


def test_add_assignment_refuses_a_juror_of_the_applicants_organisation(review_call, network_staff):
    organisation = OrganisationFactory()
    member = JuryMemberFactory(call=review_call, organisation=organisation)
    application = _submitted(review_call, local_government=None, organisation=organisation)

    with pytest.raises(CallError, match="is from the applicant's organisation"):
        add_assignment(application, member, by=network_staff)

    assert Assignment.objects.count() == 0


def test_add_assignment_refuses_a_declared_conflict(review_call, network_staff):
    member = JuryMemberFactory(call=review_call)
    application = _submitted(review_call)
    declare_conflict(member, by=member.user, local_government=application.local_government)

    with pytest.raises(CallError, match="declared a conflict of interest"):
        add_assignment(application, member, by=network_staff)


def test_recuse_ends_the_assignment_and_records_the_conflict(review_call, network_staff):
    member = JuryMemberFactory(call=review_call)
    application = _submitted(review_call)
    assignment = add_assignment(application, member, by=network_staff)

    recuse(assignment, by=member.user, reason="I advised this project.")

    assignment.refresh_from_db()
    assert assignment.status == Assignment.Status.RECUSED
    assert list(Conflict.objects.values_list("application", "reason")) == [
        (application.pk, "I advised this project.")
    ]
    with pytest.raises(CallError, match="recused themselves"):
        add_assignment(application, member, by=network_staff)


def test_declare_conflict_is_refused_to_another_juror(review_call):
    member, other = JuryMemberFactory(call=review_call), JuryMemberFactory(call=review_call)

    with pytest.raises(CallError, match="Only the juror"):
        declare_conflict(member, by=other.user, application=_submitted(review_call))


def test_remove_assignment_is_refused_once_the_review_is_submitted(review_call, network_staff):
    review = ReviewFactory(assignment__application__call=review_call)

    with pytest.raises(CallError, match="submitted"):
        remove_assignment(review.assignment, by=network_staff)


def test_remove_jury_member_ends_unfinished_assignments_only(review_call, network_staff):
    member = JuryMemberFactory(call=review_call)
    done = ReviewFactory(assignment__juror=member, assignment__application__call=review_call)
    open_assignment = add_assignment(_submitted(review_call), member, by=network_staff)

    remove_jury_member(member, by=network_staff)

    done.assignment.refresh_from_db()
    open_assignment.refresh_from_db()
    assert done.assignment.status == Assignment.Status.ACTIVE
    assert open_assignment.status == Assignment.Status.RECUSED
