import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from municipia.plans import services
from municipia.plans.importing import read_plan_file
from municipia.plans.models import Activity, ConsultationComment, Objective, Plan
from tests.archives import MB, build, docx_bomb
from tests.factories.plans import (
    ActivityFactory,
    CommentFactory,
    ObjectiveFactory,
    PlanFactory,
    ProgressUpdateFactory,
)
from tests.plans.conftest import FIXTURES

pytestmark = pytest.mark.django_db


def _url(name, *args):
    return reverse(f"plans:{name}", args=args)


# --- Public pages --------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 3])
def test_plan_list_costs_the_same_queries_for_1_and_3_plans(
    client, django_assert_num_queries, count
):
    for _n in range(count):
        PlanFactory(status=Plan.Status.ADOPTED, is_published=True)

    with django_assert_num_queries(2):  # one more for the cache generations
        response = client.get(_url("plan-list"))

    assert response.status_code == 200
    assert len(response.context["plans"]) == count


def test_plan_list_hides_drafts_from_the_public(client, plan, published_plan_other):
    response = client.get(_url("plan-list"))

    assert [p.pk for p in response.context["plans"]] == [published_plan_other.pk]


@pytest.fixture
def published_plan_other(db):
    plan = PlanFactory(status=Plan.Status.ADOPTED, is_published=True)
    ActivityFactory(objective=ObjectiveFactory(plan=plan))
    return plan


def test_plan_list_exports_csv(client, published_plan_other):
    response = client.get(_url("plan-list"), {"export": "csv"})

    lines = b"".join(response.streaming_content).decode().splitlines()
    assert lines[0] == "Title,Owner,Kind,Status,Starts on,Ends on,Objectives"
    assert lines[1].startswith(f"{published_plan_other.title},")


@pytest.mark.parametrize("who", [None, "user", "other_staff", "juror"])
def test_plan_detail_of_a_draft_is_not_found(request, client, plan, who):
    if who:
        client.force_login(request.getfixturevalue(who))

    response = client.get(_url("plan-detail", plan.slug))

    assert response.status_code == 404


def test_plan_detail_of_a_draft_for_its_staff(login, plan, network_staff):
    response = login(network_staff).get(_url("plan-detail", plan.slug))

    assert response.status_code == 200


@pytest.mark.parametrize("count", [1, 3])
def test_plan_detail_costs_the_same_queries_for_1_and_3_objectives(
    client, published_plan, django_assert_num_queries, count
):
    for _n in range(count - 1):
        ActivityFactory(objective=ObjectiveFactory(plan=published_plan))

    # One more for the cache generations, one for the decisions beside the activities.
    with django_assert_num_queries(11):
        response = client.get(_url("plan-detail", published_plan.slug))

    assert len(response.context["tree"].roots) == count
    assert [b.expanded for b in response.context["tree"].roots] == [True] * count


def _import_published(network, network_staff, name: str, copies: int = 1) -> Plan:
    """A plan imported from tests/plans/data, `copies` times over, adopted and published."""
    text = (FIXTURES.parent / "data" / name).read_bytes().decode("cp1252")
    header, *rows = text.splitlines()
    rows = [row.replace("Eix ", f"Eix {c}-", 1) for c in range(copies) for row in rows]
    parsed = read_plan_file(name, "\n".join([header, *rows]).encode())
    plan = services.import_plan(
        parsed,
        by=network_staff,
        title=f"Pla {copies}",
        starts_on=datetime.date(2024, 1, 1),
        ends_on=datetime.date(2027, 12, 31),
        languages=["ca"],
        network=network,
    )
    services.adopt_plan(plan, by=network_staff)
    return services.publish_plan(plan, by=network_staff)


@pytest.mark.parametrize("copies", [1, 3])
def test_plan_detail_of_a_deep_plan_costs_the_same_queries_however_long(
    client, network, network_staff, django_assert_num_queries, copies
):
    plan = _import_published(network, network_staff, "pam_vilanova_2024_2027.csv", copies)

    # No activity is loaded: the top levels are shown closed. One more for the cache generations.
    with django_assert_num_queries(8):
        response = client.get(_url("plan-detail", plan.slug))

    tree = response.context["tree"]
    assert (len(tree.roots), sum(tree.counts.values())) == (5 * copies, 247 * copies)
    assert [b.expanded for b in tree.roots] == [copies == 1] * (5 * copies)
    content = response.content.decode()
    assert content.count('hx-trigger="toggle once"') == (38 if copies == 1 else 15)
    assert "<script>" not in content.replace("<script src=", "")
    assert " style=" not in content


@pytest.mark.parametrize("copies", [1, 3])
def test_plan_branch_costs_the_same_queries_however_long_the_plan(
    client, network, network_staff, django_assert_num_queries, copies
):
    plan = _import_published(network, network_staff, "pam_vilanova_2024_2027.csv", copies)
    line = plan.sections.get(level=1, position=1)

    # One more for the cache generations, one for the decisions beside the activities.
    with django_assert_num_queries(8):
        response = client.get(
            _url("plan-branch", plan.slug, "section", line.pk), headers={"HX-Request": "true"}
        )

    assert response.templates[0].name == "plans/partials/branch_body.html"
    branch = response.context["branch"]
    assert (branch.number, [c.number for c in branch.children]) == (
        "1.1",
        ["1.1.1", "1.1.2", "1.1.3"],
    )
    assert [len(c.activities) for c in branch.children] == [2, 2, 2]


def test_plan_branch_without_htmx_is_a_page_of_its_own(client, network, network_staff):
    plan = _import_published(network, network_staff, "pam_vilanova_2024_2027.csv")
    objective = plan.objectives.order_by("position").first()

    response = client.get(_url("plan-branch", plan.slug, "objective", objective.pk))

    assert response.templates[0].name == "plans/plan_branch.html"
    content = response.content.decode()
    assert "Ampliar l&#x27;activitat del casal de joves" in content
    assert "Objectiu 1.1.1" in content


def test_plan_branch_of_a_draft_is_not_found(client, plan):
    objective = plan.objectives.get()

    response = client.get(_url("plan-branch", plan.slug, "objective", objective.pk))

    assert response.status_code == 404


def test_plan_branch_of_another_plan_is_not_found(client, published_plan, network, network_staff):
    other = _import_published(network, network_staff, "pam_vilanova_2024_2027.csv")
    objective = other.objectives.first()

    response = client.get(_url("plan-branch", published_plan.slug, "objective", objective.pk))

    assert response.status_code == 404


def test_plan_branch_with_the_staffs_links_is_for_the_staff(login, published_plan, user):
    objective = published_plan.objectives.get()
    url = _url("plan-branch", published_plan.slug, "objective", objective.pk) + "?manage=1"

    assert login(user).get(url).status_code == 403


def test_plan_detail_shows_progress_and_indicators(client, published_plan):
    activity = Activity.objects.for_plan(published_plan).get()
    ProgressUpdateFactory(activity=activity, text="Workshop held")
    Activity.objects.filter(pk=activity.pk).update(progress=50, status="in_progress")

    response = client.get(_url("plan-detail", published_plan.slug))

    content = response.content.decode()
    assert "Workshop held" in content
    assert response.context["progress"] == 50
    assert 'role="img"' in content


def test_plan_detail_exports_the_activities(client, published_plan):
    response = client.get(_url("plan-detail", published_plan.slug), {"export": "xlsx"})

    assert response["Content-Disposition"] == (
        f'attachment; filename="{published_plan.slug}-activities.xlsx"'
    )


def test_plan_history_shows_status_changes(client, published_plan, network_staff):
    from municipia.plans import services

    activity = Activity.objects.for_plan(published_plan).get()
    services.update_activity(activity, by=network_staff, status=Activity.Status.IN_PROGRESS)

    response = client.get(_url("plan-history", published_plan.slug))

    changes = list(response.context["page"])
    assert (changes[0].kind, changes[0].fields) == (
        "activity",
        [("status", "Planned", "In progress")],
    )


def test_plan_history_of_a_draft_is_not_found(client, plan):
    assert client.get(_url("plan-history", plan.slug)).status_code == 404


# --- Feeds ---------------------------------------------------------------------------------------


def test_rss_and_atom_feeds_list_the_updates(client, published_plan):
    ProgressUpdateFactory(
        activity=Activity.objects.for_plan(published_plan).get(), text="Assembly held"
    )

    rss = client.get(_url("plan-feed-rss", published_plan.slug))
    atom = client.get(_url("plan-feed-atom", published_plan.slug))

    assert (rss["Content-Type"], atom["Content-Type"]) == (
        "application/rss+xml; charset=utf-8",
        "application/atom+xml; charset=utf-8",
    )
    assert b"Assembly held" in rss.content
    assert b"Assembly held" in atom.content


def test_feed_of_an_unpublished_plan_is_not_found(
    login, plan, consultation_plan_other, network_staff
):
    client = login(network_staff)

    assert client.get(_url("plan-feed-rss", plan.slug)).status_code == 404
    assert client.get(_url("plan-feed-atom", consultation_plan_other.slug)).status_code == 404


@pytest.fixture
def consultation_plan_other(db):
    return PlanFactory(status=Plan.Status.CONSULTATION)


# --- Reports -------------------------------------------------------------------------------------


def test_plan_report_pdf(client, published_plan):
    response = client.get(
        _url("plan-report", published_plan.slug, "pdf"), {"year": 2025, "language": "es"}
    )

    assert response["Content-Type"] == "application/pdf"
    assert response.content[:5] == b"%PDF-"
    assert (
        response["Content-Disposition"]
        == f'attachment; filename="{published_plan.slug}-2025-es.pdf"'
    )


def test_plan_report_docx_is_written_in_the_chosen_language(client, published_plan):
    import docx

    response = client.get(
        _url("plan-report", published_plan.slug, "docx"), {"year": 2025, "language": "es"}
    )

    document = docx.Document(io.BytesIO(response.content))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[0] == "Objetivos y actividades"


@pytest.mark.parametrize(
    "query", [{"year": 2031, "language": "es"}, {"year": 2025, "language": "fr"}, {"year": "x"}]
)
def test_plan_report_refuses_a_year_or_language_outside_the_plan(client, published_plan, query):
    response = client.get(_url("plan-report", published_plan.slug, "pdf"), query)

    assert response.status_code == 302
    assert response.url == published_plan.get_absolute_url()


def test_plan_report_of_a_draft_is_not_found(client, plan):
    response = client.get(_url("plan-report", plan.slug, "pdf"), {"year": 2025, "language": "en"})

    assert response.status_code == 404


# --- Staff pages ---------------------------------------------------------------------------------


def test_plan_dashboard_for_staff(login, published_plan, network_staff):
    Activity.objects.filter(objective__plan=published_plan).update(
        ends_on=datetime.date(2025, 3, 1)
    )

    response = login(network_staff).get(_url("plan-dashboard", published_plan.slug))

    assert response.status_code == 200
    assert [a.pk for a in response.context["overdue"]] == list(
        Activity.objects.for_plan(published_plan).values_list("pk", flat=True)
    )


def test_plan_dashboard_pages_the_overdue_activities(login, network, network_staff):
    plan = _import_published(network, network_staff, "pam_vilanova_2024_2027.csv")
    Activity.objects.for_plan(plan).update(
        ends_on=datetime.date(2024, 12, 31), status=Activity.Status.IN_PROGRESS
    )
    client = login(network_staff)

    first = client.get(_url("plan-dashboard", plan.slug))
    last = client.get(_url("plan-dashboard", plan.slug), {"overdue": 13})

    assert (first.context["overdue"].paginator.count, len(first.context["overdue"])) == (247, 20)
    assert len(last.context["overdue"]) == 7
    assert "Page 1 of 13" in first.content.decode()


@pytest.mark.parametrize("who", ["other_staff", "juror", "user", "city_officer"])
def test_plan_dashboard_refuses_who_is_not_the_owners_staff(request, login, published_plan, who):
    response = login(request.getfixturevalue(who)).get(_url("plan-dashboard", published_plan.slug))

    assert response.status_code == 403


def test_plan_dashboard_asks_anonymous_to_log_in(client, published_plan):
    response = client.get(_url("plan-dashboard", published_plan.slug))

    assert response.status_code == 302


def test_plan_dashboard_lists_what_changed_since_the_committee(
    login, published_plan, network_staff
):
    ProgressUpdateFactory(
        activity=Activity.objects.for_plan(published_plan).get(),
        reported_on=datetime.date(2025, 8, 1),
    )
    ProgressUpdateFactory(
        activity=Activity.objects.for_plan(published_plan).get(),
        reported_on=datetime.date(2025, 2, 1),
    )

    response = login(network_staff).get(
        _url("plan-dashboard", published_plan.slug), {"since": "2025-07-01"}
    )

    assert [u.reported_on for u in response.context["updates_since"]] == [datetime.date(2025, 8, 1)]


def test_plan_transition_adopts_and_publishes(login, plan, network_staff):
    client = login(network_staff)

    client.post(_url("plan-transition", plan.slug), {"action": "adopt"})
    client.post(_url("plan-transition", plan.slug), {"action": "publish"})

    plan.refresh_from_db()
    assert (plan.status, plan.is_published) == (Plan.Status.ADOPTED, True)


def test_plan_transition_refuses_other_staff(login, published_plan, other_staff):
    response = login(other_staff).post(
        _url("plan-transition", published_plan.slug), {"action": "unpublish"}
    )

    published_plan.refresh_from_db()
    assert (response.status_code, published_plan.is_published) == (403, True)


def test_plan_transition_opens_the_consultation(login, plan, network_staff):
    closes = (timezone.localtime() + datetime.timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")

    login(network_staff).post(
        _url("plan-transition", plan.slug), {"action": "open_consultation", "closes_at": closes}
    )

    plan.refresh_from_db()
    assert plan.status == Plan.Status.CONSULTATION


def test_plan_create_refuses_a_user_with_no_owner(login, user):
    assert login(user).get(_url("plan-create")).status_code == 403


def test_plan_create_by_staff(login, network, network_staff):
    response = login(network_staff).post(
        _url("plan-create"),
        {
            "owner": f"network:{network.pk}",
            "title": "Plan 2030",
            "kind": "action_plan",
            "starts_on": "2030-01-01",
            "ends_on": "2030-12-31",
            "languages": ["es", "en"],
        },
    )

    plan = Plan.objects.get()
    assert response.url == _url("plan-dashboard", plan.slug)
    assert (plan.network, plan.languages) == (network, ["es", "en"])


def test_plan_create_refuses_an_owner_the_user_does_not_staff(login, other_network, network_staff):
    response = login(network_staff).post(
        _url("plan-create"),
        {
            "owner": f"network:{other_network.pk}",
            "title": "Plan 2030",
            "kind": "action_plan",
            "starts_on": "2030-01-01",
            "ends_on": "2030-12-31",
            "languages": ["es"],
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors["owner"][0].startswith("Select a valid choice.")
    assert Plan.objects.count() == 0


def test_activity_edit_refuses_dropping_without_a_reason(login, plan, network_staff):
    activity = Activity.objects.for_plan(plan).get()

    response = login(network_staff).post(
        _url("activity-edit", activity.pk), {"description": "Keep", "status": "dropped"}
    )

    assert response.context["form"].errors["drop_reason"] == ["Say why the activity was dropped."]
    activity.refresh_from_db()
    assert activity.status == Activity.Status.PLANNED


def test_activity_edit_refuses_other_staff(login, plan, other_staff):
    activity = Activity.objects.for_plan(plan).get()

    response = login(other_staff).post(_url("activity-edit", activity.pk), {"description": "Mine"})

    assert response.status_code == 404


def test_progress_create_records_an_update_with_evidence(
    login, adopted_plan, network_staff, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    activity = Activity.objects.for_plan(adopted_plan).get()

    login(network_staff).post(
        _url("progress-create", activity.pk),
        {
            "reported_on": "2025-05-01",
            "text": "Half way",
            "percentage": 50,
            "evidence_file": SimpleUploadedFile("minutes.txt", b"minutes"),
        },
    )

    update = activity.updates.get()
    assert (update.percentage, update.evidence_file.name) == (
        50,
        f"plans/evidence/{adopted_plan.pk}/minutes.txt",
    )


def test_indicator_create_and_value(login, plan, network_staff):
    client = login(network_staff)
    objective = plan.objectives.get()

    client.post(
        _url("indicator-create", plan.slug),
        {
            "name": "Cities trained",
            "unit": "cities",
            "baseline": 0,
            "target": 20,
            "subject": f"objective:{objective.pk}",
        },
    )
    indicator = plan.indicators.get()
    client.post(
        _url("indicator-value-create", indicator.pk), {"measured_on": "2025-06-01", "value": 5}
    )

    assert (indicator.objective, list(indicator.values.values_list("value", flat=True))) == (
        objective,
        [5],
    )


# --- Consultation --------------------------------------------------------------------------------


def test_comment_create_while_open(login, consultation_plan, citizen):
    objective = consultation_plan.objectives.get()

    login(citizen).post(
        _url("comment-create", consultation_plan.slug),
        {"objective": objective.pk, "kind": "proposal", "text": "Add a youth council"},
    )

    comment = ConsultationComment.objects.get()
    assert (comment.kind, comment.author, comment.text) == (
        "proposal",
        citizen,
        "Add a youth council",
    )


def test_comment_create_refuses_after_the_consultation_closed(
    login, closed_consultation_plan, citizen
):
    objective = closed_consultation_plan.objectives.get()

    response = login(citizen).post(
        _url("comment-create", closed_consultation_plan.slug),
        {"objective": objective.pk, "kind": "comment", "text": "Too late"},
        follow=True,
    )

    assert [str(m) for m in response.context["messages"]] == [
        "The consultation is closed; it accepts no more comments."
    ]
    assert ConsultationComment.objects.count() == 0


def test_comment_create_asks_anonymous_to_log_in(client, consultation_plan):
    response = client.post(
        _url("comment-create", consultation_plan.slug),
        {"objective": consultation_plan.objectives.get().pk, "kind": "comment", "text": "Hi"},
    )

    assert response.status_code == 302
    assert ConsultationComment.objects.count() == 0


def test_consultation_page_hides_a_hidden_comments_text_from_the_public(
    client, login, consultation_plan, network_staff, citizen
):
    CommentFactory(
        objective=consultation_plan.objectives.get(),
        text="Buy cheap watches",
        is_hidden=True,
        hidden_reason="Advertising",
    )
    url = _url("plan-consultation", consultation_plan.slug)

    public = client.get(url).content.decode()
    as_citizen = login(citizen).get(url).content.decode()
    as_moderator = login(network_staff).get(url).content.decode()

    assert ("Buy cheap watches" in public, "Hidden by the moderators: Advertising" in public) == (
        False,
        True,
    )
    assert "Buy cheap watches" not in as_citizen
    assert "Buy cheap watches" in as_moderator


def test_comment_support_with_htmx_answers_the_fragment(login, consultation_plan, citizen):
    comment = CommentFactory(objective=consultation_plan.objectives.get())

    response = login(citizen).post(_url("comment-support", comment.pk), HTTP_HX_REQUEST="true")

    assert response.templates[0].name == "plans/partials/support.html"
    assert "1 support" in response.content.decode()


def test_comment_hide_refuses_a_citizen(login, consultation_plan, citizen):
    comment = CommentFactory(objective=consultation_plan.objectives.get())

    response = login(citizen).post(_url("comment-hide", comment.pk), {"reason": "I dislike it"})

    comment.refresh_from_db()
    assert (response.status_code, comment.is_hidden) == (403, False)


def test_proposal_answer_is_public(client, login, closed_consultation_plan, network_staff):
    proposal = CommentFactory(
        objective=closed_consultation_plan.objectives.get(), kind="proposal", text="Open data"
    )

    login(network_staff).post(
        _url("proposal-answer", proposal.pk), {"answer": "rejected", "text": "Already done"}
    )
    client.logout()
    page = client.get(_url("plan-consultation", closed_consultation_plan.slug)).content.decode()

    assert "Already done" in page
    assert "Rejected" in page


# --- Import --------------------------------------------------------------------------------------


def _import_form(network, upload):
    return {
        "file": upload,
        "owner": f"network:{network.pk}",
        "title": "",
        "kind": "action_plan",
        "starts_on": "2030-01-01",
        "ends_on": "2030-12-31",
        "languages": ["es"],
    }


def test_plan_import_previews_and_writes_nothing_until_confirmed(
    login, network, network_staff, fixture_file
):
    client = login(network_staff)
    upload = SimpleUploadedFile("action_plan.html", fixture_file("action_plan.html"))

    preview = client.post(_url("plan-import"), _import_form(network, upload))

    assert preview.templates[0].name == "plans/plan_import_preview.html"
    assert (Plan.objects.count(), Objective.objects.count()) == (0, 0)
    response = client.post(_url("plan-import-confirm"), {"token": preview.context["token"]})
    plan = Plan.objects.get()
    assert response.url == _url("plan-dashboard", plan.slug)
    assert (plan.title, plan.objectives.count(), Activity.objects.for_plan(plan).count()) == (
        "Plan de acción 2030",
        6,
        14,
    )


def test_plan_import_cancel_writes_nothing(login, network, network_staff, fixture_file):
    client = login(network_staff)
    upload = SimpleUploadedFile("action_plan.csv", fixture_file("action_plan.csv"))
    preview = client.post(_url("plan-import"), _import_form(network, upload))

    client.post(_url("plan-import-confirm"), {"token": preview.context["token"], "cancel": "1"})

    assert Plan.objects.count() == 0


def test_plan_import_confirm_refuses_a_stale_token(login, network_staff):
    response = login(network_staff).post(
        _url("plan-import-confirm"), {"token": "nope"}, follow=True
    )

    assert [str(m) for m in response.context["messages"]] == [
        "This preview has expired; upload the file again."
    ]
    assert Plan.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("image.png", "This file is an image, not a table"),
        ("empty_table.html", "The table has no rows of objectives and activities."),
        ("broken.html", "This HTML file is damaged or cut short"),
        ("not_a_table.html", "No table was found in this HTML file."),
    ],
)
def test_plan_import_refuses_a_bad_file_and_writes_nothing(
    login, network, network_staff, fixture_file, name, message
):
    upload = SimpleUploadedFile(name, fixture_file(name))

    response = login(network_staff).post(_url("plan-import"), _import_form(network, upload))

    assert response.context["form"].errors["file"][0].startswith(message)
    assert Plan.objects.count() == 0


def test_plan_import_asks_for_the_levels_when_the_headings_name_one_only(
    login, network, network_staff, fixture_file
):
    client = login(network_staff)
    upload = SimpleUploadedFile("no_activities.csv", fixture_file("no_activities.csv"))

    preview = client.post(_url("plan-import"), _import_form(network, upload))
    chosen = client.post(
        _url("plan-import-preview"),
        {
            "token": preview.context["token"],
            "source": "1",
            "columns_for": "1",
            "header": "auto",
            "column_0": "level:0",
            "column_1": "budget",
            "column_2": "level:1",
            "levels": "Objetivo / Responsable",
        },
    )

    assert preview.context["error"].startswith("The table has no two columns to read as levels")
    assert b"Create the plan" not in preview.content
    assert chosen.context["error"] == ""
    assert chosen.context["parsed"].level_counts == [2, 2]
    assert Plan.objects.count() == 0


def test_plan_import_of_a_four_level_csv_lists_the_table_and_creates_every_level(
    login, network, network_staff
):
    client = login(network_staff)
    data = (FIXTURES.parent / "data" / "pam_vilanova_2024_2027.csv").read_bytes()
    upload = SimpleUploadedFile("pam.csv", data)

    preview = client.post(_url("plan-import"), _import_form(network, upload))
    fields = {
        "token": preview.context["token"],
        "source": "1",
        "columns_for": "1",
        "header": "auto",
        "levels": "Eix / Línia / Objectiu / Acció",
        **{f"column_{i}": v for i, v in preview.context["form"].initial["columns"].items()},
    }
    response = client.post(_url("plan-import-confirm"), fields)

    assert preview.context["levels"] == [
        ("Eix", 5),
        ("Línia", 38),
        ("Objectiu", 119),
        ("Acció", 247),
    ]
    assert b"10 columns \xc3\x97 247 rows" in preview.content
    plan = Plan.objects.get()
    assert response.url == _url("plan-dashboard", plan.slug)
    assert (plan.sections.count(), plan.objectives.count()) == (43, 119)
    assert Activity.objects.for_plan(plan).count() == 247


def test_plan_import_preview_switches_to_another_table(login, network, network_staff):
    client = login(network_staff)
    data = (FIXTURES.parent / "data" / "climate_city_contract.md").read_bytes()
    preview = client.post(
        _url("plan-import"), _import_form(network, SimpleUploadedFile("ccc.md", data))
    )

    glossary = client.post(
        _url("plan-import-preview"),
        {"token": preview.context["token"], "source": "1", "columns_for": "4", "header": "auto"},
    )

    assert preview.context["parsed"].level_counts == [6, 42]
    assert glossary.context["form"]["column_0"].value() == "level:0"
    assert glossary.context["parsed"].level_counts == [6, 6]


def test_plan_import_preview_refuses_another_persons_token(login, network_staff):
    response = login(network_staff).post(_url("plan-import-preview"), {"token": "x"}, follow=True)

    assert [str(m) for m in response.context["messages"]] == [
        "This preview has expired; upload the file again."
    ]


def test_plan_import_says_why_a_zip_bomb_is_refused(login, network, network_staff):
    upload = SimpleUploadedFile("plan.docx", build(docx_bomb(200 * MB)))

    response = login(network_staff).post(_url("plan-import"), _import_form(network, upload))

    assert response.context["form"].errors["file"] == [
        "This file would expand to more than 100 MB when opened; it is not accepted."
    ]
    assert Plan.objects.count() == 0


def test_plan_import_refuses_a_50_mb_file(login, network, network_staff):
    upload = SimpleUploadedFile("plan.csv", b"a;b\n" * (50 * 1024 * 1024 // 4))

    response = login(network_staff).post(_url("plan-import"), _import_form(network, upload))

    assert response.context["form"].errors["file"] == [
        "The file is too large (50.0 MB); the limit is 5 MB."
    ]
    assert Plan.objects.count() == 0


def test_plan_import_refuses_a_user_with_no_owner(login, user):
    assert login(user).get(_url("plan-import")).status_code == 403


def test_plan_edit_renames_the_levels_in_a_language(login, network, network_staff):
    plan = _import_published(network, network_staff, "pam_vilanova_2024_2027.csv")
    client = login(network_staff)
    form = client.get(_url("plan-edit", plan.slug)).context["form"]
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and name not in ("levels",)
    }
    data |= {
        "starts_on": "2024-01-01",
        "ends_on": "2027-12-31",
        "languages": ["ca"],
        "levels_ca": "Eix / Línia / Objectiu / Actuació",
    }

    response = client.post(_url("plan-edit", plan.slug), data)
    wrong = client.post(_url("plan-edit", plan.slug), data | {"levels_ca": "Eix / Acció"})

    plan.refresh_from_db()
    assert response.status_code == 302
    assert plan.levels[-1] == {"ca": "Actuació"}
    assert wrong.context["form"].errors["levels_ca"] == ["Give 4 names separated by “/”."]


def test_plan_import_of_headings_and_lists_offers_the_outline(login, network, network_staff):
    client = login(network_staff)
    data = (FIXTURES.parent / "data" / "plan_climat.html").read_bytes()

    preview = client.post(
        _url("plan-import"), _import_form(network, SimpleUploadedFile("plan.html", data))
    )
    renamed = client.post(
        _url("plan-import-preview"),
        {
            "token": preview.context["token"],
            "source": "outline",
            "columns_for": "outline",
            "header": "auto",
            "levels": "Axe / Orientation / Action",
        },
    )

    assert preview.context["form"].initial["source"] == "outline"
    assert [value for value, _label in preview.context["form"].fields["source"].choices] == [
        "1",
        "outline",
    ]
    assert preview.context["levels"] == [("Axe", 5), ("Orientation", 15), ("Activity", 45)]
    assert renamed.context["levels"] == [("Axe", 5), ("Orientation", 15), ("Action", 45)]
