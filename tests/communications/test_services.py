"""The business actions: news and its embargo, subscriptions, issues and sending, campaigns."""

import datetime
import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from municipia.communications.models import Delivery, Issue, NewsPost, Subscriber
from municipia.communications.services import CommunicationsError, campaigns, news, newsletters
from municipia.core.models import Job
from municipia.plans.models import Plan
from tests.communications.conftest import TEXT, active_subscriber, make_post

pytestmark = pytest.mark.django_db

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f"
    b"\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00"
    b"\x00IEND\xaeB`\x82"
)


# --- News ------------------------------------------------------------------------------------


def test_a_post_is_public_from_its_date_and_after_its_embargo(network, network_staff):
    now = timezone.now()
    soon = make_post(network, network_staff, when=now + datetime.timedelta(hours=1))
    embargoed = make_post(
        network, network_staff, when=now, embargo=now + datetime.timedelta(hours=3)
    )
    draft = make_post(network, network_staff, published=False)
    public = make_post(network, network_staff, when=now - datetime.timedelta(minutes=1))

    assert list(NewsPost.objects.public()) == [public]
    later = now + datetime.timedelta(hours=4)
    assert set(NewsPost.objects.public(later)) == {soon, embargoed, public}
    assert not draft.is_public(later)
    assert embargoed.public_from == embargoed.embargo_until


def test_only_the_networks_staff_write_its_news(network, other_staff, officer):
    for person in (other_staff, officer):
        with pytest.raises(CommunicationsError):
            news.create_post(network, by=person, original_language="en", text=TEXT, category="news")
    assert not NewsPost.objects.exists()


@pytest.mark.parametrize(
    ("text", "fields"),
    [
        ({**TEXT, "title": " "}, {"category": "news"}),
        (TEXT, {"category": "gossip"}),
        (
            TEXT,
            {
                "category": "news",
                "published_at": timezone.now(),
                "embargo_until": timezone.now() - datetime.timedelta(days=1),
            },
        ),
    ],
)
def test_bad_posts_are_refused_whole(network, network_staff, text, fields):
    with pytest.raises(CommunicationsError):
        news.create_post(network, by=network_staff, original_language="en", text=text, **fields)
    assert not NewsPost.objects.exists()


def test_a_translation_is_added_and_the_body_sanitised(post, network_staff):
    news.add_news_translation(
        post,
        by=network_staff,
        language="es",
        text={"title": "Entrevista", "summary": "Resumen", "body": "<p>Hola<script>x</script></p>"},
    )
    text = post.text("es")
    assert text.title == "Entrevista"
    assert "<script>" not in text.body
    assert post.text("fr").language == "en"  # falls back on the original


def test_an_image_is_checked_from_its_content(post, network_staff, media):
    news.set_post_image(post, SimpleUploadedFile("photo.png", PNG), by=network_staff)
    assert post.image.name.endswith(".png")
    assert "photo" not in post.image.name

    disguised = SimpleUploadedFile("photo.png", b"%PDF-1.4 not an image")
    with pytest.raises(CommunicationsError, match="image"):
        news.set_post_image(post, disguised, by=network_staff)
    with pytest.raises(CommunicationsError):
        news.set_post_image(post, SimpleUploadedFile("empty.png", b""), by=network_staff)


def test_released_news_is_indexed_once_its_embargo_passes(embargoed, monkeypatch):
    indexed = []
    monkeypatch.setattr(news, "index_object", indexed.append)
    assert news.index_released_news() == 0
    later = embargoed.embargo_until + datetime.timedelta(minutes=5)
    assert news.index_released_news(later) == 1
    assert indexed == [embargoed]


# --- Subscriptions ---------------------------------------------------------------------------


def _link(message, name):
    return re.search(rf"http\S+/newsletter/{name}/(\S+?)/", message.body).group(1)


def test_double_opt_in(network, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        newsletters.subscribe("Ana@Example.org ", network, language="fr")
    subscriber = Subscriber.objects.get()
    assert subscriber.email == "ana@example.org"
    assert subscriber.status == Subscriber.Status.PENDING
    (message,) = mail.outbox
    assert message.to == ["ana@example.org"]
    assert "Confirmez" in message.subject or "Confirm" in message.subject

    newsletters.confirm_subscription(_link(message, "confirm"))
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.ACTIVE
    assert subscriber.subscriptions.get().language == "fr"


def test_bad_confirmation_links_are_refused(network, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        newsletters.subscribe("ana@example.org", network, language="en")
    token = _link(mail.outbox[0], "confirm")
    with pytest.raises(CommunicationsError):
        newsletters.confirm_subscription(token[:-2] + "xx")
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING


def test_bad_subscriptions_are_refused(network):
    with pytest.raises(Exception):  # noqa: B017, PT011 (Django's EmailField ValidationError)
        newsletters.subscribe("not-an-address", network, language="en")
    with pytest.raises(CommunicationsError):
        newsletters.subscribe("ana@example.org", network, language="xx")
    assert not Subscriber.objects.exists()


def test_bounced_addresses_stop_and_stay_stopped(network):
    subscriber = active_subscriber("gone@example.org", network)
    assert newsletters.record_bounce("GONE@example.org", kind="bounce") == subscriber
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.BOUNCED
    # Unsubscribing later does not turn it back into a plain unsubscription.
    newsletters.unsubscribe(newsletters.unsubscribe_token(subscriber.pk))
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.BOUNCED
    assert newsletters.record_bounce("nobody@example.org", kind="complaint") is None
    with pytest.raises(CommunicationsError):
        newsletters.record_bounce("gone@example.org", kind="spam")


# --- Issues and sending ----------------------------------------------------------------------


def test_an_issue_gathers_only_what_is_public_and_new(network, network_staff, post, embargoed):
    issue = newsletters.assemble_issue(network, by=network_staff, language="en")
    titles = [item["title"] for item in issue.items]
    assert titles == [post.title]
    assert issue.items[0]["url"].startswith("http")

    Issue.objects.filter(pk=issue.pk).update(status=Issue.Status.SENT, sent_at=timezone.now())
    again = newsletters.assemble_issue(network, by=network_staff, language="en")
    assert again.items == []  # nothing new since the last issue


def test_staff_edit_an_issue(network, network_staff, post):
    issue = newsletters.assemble_issue(network, by=network_staff, language="en")
    newsletters.update_issue(
        issue, by=network_staff, subject="November", introduction="Hello", keep=[]
    )
    issue.refresh_from_db()
    assert (issue.subject, issue.items) == ("November", [])
    with pytest.raises(CommunicationsError):
        newsletters.update_issue(issue, by=network_staff, subject="x", introduction="", keep=[5])
    with pytest.raises(CommunicationsError):
        newsletters.update_issue(issue, by=network_staff, subject=" ", introduction="", keep=[])


def test_the_rendered_issue_has_inlined_styles_and_a_text_version(network, network_staff, post):
    issue = newsletters.assemble_issue(network, by=network_staff, language="en")
    html, text = newsletters.render_issue(issue)
    assert "<style>" not in html
    assert 'style="' in html
    assert post.title in html
    assert post.title in text
    assert newsletters.UNSUBSCRIBE_MARK in html
    assert newsletters.UNSUBSCRIBE_MARK in text


def test_the_prepared_smtp_message_is_the_one_django_would_build(network, network_staff, post):
    """Over SMTP the message is composed as bytes once per recipient without the `email`
    generator: read back, it carries what Django's own message carries, in every language."""
    import email
    from email import policy

    for language in ("en", "ca"):
        issue = newsletters.assemble_issue(network, by=network_staff, language=language)
        issue.subject = "Notícies de la xarxa: ça marche" if language == "ca" else issue.subject
        composer = newsletters._Composer(issue, *newsletters.render_issue(issue))
        reader = active_subscriber(f"reader-{language}@example.org", network, language=language)
        raw = composer.raw(reader.pk, reader.email)
        built = composer.message(reader.pk, reader.email)
        parsed = email.message_from_bytes(raw, policy=policy.default)
        assert b"\r\n" in raw
        assert b"\n" not in raw.replace(b"\r\n", b"")
        assert all(len(line) <= 998 for line in raw.split(b"\r\n"))
        assert parsed["Subject"] == issue.subject
        assert parsed["To"] == reader.email
        assert parsed["From"] == built.message()["From"]
        assert parsed["Message-ID"]
        assert parsed["Date"]
        for name in ("List-Unsubscribe", "List-Unsubscribe-Post", "List-Id"):
            assert parsed[name] == built.extra_headers[name]
        url = newsletters.unsubscribe_url(reader.pk)
        assert built.extra_headers["List-Unsubscribe"] == f"<{url}>"
        assert parsed.get_body(("plain",)).get_content().replace("\r\n", "\n") == built.body
        html = parsed.get_body(("html",)).get_content().replace("\r\n", "\n")
        assert html == built.alternatives[0][0]
        assert url in html
        assert newsletters.UNSUBSCRIBE_MARK not in html


def test_sending_reaches_each_active_subscriber_once(
    network, network_staff, post, settings, django_capture_on_commit_callbacks
):
    settings.MUNICIPIA_NEWSLETTER_BATCH = 2
    for n in range(5):
        active_subscriber(f"reader{n}@example.org", network)
    active_subscriber("french@example.org", network, language="fr")
    stopped = active_subscriber("stopped@example.org", network)
    newsletters.record_bounce(stopped.email, kind="complaint")
    newsletters.subscribe("pending@example.org", network, language="en")
    mail.outbox.clear()

    issue = newsletters.assemble_issue(network, by=network_staff, language="en")
    with django_capture_on_commit_callbacks(execute=True):
        job = newsletters.send_issue(issue, by=network_staff)  # the task runs eagerly in tests

    job.refresh_from_db()
    issue.refresh_from_db()
    assert job.status == Job.Status.DONE
    assert job.result["sent"] == 5
    assert issue.status == Issue.Status.SENT
    assert sorted(m.to[0] for m in mail.outbox) == [f"reader{n}@example.org" for n in range(5)]
    message = mail.outbox[0]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert url in message.alternatives[0][0]
    assert url in message.body
    with pytest.raises(CommunicationsError):
        newsletters.send_issue(issue, by=network_staff)  # never twice


def test_a_resumed_send_skips_addresses_already_claimed(
    network, network_staff, post, django_capture_on_commit_callbacks
):
    for n in range(3):
        active_subscriber(f"reader{n}@example.org", network)
    issue = newsletters.assemble_issue(network, by=network_staff, language="en")
    # A run that died after claiming the first address (its message may have left).
    Delivery.objects.create(issue=issue, email="reader0@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        job = newsletters.send_issue(issue, by=network_staff)
    assert sorted(m.to[0] for m in mail.outbox) == ["reader1@example.org", "reader2@example.org"]
    assert Delivery.objects.filter(issue=issue).count() == 3
    job.refresh_from_db()
    assert job.result == {"sent": 2, "refused": 0, "uncertain": 1}


def test_unsubscribed_addresses_get_nothing_more(
    network, network_staff, post, django_capture_on_commit_callbacks
):
    reader = active_subscriber("reader@example.org", network)
    newsletters.unsubscribe(newsletters.unsubscribe_token(reader.pk))
    issue = newsletters.assemble_issue(network, by=network_staff, language="en")
    with django_capture_on_commit_callbacks(execute=True):
        newsletters.send_issue(issue, by=network_staff)
    assert mail.outbox == []


def test_an_empty_issue_is_not_sent(network, network_staff):
    issue = newsletters.assemble_issue(network, by=network_staff, language="en")
    with pytest.raises(CommunicationsError):
        newsletters.send_issue(issue, by=network_staff)


# --- Campaigns -------------------------------------------------------------------------------


def test_member_officers_register_activities(campaign, officer, member_city, user):
    activity = campaigns.register_activity(
        campaign,
        by=officer,
        city=member_city,
        title="Open schools",
        description="Schools open their playgrounds.",
        happens_on=datetime.date(2026, 11, 30),
    )
    assert activity.city == member_city
    with pytest.raises(CommunicationsError):
        campaigns.register_activity(
            campaign,
            by=user,
            city=member_city,
            title="x",
            description="y",
            happens_on=datetime.date(2026, 11, 30),
        )


def test_materials_are_checked_from_their_content(campaign, network_staff, media):
    pdf = SimpleUploadedFile("poster.pdf", b"%PDF-1.4\n%poster")
    material = campaigns.add_material(
        campaign, pdf, by=network_staff, kind="poster", title="Poster", language="en"
    )
    assert material.content_type == "application/pdf"
    script = SimpleUploadedFile("logo.png", b"<svg onload=alert(1)>")
    with pytest.raises(CommunicationsError):
        campaigns.add_material(campaign, script, by=network_staff, kind="logo", title="Logo")
    assert campaign.materials.count() == 1


def test_the_declaration_is_drafted_in_a_plan_consultation(campaign, network_staff):
    closes = timezone.now() + datetime.timedelta(days=10)
    draft = campaigns.draft_declaration(
        campaign,
        by=network_staff,
        title="Declaration of the educating cities",
        articles=["The city educates", "Schools open to the neighbourhood"],
        closes_at=closes,
    )
    assert draft.status == Plan.Status.CONSULTATION
    assert draft.objectives.count() == 2
    with pytest.raises(CommunicationsError, match="consultation"):
        campaigns.publish_declaration(campaign, by=network_staff, texts={"en": "Final."})
    Plan.objects.filter(pk=draft.pk).update(consultation_closes_at=timezone.now())
    campaign.refresh_from_db()
    campaigns.publish_declaration(campaign, by=network_staff, texts={"en": "Final."})
    assert campaign.text("en").declaration == "Final."
    with pytest.raises(CommunicationsError):
        campaigns.publish_declaration(campaign, by=network_staff, texts={"fr": "Finale."})


def test_an_exhibition_stop_needs_its_dates_in_order(campaign, network_staff, member_city):
    with pytest.raises(CommunicationsError):
        campaigns.add_exhibition_stop(
            campaign,
            by=network_staff,
            venue="Town hall",
            city=member_city,
            opens_on=datetime.date(2026, 12, 5),
            closes_on=datetime.date(2026, 12, 1),
        )
    assert not campaign.exhibition_stops.exists()


def test_the_issue_is_rendered_in_its_own_language(network, network_staff, post):
    issue = newsletters.assemble_issue(network, by=network_staff, language="fr")
    html, text = newsletters.render_issue(issue)
    assert "Actualités" in text  # the section's heading, whatever the sender's language
    assert "Se désabonner en un clic" in html
