"""A copy of everything the platform holds about a person: built in the background, as JSON and
PDF, downloadable by the person and the staff answering their request only."""

import json

import pytest
from django.urls import reverse

from municipia.core.models import Job
from municipia.privacy import services
from municipia.privacy.models import DataExport, PrivacyRequest
from tests.privacy.conftest import EMAIL, NAME

pytestmark = pytest.mark.django_db


def _login(client, user):
    client.force_login(user)
    session = client.session
    session["mfa_ok"] = True
    session.save()
    return client


def _content(response) -> bytes:
    return b"".join(response.streaming_content)


def test_the_person_starts_a_copy_follows_it_and_downloads_it(
    zelda, client, django_capture_on_commit_callbacks
):
    _login(client, zelda)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("privacy:my-data"), {"action": "export"})
    job = Job.objects.get(kind=services.EXPORT_JOB)
    assert response.url == reverse("core:job-progress", args=[job.pk])
    job.refresh_from_db()
    assert job.status == Job.Status.DONE
    assert job.result_url == reverse("privacy:my-data")
    export = DataExport.objects.exclude(json_file="").get(request__isnull=False)
    assert export.request.kind == PrivacyRequest.Kind.ACCESS

    data = json.loads(
        _content(client.get(reverse("privacy:export-download", args=[export.pk, "json"])))
    )
    sections = {section["model"]: section["rows"] for section in data["sections"]}
    assert sections["accounts.User"][0]["email"] == EMAIL
    assert sections["directory.Person"][0]["phone"] == "+34 611 222 333"
    assert sections["events.Registration"][0]["full_name"] == NAME
    assert sections["finance.Invoice"][0]["payer_email"] == EMAIL
    assert "authtoken.Token" not in sections  # secrets are not copied
    pdf = client.get(reverse("privacy:export-download", args=[export.pk, "pdf"]))
    assert pdf["Content-Type"] == "application/pdf"
    assert _content(pdf).startswith(b"%PDF")
    page = client.get(reverse("privacy:my-data"))
    assert reverse("privacy:export-download", args=[export.pk, "pdf"]) in page.content.decode()


def test_only_the_person_and_the_staff_answering_download(
    zelda, client, network, network_staff, other_network, django_capture_on_commit_callbacks
):
    from municipia.accounts.models import Role
    from tests.factories.accounts import RoleFactory, UserFactory

    request = services.submit_request(zelda, kind=PrivacyRequest.Kind.ACCESS, network=network)
    with django_capture_on_commit_callbacks(execute=True):
        services.start_export(zelda, request=request, by=network_staff)
    export = DataExport.objects.exclude(json_file="").get(request=request)
    url = reverse("privacy:export-download", args=[export.pk, "pdf"])
    outsider = RoleFactory(kind=Role.Kind.NETWORK_STAFF, network=other_network).user
    for user, status in [
        (zelda, 200),
        (network_staff, 200),
        (outsider, 404),
        (UserFactory(), 404),
    ]:
        client.logout()
        assert _login(client, user).get(url).status_code == status, user
    client.logout()
    assert client.get(url).status_code == 302


def test_the_copy_is_made_in_the_persons_language(zelda, django_capture_on_commit_callbacks):
    from django.utils import translation

    with translation.override("fr"), django_capture_on_commit_callbacks(execute=True):
        job = services.start_export(zelda)
    assert job.language == "fr"
    export = DataExport.objects.get(job=job)
    data = json.loads(export.json_file.read())
    names = [section["name"] for section in data["sections"]]
    assert "inscriptions" in " ".join(names).lower()


def test_the_copy_holds_earlier_versions_and_the_changes_the_person_made(zelda, network):
    from municipia.cooperation.models import Project
    from municipia.privacy import exporting
    from municipia.privacy.registry import Subject
    from tests.factories.cooperation import ProjectFactory

    project = ProjectFactory(network=network, created_by=zelda, code="Z-001")
    project._history_user = zelda
    project.status = Project.Status.CLOSED
    project.save()

    data = exporting.collect(Subject.for_user(zelda))
    sections = {section["model"]: section for section in data["sections"]}
    versions = sections["cooperation.HistoricalProject"]["rows"]
    assert len(versions) == 2  # created, then closed
    assert {row["history_type"] for row in versions} == {"Created", "Changed"}
    assert sections["cooperation.HistoricalProject"]["name"].startswith("Earlier versions")
    authored = sections["history"]["rows"]
    assert any(row["history_type"] == "Changed" and "Z-001" in row["__str__"] for row in authored)
    pdf = exporting.render_pdf(data, "fr")
    assert pdf.startswith(b"%PDF")
