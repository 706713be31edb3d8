"""Impact assessments refuse what would lose meaning: a level not in the rubric, a missing
criterion, an assessor judging their own city, a closed round, a change after submitting; a rubric
in use is revised into a new version."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from municipia.accounts.models import Role
from municipia.surveys.impact import services
from municipia.surveys.impact.models import Assessment, Rubric, Score
from municipia.surveys.impact.profiles import network_view, profile
from tests.factories.accounts import RoleFactory
from tests.factories.knowledge import PublishedExperienceFactory
from tests.surveys.impact.conftest import levels, submitted

pytestmark = pytest.mark.django_db


def test_a_city_self_assesses_and_a_submitted_assessment_no_longer_changes(
    baseline, experience, city_officer
):
    assessment = submitted(baseline, experience, "self", city_officer)
    assert assessment.status == Assessment.Status.SUBMITTED
    assert sorted(assessment.scores.values_list("value", flat=True)) == [2, 3, 4]
    with pytest.raises(services.ImpactError, match="submitted and can no longer be changed"):
        services.save_assessment(assessment, levels(values=4), by=city_officer)
    assert sorted(assessment.scores.values_list("value", flat=True)) == [2, 3, 4]


def test_a_level_outside_the_rubric_and_a_missing_criterion_are_refused(
    baseline, experience, city_officer
):
    assessment = services.start_assessment(baseline, experience, "self", by=city_officer)
    with pytest.raises(services.ScoresRefused) as refused:
        services.save_assessment(assessment, levels(values=9), submit=True, by=city_officer)
    assert refused.value.errors == {"values": "9 is not a level of “Shared values”."}
    incomplete = {"participation": 3, "values": 2}
    with pytest.raises(services.ScoresRefused) as refused:
        services.save_assessment(assessment, incomplete, submit=True, by=city_officer)
    assert refused.value.errors == {"transversality": "Choose a level for “Transversality”."}
    with pytest.raises(services.ScoresRefused, match="not a criterion"):
        services.save_assessment(assessment, {**levels(), "speed": 1}, by=city_officer)
    assert not Score.objects.exists()
    # A draft may be incomplete; it is kept as far as it goes.
    services.save_assessment(assessment, incomplete, by=city_officer)
    assert Score.objects.count() == 2
    assert Assessment.objects.get().status == Assessment.Status.DRAFT


def test_external_assessors_assess_only_what_they_are_assigned_and_never_their_own_city(
    baseline, experience, assessor, city_officer, network_staff
):
    with pytest.raises(services.ImpactError, match="not asked to assess"):
        services.start_assessment(baseline, experience, "external", by=assessor)
    with pytest.raises(services.ImpactError, match="cannot assess it as an external assessor"):
        services.assign(baseline, experience, city_officer, by=network_staff)
    with pytest.raises(services.ImpactError, match="cannot assess it as an external assessor"):
        services.start_assessment(baseline, experience, "external", by=city_officer)
    with pytest.raises(services.ImpactError, match="Only the experience's city"):
        services.start_assessment(baseline, experience, "self", by=assessor)
    with pytest.raises(services.ImpactError, match="Only the network's staff"):
        services.assign(baseline, experience, assessor, by=city_officer)
    services.assign(baseline, experience, assessor, by=network_staff)
    assessment = submitted(baseline, experience, "external", assessor, values=3)
    assert assessment.assessor == assessor


def test_nothing_is_accepted_after_a_round_closed(
    baseline, experience, city_officer, network_staff
):
    assessment = services.start_assessment(baseline, experience, "self", by=city_officer)
    services.close_round(baseline, by=network_staff)
    with pytest.raises(services.ImpactError, match="This round is closed"):
        services.save_assessment(assessment, levels(), submit=True, by=city_officer)
    late = services.open_round(
        baseline.rubric,
        name={"en": "Past"},
        closes_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    with pytest.raises(services.ImpactError, match="This round is closed"):
        services.start_assessment(late, experience, "self", by=city_officer)


def test_a_rubric_in_use_is_revised_not_changed(rubric, baseline, experience, city_officer):
    extra = {"code": "reach", "name": {"en": "Reach"}, "levels": [(1, {}), (2, {})]}
    services.add_criterion(rubric, extra)  # nobody used it yet
    assessment = services.start_assessment(baseline, experience, "self", by=city_officer)
    services.save_assessment(assessment, {**levels(), "reach": 2}, submit=True, by=city_officer)
    with pytest.raises(services.ImpactError, match="make a new version"):
        services.add_criterion(rubric, {**extra, "code": "depth"})
    revised = services.revise_rubric(rubric)
    assert (revised.number, revised.previous) == (2, rubric)
    assert [c.code for c in revised.criteria.all()] == [c.code for c in rubric.criteria.all()]
    services.add_criterion(revised, {**extra, "code": "depth"})
    assert rubric.criteria.count() == 4
    assert revised.criteria.count() == 5
    with pytest.raises(services.ImpactError, match="newer version"):
        services.revise_rubric(rubric)
    assert Rubric.objects.count() == 2


def test_a_criterion_needs_two_distinct_levels_and_a_positive_weight(network):
    for spec, message in [
        ({"levels": [(1, {})]}, "at least two levels"),
        ({"levels": [(1, {}), (1, {})]}, "same score"),
        ({"weight": 0, "levels": [(1, {}), (2, {})]}, "above zero"),
    ]:
        with pytest.raises(services.ImpactError, match=message):
            services.create_rubric(
                network, title={"en": "R"}, criteria=[{"code": "a", "name": {}, **spec}]
            )
    assert not Rubric.objects.exists()


def test_profile_keeps_self_and_external_baseline_and_follow_up_apart(
    rubric, baseline, experience, city_officer, assessor, network_staff
):
    services.assign(baseline, experience, assessor, by=network_staff)
    submitted(baseline, experience, "self", city_officer, participation=3)
    submitted(baseline, experience, "external", assessor, participation=1)
    follow_up = services.open_round(rubric, name={"en": "2027"}, phase="follow_up")
    submitted(follow_up, experience, "self", city_officer, participation=4)
    found = profile(experience)
    assert found.assessments == 3
    labels = [(s.kind, s.phase) for s in found.series]
    assert labels == [("self", "baseline"), ("external", "baseline"), ("self", "follow_up")]
    participation = rubric.criteria.get(code="participation").pk
    assert [s.means[participation] for s in found.series] == [3, 1, 4]
    # Weighted: participation counts twice.
    assert found.weighted(found.series[0]) == round((2 * 3 + 2 + 4) / 4, 2)
    assert found.shown  # three assessments, the site's threshold


def test_network_view_puts_the_weakest_criterion_first_and_names_the_best_experiences(
    network, baseline, experience, city_officer, django_assert_max_num_queries
):
    submitted(baseline, experience, "self", city_officer, values=1)
    for score in (2, 4):
        other = PublishedExperienceFactory(network=network)
        officer = RoleFactory(
            kind=Role.Kind.CITY_OFFICER, network=None, local_government=other.city
        ).user
        submitted(baseline, other, "self", officer, values=score)
    with django_assert_max_num_queries(6):
        views = network_view(baseline.rubric)
    assert views[0].criterion.code == "values"
    assert views[0].mean == Decimal("2.33")
    assert dict(views[0].distribution) == {1: 1, 2: 1, 3: 0, 4: 1}
    assert [mean for _e, mean in views[0].best] == [4, 2, 1]


def test_a_methodology_keeps_a_checked_document(experience, city_officer, assessor):
    pdf = SimpleUploadedFile("plan.pdf", b"%PDF-1.4 evaluation", content_type="application/pdf")
    methodology = services.add_methodology(
        experience,
        title="Before and after survey",
        description="Families answered before and after.",
        indicators="Families taking part\nSchools involved",
        language="en",
        upload=pdf,
        by=city_officer,
    )
    assert methodology.content_type == "application/pdf"
    assert methodology.indicator_list == ["Families taking part", "Schools involved"]
    html = SimpleUploadedFile("x.html", b"<script>alert(1)</script>")
    with pytest.raises(services.ImpactError, match="not accepted"):
        services.add_methodology(
            experience, title="T", description="D", language="en", upload=html, by=city_officer
        )
    with pytest.raises(services.ImpactError, match="Only the experience's city"):
        services.add_methodology(experience, title="T", description="D", language="en", by=assessor)
    assert experience.impact_methodologies.count() == 1


def test_a_methodology_is_found_through_its_experience(experience, city_officer):
    from municipia.knowledge.documents import experience_documents

    services.add_methodology(
        experience,
        title="Photovoice with teenagers",
        description="Young people photographed their neighbourhood.",
        indicators="Photographs discussed",
        language="en",
        by=city_officer,
    )
    experience = (
        type(experience).objects.prefetch_related("impact_methodologies").get(pk=experience.pk)
    )
    (document,) = experience_documents(experience)
    assert "Photovoice with teenagers" in document.body
    assert "Photographs discussed" in document.body
