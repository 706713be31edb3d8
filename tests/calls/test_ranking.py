"""The ranking never lets a score resting on too few reviews pass for a complete one."""

import csv
import io

import pytest
from django.urls import reverse

from municipia.calls.models import Application
from municipia.calls.ranking import build_ranking, rank_applications
from tests.calls.test_views import RANKING_QUERIES
from tests.factories.calls import (
    ApplicationFactory,
    AssignmentFactory,
    JuryMemberFactory,
    ReviewFactory,
    ScoreFactory,
)

pytestmark = pytest.mark.django_db


def _review(call, application, member, total):
    """A submitted review whose weighted total is `total` (both criteria scored total / 10)."""
    review = ReviewFactory(assignment=AssignmentFactory(application=application, juror=member))
    for criterion in call.criteria.all():
        ScoreFactory(review=review, criterion=criterion, value=total // 10)


@pytest.fixture
def misleading(review_call):
    """The call asks for 2 reviews. P has one review (60, its juror's best of two: z = +1.00,
    spread 0.0); Q has two and the best raw mean (90 and 80), but one of its jurors gave more to S."""
    j1, j2, j3 = (JuryMemberFactory(call=review_call, user__full_name=n) for n in "ABC")
    p, q, r, s = (
        ApplicationFactory(call=review_call, status=Application.Status.SUBMITTED, code=code)
        for code in "PQRS"
    )
    _review(review_call, p, j1, 60)
    _review(review_call, s, j1, 20)
    _review(review_call, q, j2, 90)
    _review(review_call, r, j2, 70)
    _review(review_call, q, j3, 80)
    _review(review_call, s, j3, 100)
    return p, q, r, s


def test_one_review_no_longer_ranks_above_two_reviews_with_the_best_raw_mean(
    review_call, misleading
):
    ranking = rank_applications(review_call)

    assert [(e.application.code, e.rank, e.reviews, e.under_reviewed) for e in ranking] == [
        ("Q", 1, 2, False),
        ("S", 2, 2, False),
        ("R", 3, 1, True),
        ("P", 4, 1, True),
    ]
    assert ranking[0].raw_mean == pytest.approx(85.0)
    assert [e.raw_reviews for e in ranking] == [2, 2, 1, 1]


def test_jurors_with_too_few_reviews_are_compared_on_the_calls_common_scale(
    review_call, misleading
):
    ranking = build_ranking(review_call)

    assert [(str(j.member), j.reviews) for j in ranking.raw_jurors] == [
        ("A", 2),
        ("B", 2),
        ("C", 2),
    ]
    p = next(e for e in ranking.entries if e.application.code == "P")
    # 60 against the six totals of the call (mean 70, deviation 25.82), not +1.00 from A alone.
    assert p.normalised == pytest.approx((60 - 70) / 25.819889, abs=1e-4)


def test_jurors_with_enough_reviews_are_normalised_per_juror(review_call, misleading, settings):
    settings.MUNICIPIA_CALLS_MIN_REVIEWS_TO_NORMALISE = 2

    ranking = build_ranking(review_call)

    assert ranking.raw_jurors == []
    by_code = {e.application.code: e for e in ranking.entries}
    assert by_code["P"].normalised == pytest.approx(1.0)
    assert by_code["Q"].normalised == pytest.approx(0.0)
    # Still: the one-review application comes after both complete ones, flagged.
    assert [e.application.code for e in ranking.entries] == ["Q", "S", "P", "R"]
    assert [e.under_reviewed for e in ranking.entries] == [False, False, True, True]


def test_unreviewed_applications_come_last_unranked(review_call, misleading):
    ApplicationFactory(call=review_call, status=Application.Status.SUBMITTED, code="Z")

    ranking = rank_applications(review_call)

    assert (ranking[-1].application.code, ranking[-1].rank, ranking[-1].reviews) == ("Z", None, 0)


def test_ranking_page_shows_review_counts_flags_and_the_jurors_not_normalised(
    login, review_call, misleading, network_staff
):
    response = login(network_staff).get(reverse("calls:ranking", args=[review_call.slug]))

    text = response.text
    assert text.count("too few reviews") == 2
    assert text.count("2 of 2") == 2
    assert text.count("1 of 2") == 2
    assert "fewer than 3 reviews in this call" in text
    assert "<li>A: 2 reviews</li>" in text
    assert "2 reviews not normalised" in text
    assert "This call asks for 2 reviews per application." in text


def test_ranking_export_carries_the_review_counts(login, review_call, misleading, network_staff):
    response = login(network_staff).get(
        reverse("calls:export", args=[review_call.slug, "ranking", "csv"])
    )

    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:7] == [
        "Rank",
        "Tie",
        "Reference",
        "Applicant",
        "Reviews",
        "Reviews required",
        "Too few reviews",
    ]
    assert [(row[0], row[2], row[4], row[5], row[6], row[9]) for row in rows[1:]] == [
        ("1", "Q", "2", "2", "", "2"),
        ("2", "S", "2", "2", "", "2"),
        ("3", "R", "1", "2", "yes", "1"),
        ("4", "P", "1", "2", "yes", "1"),
    ]


@pytest.mark.parametrize("count", [1, 3])
def test_ranking_page_queries_do_not_grow_with_reviews_and_unnormalised_jurors(
    login, review_call, network_staff, count, django_assert_num_queries
):
    for index in range(count):
        application = ApplicationFactory(
            call=review_call, status=Application.Status.SUBMITTED, code=f"X{index}"
        )
        _review(review_call, application, JuryMemberFactory(call=review_call), 50 + index)
    client = login(network_staff)

    with django_assert_num_queries(RANKING_QUERIES + 1):  # + the jurors not normalised
        response = client.get(reverse("calls:ranking", args=[review_call.slug]))

    assert len(response.context["ranking"].raw_jurors) == count
