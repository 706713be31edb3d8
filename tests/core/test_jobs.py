import pytest
from django.urls import reverse
from django.utils import translation

from municipia.core import jobs
from municipia.core.models import Job
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def job(user):
    return jobs.create_job(kind="test.work", owner=user, total=10, result_url="/en/somewhere/")


def test_work_that_returns_finishes_the_job_with_its_result(job):
    def work(running):
        jobs.set_progress(running, 4)
        assert Job.objects.get(pk=running.pk).status == Job.Status.RUNNING
        return {"written": 10}

    jobs.run_job(job.pk, work)

    job.refresh_from_db()
    assert (job.status, job.result, job.done, job.attempts) == ("done", {"written": 10}, 10, 1)
    assert job.finished_at is not None


def test_a_job_error_is_shown_as_the_reason(job):
    def work(running):
        raise jobs.JobError("The file is empty.")

    jobs.run_job(job.pk, work)

    job.refresh_from_db()
    assert (job.status, job.error) == ("failed", "The file is empty.")


def test_an_unexpected_error_fails_the_job_without_leaking_it(job):
    def work(running):
        raise RuntimeError("secret internals")

    jobs.run_job(job.pk, work)

    job.refresh_from_db()
    assert job.status == "failed"
    assert "secret" not in job.error
    assert job.error.startswith("The work stopped because of an error.")


def test_a_finished_job_is_not_run_again(job):
    calls = []
    jobs.run_job(job.pk, lambda running: calls.append(1) or {})

    again = jobs.run_job(job.pk, lambda running: calls.append(2) or {})

    assert again is None
    assert calls == [1]


def test_a_job_whose_worker_died_runs_again_on_redelivery(job):
    class WorkerDied(BaseException):
        """What the process sees when it is killed mid-task: nothing catches it."""

    def dies(running):
        raise WorkerDied

    with pytest.raises(WorkerDied):
        jobs.run_job(job.pk, dies)
    job.refresh_from_db()
    assert job.status == "running"

    jobs.run_job(job.pk, lambda running: {"ok": True})

    job.refresh_from_db()
    assert (job.status, job.attempts) == ("done", 2)


def test_the_job_runs_in_its_owners_language(user):
    with translation.override("fr"):
        job = jobs.create_job(kind="test.work", owner=user)
    seen = []

    jobs.run_job(job.pk, lambda running: seen.append(translation.get_language()) or {})

    assert seen == ["fr"]


def test_the_owner_sees_the_progress_page(login, user, job):
    response = login(user).get(reverse("core:job-progress", args=[job.pk]))

    assert response.status_code == 200
    assert 'hx-trigger="every 1s"' in response.content.decode()


def test_the_bar_sends_the_owner_to_the_result_once_finished(login, user, job):
    jobs.run_job(job.pk, lambda running: {})

    response = login(user).get(reverse("core:job-progress", args=[job.pk]), HTTP_HX_REQUEST="true")

    assert response["HX-Redirect"] == "/en/somewhere/"
    assert "hx-trigger" not in response.content.decode()


def test_a_failed_job_shows_why(login, user, job):
    jobs.run_job(job.pk, lambda running: (_ for _ in ()).throw(jobs.JobError("No rows.")))

    response = login(user).get(reverse("core:job-progress", args=[job.pk]), HTTP_HX_REQUEST="true")

    assert "No rows." in response.content.decode()


def test_another_person_cannot_see_a_job(login, job):
    response = login(UserFactory()).get(reverse("core:job-progress", args=[job.pk]))

    assert response.status_code == 404


def test_a_superuser_can_see_any_job(login, superuser, job):
    client = login(superuser)
    session = client.session
    session["mfa_ok"] = True  # past the second factor: the middleware trusts the session flag
    session.save()

    assert client.get(reverse("core:job-progress", args=[job.pk])).status_code == 200


def test_an_anonymous_visitor_is_sent_to_log_in(client, job):
    response = client.get(reverse("core:job-progress", args=[job.pk]))

    assert response.status_code == 302
    assert "login" in response["Location"]


def test_the_progress_bar_has_no_inline_style_or_script(login, user, job):
    body = login(user).get(reverse("core:job-progress", args=[job.pk])).content.decode()
    main = body[body.index("<main") : body.index("</main>")]

    assert "style=" not in main
    assert "<script" not in main
    assert '<progress class="w-100" value="0" max="100"' in main
