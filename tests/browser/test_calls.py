"""A juror logs in, opens an application assigned to them in a blind call, and scores it."""

import pytest
from allauth.account.models import EmailAddress

from municipia.calls.models import Application, Call, Review
from tests.factories.accounts import UserFactory
from tests.factories.calls import (
    ApplicationFactory,
    AssignmentFactory,
    CallFactory,
    CriterionFactory,
    FormFieldFactory,
    JuryMemberFactory,
)
from tests.factories.directory import LocalGovernmentFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery"


@pytest.fixture
def assignment():
    call = CallFactory(status=Call.Status.REVIEW, title={"en": "Educating Cities Award"})
    summary = FormFieldFactory(call=call, label={"en": "Summary of the practice"})
    CriterionFactory(call=call, name={"en": "Inclusion"}, weight=3)
    CriterionFactory(call=call, name={"en": "Innovation"}, weight=1)
    application = ApplicationFactory(
        call=call,
        local_government=LocalGovernmentFactory(name="Granollers"),
        status=Application.Status.SUBMITTED,
        title="Learning routes in the neighbourhood",
        answers={summary.key: "Children map their streets with their teachers."},
    )
    juror = UserFactory(email="juror@example.org", full_name="Ana Ferreira")
    EmailAddress.objects.create(user=juror, email=juror.email, verified=True, primary=True)
    return AssignmentFactory(
        application=application, juror=JuryMemberFactory(call=call, user=juror)
    )


def test_juror_scores_an_assigned_application(assignment, page, live_url, browser_login):
    browser_login("juror@example.org", PASSWORD)

    page.goto(live_url("/en/calls/reviews/"))
    page.get_by_role("link", name=assignment.application.code).click()
    assert (
        page.get_by_role("heading", level=1)
        .inner_text()
        .startswith("Learning routes in the neighbourhood")
    )
    assert "Granollers" not in page.content()  # blind review
    page.get_by_label("Inclusion", exact=True).fill("8")
    page.get_by_label("Innovation", exact=True).fill("6")
    page.get_by_label("Comment on Inclusion").fill("Clear effect on school attendance.")
    page.get_by_label("Overall comment").fill("A practice other cities can follow.")
    page.get_by_role("button", name="Submit the review").click()
    page.wait_for_load_state()

    assert page.get_by_text("Your review is submitted.").count() == 1
    review = Review.objects.get(assignment=assignment)
    assert review.status == Review.Status.SUBMITTED
    assert sorted(review.scores.values_list("criterion__name__en", "value")) == [
        ("Inclusion", 8),
        ("Innovation", 6),
    ]
