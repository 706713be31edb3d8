import datetime

import pytest
from django.core.exceptions import PermissionDenied

from municipia.core.models import ActivityLog
from municipia.directory import services
from municipia.directory.models import (
    Consent,
    LocalGovernment,
    Membership,
    MembershipStatusChange,
    Mentoring,
)
from tests.factories.accounts import UserFactory
from tests.factories.directory import (
    ConsentFactory,
    CountryFactory,
    LocalGovernmentFactory,
    MembershipFactory,
    NetworkFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db


def _statuses(membership):
    return list(membership.status_changes.values_list("from_status", "to_status"))


def test_city_officer_applies_and_network_staff_are_told(
    city_officer, city, network, network_staff, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        membership = services.apply_for_membership(
            network, city, by=city_officer, category="associate", message="We would like to join."
        )

    assert (membership.status, membership.category, membership.applied_by) == (
        Membership.Status.APPLICANT,
        "associate",
        city_officer,
    )
    assert _statuses(membership) == [("", "applicant")]
    assert [mail.to for mail in mailoutbox] == [[network_staff.email]]
    assert city.name in mailoutbox[0].subject
    assert "We would like to join." in mailoutbox[0].body


def test_officer_of_another_city_cannot_apply_for_it(other_city_officer, city, network):
    with pytest.raises(PermissionDenied):
        services.apply_for_membership(network, city, by=other_city_officer)

    assert Membership.objects.count() == 0


def test_network_staff_cannot_apply_in_a_citys_name(network_staff, city, network):
    with pytest.raises(PermissionDenied):
        services.apply_for_membership(network, city, by=network_staff)


def test_applying_twice_is_refused(city_officer, city, network):
    services.apply_for_membership(network, city, by=city_officer)

    with pytest.raises(services.DirectoryError, match="already applied"):
        services.apply_for_membership(network, city, by=city_officer)


def test_an_active_member_cannot_apply_again(city_officer, city, network):
    MembershipFactory(network=network, local_government=city)

    with pytest.raises(services.DirectoryError, match="already a member"):
        services.apply_for_membership(network, city, by=city_officer)


def test_unpublished_network_takes_no_application(city_officer, city):
    network = NetworkFactory(is_published=False)

    with pytest.raises(services.DirectoryError):
        services.apply_for_membership(network, city, by=city_officer)


def test_a_refused_city_may_apply_again(city_officer, city, network):
    MembershipFactory(network=network, local_government=city, status=Membership.Status.REFUSED)

    membership = services.apply_for_membership(network, city, by=city_officer)

    assert membership.status == Membership.Status.APPLICANT


def test_staff_approve_and_the_officer_is_told(
    city_officer, city, network, network_staff, mailoutbox, django_capture_on_commit_callbacks
):
    membership = services.apply_for_membership(network, city, by=city_officer)

    with django_capture_on_commit_callbacks(execute=True):
        services.approve_membership(membership, by=network_staff, on=datetime.date(2025, 3, 1))

    membership.refresh_from_db()
    assert (membership.status, membership.joined_on) == ("active", datetime.date(2025, 3, 1))
    assert _statuses(membership) == [("", "applicant"), ("applicant", "active")]
    assert [mail.to for mail in mailoutbox] == [[city_officer.email]]
    assert ActivityLog.objects.filter(action="directory.membership.active").count() == 1


def test_refusal_needs_a_reason_and_changes_nothing_without_one(city, network, network_staff):
    membership = MembershipFactory(network=network, local_government=city, status="applicant")

    with pytest.raises(services.DirectoryError, match="reason"):
        services.refuse_membership(membership, by=network_staff, reason="  ")

    membership.refresh_from_db()
    assert membership.status == Membership.Status.APPLICANT
    assert MembershipStatusChange.objects.count() == 0


def test_refusal_reason_reaches_the_officer(
    city_officer, city, network, network_staff, mailoutbox, django_capture_on_commit_callbacks
):
    membership = services.apply_for_membership(network, city, by=city_officer)

    with django_capture_on_commit_callbacks(execute=True):
        services.refuse_membership(membership, by=network_staff, reason="Outside our region.")

    membership.refresh_from_db()
    assert (membership.status, membership.status_reason) == ("refused", "Outside our region.")
    assert "Outside our region." in mailoutbox[0].body


def test_staff_of_another_network_cannot_decide(city, network, other_network_staff):
    membership = MembershipFactory(network=network, local_government=city, status="applicant")

    with pytest.raises(PermissionDenied):
        services.approve_membership(membership, by=other_network_staff)

    membership.refresh_from_db()
    assert membership.status == Membership.Status.APPLICANT


def test_city_officer_cannot_approve_their_own_application(city_officer, city, network):
    membership = services.apply_for_membership(network, city, by=city_officer)

    with pytest.raises(PermissionDenied):
        services.approve_membership(membership, by=city_officer)


def test_staff_of_the_parent_network_run_its_sub_networks(city, sub_network, network_staff):
    membership = MembershipFactory(network=sub_network, local_government=city, status="applicant")

    services.approve_membership(membership, by=network_staff)

    membership.refresh_from_db()
    assert membership.status == Membership.Status.ACTIVE


def test_suspend_reinstate_and_end_keep_the_history(city, network, network_staff):
    membership = MembershipFactory(
        network=network, local_government=city, joined_on=datetime.date(2019, 5, 1)
    )

    services.suspend_membership(membership, by=network_staff, reason="Dues unpaid.")
    services.reinstate_membership(membership, by=network_staff)
    services.end_membership(membership, by=network_staff, on=datetime.date(2025, 12, 31))

    membership.refresh_from_db()
    assert (membership.status, membership.joined_on, membership.left_on) == (
        "left",
        datetime.date(2019, 5, 1),
        datetime.date(2025, 12, 31),
    )
    assert _statuses(membership) == [
        ("active", "suspended"),
        ("suspended", "active"),
        ("active", "left"),
    ]
    assert membership.history.count() == 4


def test_an_impossible_transition_is_refused(city, network, network_staff):
    membership = MembershipFactory(network=network, local_government=city, status="applicant")

    with pytest.raises(services.DirectoryError, match="cannot become"):
        services.suspend_membership(membership, by=network_staff, reason="No.")


def test_add_member_creates_then_updates(network, network_staff, city):
    first, created = services.add_member(
        network, by=network_staff, local_government=city, category="full", notify=False
    )
    second, created_again = services.add_member(
        network, by=network_staff, local_government=city, category="observer", notify=False
    )

    assert (created, created_again) == (True, False)
    assert first.pk == second.pk
    assert second.category == "observer"


def test_pair_mentor_with_an_active_member_of_the_same_network(network, network_staff):
    mentee = MembershipFactory(network=network, status="applicant")
    mentor = MembershipFactory(network=network)

    mentoring = services.pair_mentor(
        mentee, mentor, by=network_staff, started_on=datetime.date(2025, 1, 1)
    )

    assert (mentoring.network, mentoring.mentee, mentoring.mentor) == (network, mentee, mentor)


@pytest.mark.parametrize(
    ("mentor_kwargs", "message"),
    [
        ({"status": "suspended"}, "active member"),
        ({"network": None}, "same network"),
    ],
)
def test_pair_mentor_refuses_an_unsuitable_mentor(network, network_staff, mentor_kwargs, message):
    mentee = MembershipFactory(network=network, status="applicant")
    kwargs = {"network": network, **mentor_kwargs}
    if kwargs["network"] is None:
        kwargs["network"] = NetworkFactory()
    mentor = MembershipFactory(**kwargs)

    with pytest.raises(services.DirectoryError, match=message):
        services.pair_mentor(mentee, mentor, by=network_staff)

    assert Mentoring.objects.count() == 0


def test_a_member_has_one_mentor_at_a_time(network, network_staff):
    mentee = MembershipFactory(network=network, status="applicant")
    services.pair_mentor(mentee, MembershipFactory(network=network), by=network_staff)

    with pytest.raises(services.DirectoryError, match="already has a mentor"):
        services.pair_mentor(mentee, MembershipFactory(network=network), by=network_staff)


def test_ended_mentoring_frees_the_member_for_another(network, network_staff):
    mentee = MembershipFactory(network=network, status="active")
    mentoring = services.pair_mentor(
        mentee,
        MembershipFactory(network=network),
        by=network_staff,
        started_on=datetime.date(2024, 1, 1),
    )

    services.end_mentoring(mentoring, by=network_staff, on=datetime.date(2025, 1, 1))
    services.pair_mentor(mentee, MembershipFactory(network=network), by=network_staff)

    assert Mentoring.objects.open().filter(mentee=mentee).count() == 1


def test_pairing_is_refused_to_other_networks_staff(network, other_network_staff):
    mentee = MembershipFactory(network=network, status="applicant")

    with pytest.raises(PermissionDenied):
        services.pair_mentor(mentee, MembershipFactory(network=network), by=other_network_staff)


def test_network_staff_create_a_metropolitan_area_searchable_by_every_name(network_staff):
    country = CountryFactory(code="ES", languages=["es"])

    place = services.create_local_government(
        by=network_staff,
        name="Àrea Metropolitana de Barcelona",
        country=country,
        kind=LocalGovernment.Kind.METROPOLITAN_AREA,
        other_names=[("Barcelona Metropolitan Area", "en")],
    )

    assert place.official_languages == ["es"]
    assert place.geonames_id is None
    assert list(LocalGovernment.objects.search("area metropolitana")) == [place]
    assert list(LocalGovernment.objects.search("Barcelona Metro")) == [place]


def test_only_staff_create_places(city_officer):
    with pytest.raises(PermissionDenied):
        services.create_local_government(
            by=city_officer, name="Region", country=CountryFactory(), kind="region"
        )


def test_a_place_cannot_be_part_of_a_place_in_another_country(network_staff):
    parent = LocalGovernmentFactory(country=CountryFactory(code="FR"), kind="region")

    with pytest.raises(services.DirectoryError):
        services.create_local_government(
            by=network_staff,
            name="X",
            country=CountryFactory(code="ES"),
            kind="region",
            parent=parent,
        )


def test_officer_updates_their_city_profile(city_officer, city):
    services.update_local_government_profile(city, by=city_officer, website="https://city.example")

    city.refresh_from_db()
    assert city.website == "https://city.example"


def test_officer_of_another_city_cannot_update_the_profile(other_city_officer, city):
    with pytest.raises(PermissionDenied):
        services.update_local_government_profile(
            city, by=other_city_officer, website="https://x.example"
        )

    city.refresh_from_db()
    assert city.website == ""


def test_consent_recorded_and_withdrawn(network, network_staff):
    person = PersonFactory()

    consent = services.record_consent(
        person,
        Consent.Scope.EXPERT_DIRECTORY,
        by=network_staff,
        network=network,
        statement="I agree to be listed.",
        evidence="Signed form",
    )
    services.withdraw_consent(consent, by=network_staff)

    consent.refresh_from_db()
    assert consent.recorded_by == network_staff
    assert consent.withdrawn_at is not None
    assert list(type(person).objects.experts_of(network)) == []


def test_consent_cannot_be_recorded_by_a_stranger(user):
    person = PersonFactory()

    with pytest.raises(PermissionDenied):
        services.record_consent(
            person, Consent.Scope.CONTACT_DETAILS, by=user, statement="Yes", evidence="Form"
        )


def test_consent_needs_its_statement_and_evidence():
    person = PersonFactory(user=UserFactory())

    with pytest.raises(services.DirectoryError):
        services.record_consent(
            person, Consent.Scope.CONTACT_DETAILS, by=person.user, statement="", evidence="Form"
        )


def test_consent_withdrawn_twice_is_refused():
    person = PersonFactory(user=UserFactory())
    consent = ConsentFactory(person=person)
    services.withdraw_consent(consent, by=person.user)

    with pytest.raises(services.DirectoryError):
        services.withdraw_consent(consent, by=person.user)
