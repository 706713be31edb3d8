"""A participant follows a course on a phone: enrols from the course page, marks a module done, hands
in a checked file and writes in the forum; the page passes the accessibility check."""

import pytest
from allauth.account.models import EmailAddress

from municipia.learning.models import Enrolment, ForumThread, ModuleProgress, Submission
from tests.browser.conftest import log_in
from tests.factories.accounts import UserFactory
from tests.factories.learning import (
    AssignmentFactory,
    CourseFactory,
    CourseRunFactory,
    ModuleFactory,
)
from tests.learning.conftest import PDF

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct horse battery"


def test_a_participant_follows_a_course_on_a_phone(
    browser, live_server, live_url, tmp_path, assert_accessible
):
    course = CourseFactory(title="Youth participation in educating cities")
    run = CourseRunFactory(course=course, name="2026 edition")
    module = ModuleFactory(course=course, titles={"en": "Youth councils"})
    AssignmentFactory(module=module, titles={"en": "Map your city's councils"})
    user = UserFactory(email="valentina@example.org", full_name="Valentina Rojas")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    work = tmp_path / "work.pdf"
    work.write_bytes(PDF)
    context = browser.new_context(
        locale="en-GB", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)

    log_in(page, live_url, "valentina@example.org", PASSWORD)
    page.goto(live_url(f"/en/learning/{course.slug}/"))
    page.get_by_role("button", name="Enrol").click()
    page.get_by_role("link", name="Go to the classroom").click()
    assert page.get_by_role("heading", name="Your progress").is_visible()
    assert_accessible(page)
    page.get_by_label("Your work").set_input_files(str(work))
    page.get_by_role("button", name="Hand in").click()
    assert page.get_by_text("Your work is handed in.").is_visible()
    page.get_by_role("button", name="Mark this module done").click()
    assert page.get_by_text("1 of 1 modules done").is_visible()
    page.get_by_label("Title").fill("Who has a youth council?")
    page.get_by_label("Message").fill("We are starting one.")
    page.get_by_role("button", name="Publish").click()
    assert page.get_by_role("heading", name="Who has a youth council?").is_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    context.close()

    assert width <= 390  # nothing wider than the phone
    enrolment = Enrolment.objects.get(run=run)
    assert enrolment.status == "confirmed"
    assert ModuleProgress.objects.filter(enrolment=enrolment).count() == 1
    assert Submission.objects.get().enrolment == enrolment
    assert ForumThread.objects.get().title == "Who has a youth council?"
