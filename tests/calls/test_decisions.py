import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from municipia.calls.models import Application, Call, Decision
from municipia.calls.ranking import rank_applications
from municipia.calls.services import CallError
from municipia.calls.services.decisions import (
    decide_application,
    publish_results,
    record_deliberation,
)
from tests.factories.accounts import UserFactory
from tests.factories.calls import (
    ApplicationFactory,
    AssignmentFactory,
    JuryMemberFactory,
    ReviewFactory,
    ScoreFactory,
)
from tests.factories.directory import LocalGovernmentFactory

pytestmark = pytest.mark.django_db


def _score(call, application, member, *values):
    review = ReviewFactory(assignment=AssignmentFactory(application=application, juror=member))
    for criterion, value in zip(call.criteria.all(), values, strict=True):
        ScoreFactory(review=review, criterion=criterion, value=value)


@pytest.fixture
def scored(review_call):
    """Three applications scored by a severe and a lenient juror (Impact weighs 2, Innovation 1)."""
    severe, lenient = JuryMemberFactory(call=review_call), JuryMemberFactory(call=review_call)
    a, b, c = (
        ApplicationFactory(call=review_call, status=Application.Status.SUBMITTED, code=code)
        for code in ("A", "B", "C")
    )
    _score(review_call, a, severe, 4, 4)  # 40
    _score(review_call, b, severe, 2, 2)  # 20
    _score(review_call, c, severe, 3, 0)  # 20
    _score(review_call, a, lenient, 10, 10)  # 100
    _score(review_call, b, lenient, 8, 5)  # 70
    _score(review_call, c, lenient, 8, 5)  # 70
    return a, b, c


def test_rank_applications_normalises_per_juror_and_flags_ties(review_call, scored):
    _a, _b, _c = scored

    ranking = rank_applications(review_call)

    assert [(e.application.code, e.rank, e.tied) for e in ranking] == [
        ("A", 1, False),
        ("B", 2, True),
        ("C", 2, True),
    ]
    first = ranking[0]
    assert first.raw_mean == pytest.approx(70.0)
    assert first.normalised == pytest.approx(2**0.5)  # each juror: one standard deviation above
    assert first.spread == pytest.approx(60.0)
    assert first.disputed is True


def test_rank_applications_ignores_withdrawn_applications_and_recused_reviews(review_call, scored):
    _a, b, _c = scored
    Application.objects.filter(pk=b.pk).update(status=Application.Status.WITHDRAWN)

    ranking = rank_applications(review_call)

    assert [e.application.code for e in ranking] == ["A", "C"]


def test_decide_application_keeps_what_a_funded_project_needs(review_call, scored, network_staff):
    a, _b, _c = scored
    partner = LocalGovernmentFactory()

    decision = decide_application(
        a,
        by=network_staff,
        outcome=Decision.Outcome.FUNDED,
        amount=Decimal("45000.00"),
        currency="eur",
        partner_local_governments=[partner],
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2027, 6, 30),
    )

    assert (decision.amount, decision.currency) == (Decimal("45000.00"), "EUR")
    assert list(decision.partner_local_governments.all()) == [partner]


def test_decide_application_refuses_funding_without_an_amount(review_call, scored, network_staff):
    with pytest.raises(CallError, match="needs the amount granted"):
        decide_application(scored[0], by=network_staff, outcome=Decision.Outcome.FUNDED)

    assert Decision.objects.count() == 0


def test_decide_application_refuses_a_period_that_ends_before_it_starts(
    review_call, scored, network_staff
):
    with pytest.raises(CallError, match="cannot end before it starts"):
        decide_application(
            scored[0],
            by=network_staff,
            outcome=Decision.Outcome.WINNER,
            period_start=datetime.date(2026, 6, 1),
            period_end=datetime.date(2026, 1, 1),
        )


def test_publish_results_needs_every_decision(review_call, scored, network_staff):
    decide_application(scored[0], by=network_staff, outcome=Decision.Outcome.WINNER)

    with pytest.raises(CallError, match="still open: B, C"):
        publish_results(review_call, by=network_staff)

    review_call.refresh_from_db()
    assert review_call.results_published_at is None


def test_publish_results_ranks_and_tells_each_applicant_in_their_language(
    review_call, scored, network_staff, mailoutbox, django_capture_on_commit_callbacks
):
    a, b, c = scored
    for application, language in ((a, "fr"), (b, "es"), (c, "en")):
        application.created_by.language = language
        application.created_by.save()
    deliberation = record_deliberation(
        review_call,
        by=network_staff,
        held_at=timezone.now(),
        minutes="B and C tie; the jury funds A and mentions B.",
        attendees=review_call.jury.all(),
    )
    decide_application(
        a, by=network_staff, outcome="winner", deliberation=deliberation, note="Unanimous."
    )
    decide_application(b, by=network_staff, outcome="mention", deliberation=deliberation)
    decide_application(c, by=network_staff, outcome="rejected", deliberation=deliberation)

    with django_capture_on_commit_callbacks(execute=True):
        publish_results(review_call, by=network_staff)

    review_call.refresh_from_db()
    assert review_call.status == Call.Status.CLOSED
    assert list(Decision.objects.order_by("rank", "pk").values_list("rank", flat=True)) == [1, 2, 2]
    subjects = {m.to[0]: m.subject for m in mailoutbox}
    assert subjects[a.created_by.email] == f"Résultats de {review_call.title['fr']}"
    assert subjects[b.created_by.email] == f"Resultados de {review_call.title['en']}"
    assert subjects[c.created_by.email] == f"Results of {review_call.title['en']}"
    assert len(mailoutbox) == 3


def test_record_deliberation_refuses_jurors_of_another_call(review_call, network_staff):
    stranger = JuryMemberFactory()

    with pytest.raises(CallError, match="members of this call's jury"):
        record_deliberation(
            review_call, by=network_staff, held_at=timezone.now(), minutes="x", attendees=[stranger]
        )


def test_decisions_are_refused_to_a_juror(review_call, scored):
    juror = UserFactory()

    with pytest.raises(CallError, match="network's staff"):
        decide_application(scored[0], by=juror, outcome="winner")
