"""The progress bar of a background job, in a real browser under the Content-Security-Policy."""

import pytest
from allauth.account.models import EmailAddress

from municipia.core import jobs
from tests.factories.accounts import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LISTEN = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(`${e.effectiveDirective} blocked ${e.blockedURI || "inline"}`);
});
"""


def test_the_bar_follows_the_job_then_leads_to_its_result(page, live_url, browser_login):
    owner = UserFactory()
    EmailAddress.objects.create(user=owner, email=owner.email, verified=True, primary=True)
    job = jobs.create_job(kind="test.work", owner=owner, total=10, result_url="/en/networks/")
    page.add_init_script(LISTEN)
    browser_login(owner.email, "correct horse battery")

    page.goto(live_url(f"/en/jobs/{job.pk}/"))
    page.get_by_text("Waiting for its turn").wait_for()
    jobs.claim_job(job.pk)
    jobs.set_progress(job, 4)
    page.get_by_text("4 of 10 (40 %)").wait_for()
    violations = page.evaluate("window.__violations")
    jobs.finish_job(job, {})
    page.wait_for_url("**/en/networks/")

    assert page.locator("progress").count() == 0
    assert violations == []
