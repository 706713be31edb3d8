import datetime
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from municipia.core.models import ActivityLog
from municipia.knowledge import services
from municipia.knowledge.models import Attachment, Experience, ExperienceTranslation
from municipia.search.models import SearchEntry
from tests.archives import MB, build, odt_bomb, peak_memory, with_lie
from tests.factories.knowledge import ThemeFactory

pytestmark = pytest.mark.django_db

TEXT = {"title": "Safe routes to school", "summary": "Children walk.", "body": "<p>Routes.</p>"}
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n"


def _zip(members: dict) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_create_experience_saves_a_draft_with_its_original_text(city_officer, member_city, network):
    experience = services.create_experience(
        city=member_city, by=city_officer, language="ca", text=TEXT, networks=[network]
    )

    assert experience.status == Experience.Status.DRAFT
    assert list(experience.translations.values_list("language", "origin")) == [("ca", "original")]
    assert list(experience.networks.all()) == [network]
    assert ActivityLog.objects.filter(action="knowledge.experience.created").count() == 1
    assert SearchEntry.objects.count() == 0


def test_create_experience_refuses_an_officer_of_another_city(
    officer_elsewhere, member_city, network
):
    with pytest.raises(services.ExperienceError):
        services.create_experience(
            city=member_city, by=officer_elsewhere, language="en", text=TEXT, networks=[network]
        )

    assert Experience.objects.count() == 0


def test_create_experience_refuses_a_network_the_city_is_not_in(city_officer, city, other_network):
    with pytest.raises(services.ExperienceError, match="not an active member"):
        services.create_experience(
            city=city, by=city_officer, language="en", text=TEXT, networks=[other_network]
        )

    assert Experience.objects.count() == 0


def test_create_experience_refuses_themes_of_other_networks(city_officer, member_city, network):
    foreign = ThemeFactory()

    with pytest.raises(services.ExperienceError):
        services.create_experience(
            city=member_city,
            by=city_officer,
            language="en",
            text=TEXT,
            networks=[network],
            themes=[foreign],
        )

    assert Experience.objects.count() == 0


def test_create_experience_refuses_a_period_that_ends_before_it_starts(
    city_officer, member_city, network
):
    with pytest.raises(services.ExperienceError):
        services.create_experience(
            city=member_city,
            by=city_officer,
            language="en",
            text=TEXT,
            networks=[network],
            started_on=datetime.date(2024, 5, 1),
            ended_on=datetime.date(2023, 5, 1),
        )

    assert Experience.objects.count() == 0


def test_rich_text_is_sanitised(city_officer, member_city, network):
    text = {
        **TEXT,
        "body": '<p onclick="x()">Hi <script>alert(1)</script><a href="javascript:x()">a</a>'
        '<a href="https://example.org">b</a><iframe src="//x"></iframe></p>',
    }

    experience = services.create_experience(
        city=member_city, by=city_officer, language="en", text=text, networks=[network]
    )

    assert experience.translations.get().body == (
        '<p>Hi <a rel="noopener noreferrer nofollow">a</a>'
        '<a href="https://example.org" rel="noopener noreferrer nofollow">b</a></p>'
    )


def test_workflow_draft_submitted_published_indexes_on_commit(
    draft, city_officer, network_staff, django_capture_on_commit_callbacks
):
    services.submit_experience(draft, by=city_officer)
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_experience(draft, by=network_staff)

    draft.refresh_from_db()
    assert draft.status == Experience.Status.PUBLISHED
    assert list(SearchEntry.objects.values_list("key", "language")) == [
        (f"knowledge.experience:{draft.pk}", "en")
    ]


def test_publish_refuses_staff_of_another_network(draft, city_officer, other_staff):
    services.submit_experience(draft, by=city_officer)

    with pytest.raises(services.ExperienceError):
        services.publish_experience(draft, by=other_staff)

    draft.refresh_from_db()
    assert draft.status == Experience.Status.SUBMITTED


def test_publish_refuses_a_draft(draft, network_staff):
    with pytest.raises(services.ExperienceError):
        services.publish_experience(draft, by=network_staff)

    draft.refresh_from_db()
    assert draft.status == Experience.Status.DRAFT


def test_officer_cannot_publish_their_own_experience(draft, city_officer):
    services.submit_experience(draft, by=city_officer)

    with pytest.raises(services.ExperienceError):
        services.publish_experience(draft, by=city_officer)


def test_return_needs_a_comment_and_takes_it_out_of_search(
    draft, city_officer, network_staff, django_capture_on_commit_callbacks
):
    services.submit_experience(draft, by=city_officer)
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_experience(draft, by=network_staff)
    with pytest.raises(services.ExperienceError):
        services.return_experience(draft, by=network_staff, comment="  ")

    with django_capture_on_commit_callbacks(execute=True):
        services.return_experience(draft, by=network_staff, comment="Add results.")

    draft.refresh_from_db()
    assert (draft.status, draft.review_comment) == (Experience.Status.RETURNED, "Add results.")
    assert SearchEntry.objects.count() == 0


def test_returned_experience_can_be_edited_and_submitted_again(draft, city_officer, network_staff):
    services.submit_experience(draft, by=city_officer)
    services.return_experience(draft, by=network_staff, comment="More.")

    services.update_experience(draft, by=city_officer, text={**TEXT, "title": "Better title"})
    services.submit_experience(draft, by=city_officer)

    draft.refresh_from_db()
    assert draft.status == Experience.Status.SUBMITTED
    assert draft.translations.get(language="en").title == "Better title"


def test_submitted_experience_cannot_be_edited_by_its_officer(draft, city_officer):
    services.submit_experience(draft, by=city_officer)

    with pytest.raises(services.ExperienceError):
        services.update_experience(draft, by=city_officer, text={**TEXT, "title": "Changed"})

    assert draft.translations.get().title == f"Experience {draft.pk}"


def test_add_translation_keeps_the_original(draft, city_officer):
    services.add_translation(draft, by=city_officer, language="fr", text=TEXT, origin="machine")

    assert sorted(draft.translations.values_list("language", "origin")) == [
        ("en", "original"),
        ("fr", "machine"),
    ]
    with pytest.raises(services.ExperienceError):
        services.add_translation(draft, by=city_officer, language="en", text=TEXT)
    with pytest.raises(services.ExperienceError):
        services.add_translation(draft, by=city_officer, language="xx", text=TEXT)
    assert ExperienceTranslation.objects.count() == 2


def test_delete_only_drafts(draft, city_officer, network_staff):
    services.submit_experience(draft, by=city_officer)
    with pytest.raises(services.ExperienceError):
        services.delete_experience(draft, by=city_officer)
    services.return_experience(draft, by=network_staff, comment="No.")
    draft.status = Experience.Status.DRAFT
    draft.save()

    services.delete_experience(draft, by=city_officer)

    assert Experience.objects.count() == 0


# --- attachments -----------------------------------------------------------------------------


def test_attachment_pdf_is_stored_under_a_random_name(draft, city_officer, media):
    upload = SimpleUploadedFile("../../etc/Report 2024.pdf", PDF, content_type="text/html")

    attachment = services.add_attachment(draft, upload, by=city_officer)

    assert attachment.original_name == "Report 2024.pdf"
    assert attachment.content_type == "application/pdf"
    assert attachment.file.name.startswith(f"experiences/{draft.pk}/")
    assert attachment.file.name.endswith(".pdf")
    assert "Report" not in attachment.file.name
    assert (media / attachment.file.name).read_bytes() == PDF


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("program.pdf", b"MZ\x90\x00\x03\x00\x00\x00"),  # a Windows executable named .pdf
        ("tool", b"\x7fELF\x02\x01\x01\x00"),  # a Linux executable
        ("page.html", b"<!DOCTYPE html><script>alert(1)</script>"),
        ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
        ("notes.txt", b"plain words"),
        (
            "macro.docx",
            _zip(
                {"[Content_Types].xml": "x", "word/document.xml": "x", "word/vbaProject.bin": "x"}
            ),
        ),
        ("archive.zip", _zip({"a.exe": "MZ"})),
        ("broken.docx", b"PK\x03\x04 not really a zip"),
    ],
)
def test_attachment_refuses_files_by_their_content(draft, city_officer, media, name, content):
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")

    with pytest.raises(services.ExperienceError):
        services.add_attachment(draft, upload, by=city_officer)

    assert Attachment.objects.count() == 0
    assert list(media.rglob("*.*")) == []
    draft.refresh_from_db()
    assert draft.status == Experience.Status.DRAFT


def test_attachment_accepts_office_documents(draft, city_officer, media):
    docx = _zip({"[Content_Types].xml": "x", "word/document.xml": "x"})
    odt = _zip({"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": "x"})

    first = services.add_attachment(draft, SimpleUploadedFile("a.docx", docx), by=city_officer)
    second = services.add_attachment(draft, SimpleUploadedFile("b.odt", odt), by=city_officer)

    assert (first.file.name.rsplit(".", 1)[1], second.file.name.rsplit(".", 1)[1]) == (
        "docx",
        "odt",
    )
    assert second.content_type == "application/vnd.oasis.opendocument.text"


@pytest.mark.parametrize(
    "bomb",
    [build(odt_bomb(200 * MB)), build(with_lie(odt_bomb(200 * MB), "mimetype"))],
    ids=["declared", "lying"],
)
def test_attachment_refuses_an_opendocument_whose_mimetype_is_a_zip_bomb(
    draft, city_officer, media, bomb
):
    upload = SimpleUploadedFile("plan.odt", bomb)
    assert upload.size < 300_000

    with peak_memory() as peak, pytest.raises(services.ExperienceError):
        services.add_attachment(draft, upload, by=city_officer)

    assert peak[0] < 20 * MB
    assert Attachment.objects.count() == 0
    assert list(media.rglob("*.*")) == []


def test_attachment_refuses_files_over_the_limit(draft, city_officer, media, settings):
    settings.MUNICIPIA_ATTACHMENT_MAX_BYTES = 1024 * 1024
    upload = SimpleUploadedFile("big.pdf", PDF + b"0" * (1024 * 1024))

    with pytest.raises(services.ExperienceError, match="larger than 1 MB"):
        services.add_attachment(draft, upload, by=city_officer)

    assert Attachment.objects.count() == 0


def test_attachment_refused_to_someone_who_may_not_edit(
    draft, officer_elsewhere, network_staff, media
):
    for person in (officer_elsewhere, network_staff):
        with pytest.raises(services.ExperienceError):
            services.add_attachment(draft, SimpleUploadedFile("a.pdf", PDF), by=person)

    assert Attachment.objects.count() == 0


def test_remove_attachment_deletes_the_file_after_commit(
    draft, city_officer, media, django_capture_on_commit_callbacks
):
    attachment = services.add_attachment(draft, SimpleUploadedFile("a.pdf", PDF), by=city_officer)
    path = media / attachment.file.name

    with django_capture_on_commit_callbacks(execute=True):
        services.remove_attachment(attachment, by=city_officer)

    assert Attachment.objects.count() == 0
    assert path.exists() is False
