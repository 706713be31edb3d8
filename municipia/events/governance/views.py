"""Pages of governance: a body; a meeting's staff page (live quorum, agenda, proxies, ballots,
minutes, decisions); the representatives' ballot page; results; minutes (and PDF); and the
follow-up of the action plan at an executive committee."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from municipia.events.governance import services
from municipia.events.governance.chain import verify_chain
from municipia.events.governance.forms import (
    AgendaDocumentForm,
    AgendaItemForm,
    ApproveMinutesForm,
    BallotForm,
    DecisionForm,
    MinutesForm,
    MotionForm,
    ProxyForm,
    VoteForm,
)
from municipia.events.governance.models import (
    AgendaDocument,
    Ballot,
    Minutes,
    OpenVote,
    Result,
)
from municipia.events.governance.pdf import minutes_pdf
from municipia.events.governance.permissions import (
    can_manage_meeting,
    can_see_roll_call,
    get_body_for_view,
    get_meeting_for_management,
    get_meeting_for_members,
    get_meeting_for_view,
)
from municipia.events.governance.services import GovernanceError


def _agenda(meeting):
    return meeting.agenda.prefetch_related(
        "documents",
        "motions",
        Prefetch(
            "ballots",
            Ballot.objects.select_related("result").prefetch_related("candidates"),
        ),
    )


@login_required
def body_detail(request, pk):
    body = get_body_for_view(request.user, pk)
    members = body.members.select_related("local_government", "person")
    meetings = body.meetings.select_related("event").prefetch_related("event__translations")
    return render(
        request,
        "events/governance/body_detail.html",
        {"body": body, "members": members, "meetings": meetings, "problems": verify_chain(body)},
    )


@login_required
def meeting_manage(request, slug):
    meeting = get_meeting_for_management(request.user, slug)
    activities = services.plan_follow_up(meeting)
    return render(
        request,
        "events/governance/meeting_manage.html",
        {
            "meeting": meeting,
            "event": meeting.event,
            "quorum": services.quorum(meeting),
            "agenda": _agenda(meeting),
            "proxies": meeting.proxies.select_related(
                "giver__local_government",
                "giver__person",
                "holder__local_government",
                "holder__person",
            ),
            "minutes": Minutes.objects.filter(meeting=meeting).first(),
            "decisions": meeting.decisions.prefetch_related("activities"),
            "forms": {
                "item": AgendaItemForm(prefix="item"),
                "document": AgendaDocumentForm(prefix="document", meeting=meeting),
                "motion": MotionForm(prefix="motion", meeting=meeting),
                "ballot": BallotForm(prefix="ballot", meeting=meeting),
                "proxy": ProxyForm(prefix="proxy", meeting=meeting),
                "decision": DecisionForm(prefix="decision", meeting=meeting, activities=activities),
                "approve": ApproveMinutesForm(prefix="approve", meeting=meeting),
            },
        },
    )


@login_required
def quorum_fragment(request, slug):
    """The quorum alone, polled by the staff page so that it follows the check-ins."""
    meeting = get_meeting_for_management(request.user, slug)
    return render(
        request,
        "events/governance/partials/quorum.html",
        {"meeting": meeting, "quorum": services.quorum(meeting)},
    )


def _form_action(request, form_class, prefix, run, **form_kwargs):
    form = form_class(request.POST, request.FILES, prefix=prefix, **form_kwargs)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return
    run(form.cleaned_data)


@login_required
@require_POST
def meeting_action(request, slug, action):
    """Every staff action of the meeting page: one service call each, refusals shown as messages."""
    meeting = get_meeting_for_management(request.user, slug)
    user = request.user

    def ballot_of(pk) -> Ballot:
        return get_object_or_404(Ballot, pk=pk, item__meeting=meeting)

    handlers = {
        "item": lambda: _form_action(
            request,
            AgendaItemForm,
            "item",
            lambda d: services.add_agenda_item(
                meeting, title=d["title"], description=d["description"], by=user
            ),
        ),
        "document": lambda: _form_action(
            request,
            AgendaDocumentForm,
            "document",
            lambda d: services.add_agenda_documents(d["item"], files=[d["document"]], by=user),
            meeting=meeting,
        ),
        "motion": lambda: _form_action(
            request,
            MotionForm,
            "motion",
            lambda d: services.propose_motion(
                d["item"], text=d["text"], amends=d["amends"], by=user
            ),
            meeting=meeting,
        ),
        "ballot": lambda: _form_action(
            request,
            BallotForm,
            "ballot",
            lambda d: services.create_ballot(
                d["item"],
                title=d["title"],
                kind=d["kind"],
                secret=d["secret"],
                seats=d["seats"],
                candidates=d["candidates"].splitlines(),
                by=user,
            ),
            meeting=meeting,
        ),
        "proxy": lambda: _form_action(
            request,
            ProxyForm,
            "proxy",
            lambda d: services.grant_proxy(meeting, giver=d["giver"], holder=d["holder"], by=user),
            meeting=meeting,
        ),
        "decision": lambda: _form_action(
            request,
            DecisionForm,
            "decision",
            lambda d: services.record_decision(
                meeting, text=d["text"], result=d["result"], activities=d["activities"], by=user
            ),
            meeting=meeting,
            activities=services.plan_follow_up(meeting),
        ),
        "approve": lambda: _form_action(
            request,
            ApproveMinutesForm,
            "approve",
            lambda d: services.approve_minutes(d["minutes"], at=meeting, by=user),
            meeting=meeting,
        ),
        "open": lambda: services.open_ballot(ballot_of(request.POST.get("ballot")), by=user),
        "close": lambda: services.close_ballot(ballot_of(request.POST.get("ballot")), by=user),
        "draft-minutes": lambda: services.draft_minutes(meeting, by=user),
    }
    if action not in handlers:
        raise Http404
    try:
        handlers[action]()
    except GovernanceError as refused:
        messages.error(request, str(refused))
    return redirect("events:governance-meeting", slug)


@login_required
def ballot_vote(request, slug):
    """The representative's page: the open ballots and the members they vote for."""
    meeting = get_meeting_for_view(request.user, slug)
    members = services.represented_by(request.user, meeting)
    if not members:
        return HttpResponse(_("You represent no member of this body."), status=403)
    ballots = Ballot.objects.filter(item__meeting=meeting, status=Ballot.Status.OPEN)
    if request.method == "POST":
        ballot = get_object_or_404(ballots, pk=request.POST.get("ballot"))
        form = VoteForm(request.POST, prefix=f"b{ballot.pk}", ballot=ballot, members=members)
        if form.is_valid():
            try:
                services.cast_vote(
                    ballot,
                    member=form.cleaned_data["member"],
                    choices=form.chosen(),
                    by=request.user,
                )
            except GovernanceError as refused:
                messages.error(request, str(refused))
            else:
                messages.success(request, _("Your vote is recorded."))
        else:
            messages.error(request, _("Choose the member and your vote."))
        return redirect("events:governance-vote", slug)
    forms = [
        (ballot, VoteForm(prefix=f"b{ballot.pk}", ballot=ballot, members=members))
        for ballot in ballots.prefetch_related("candidates")
    ]
    return render(
        request,
        "events/governance/ballot_vote.html",
        {"meeting": meeting, "event": meeting.event, "forms": forms, "members": members},
    )


def results(request, slug):
    """The results of the meeting for whoever sees the event; the roll-call of open ballots only
    for the network's members."""
    meeting = get_meeting_for_view(request.user, slug)
    recorded = Result.objects.filter(ballot__item__meeting=meeting).select_related("ballot")
    roll_call = {}
    if can_see_roll_call(request.user, meeting):
        for vote in OpenVote.objects.filter(
            ballot__item__meeting=meeting, ballot__secret=False
        ).select_related("member__local_government", "member__person"):
            roll_call.setdefault(vote.ballot_id, []).append(vote)
    rows = []
    for result in recorded:
        labels = result.option_labels()
        votes = [
            (vote.member, [labels.get(choice, choice) for choice in vote.choices])
            for vote in roll_call.get(result.ballot_id, [])
        ]
        rows.append((result, result.shown_counts(), votes))
    return render(
        request,
        "events/governance/results.html",
        {"meeting": meeting, "event": meeting.event, "rows": rows},
    )


@login_required
def minutes_detail(request, slug):
    meeting = get_meeting_for_members(request.user, slug)
    minutes = (
        Minutes.objects.filter(meeting=meeting).select_related("approved_at_meeting__event").first()
    )
    manage = can_manage_meeting(request.user, meeting)
    if minutes is None or (minutes.status == Minutes.Status.DRAFT and not manage):
        raise Http404
    form = None
    if manage and minutes.status == Minutes.Status.DRAFT:
        form = MinutesForm(request.POST or None, initial={"text": minutes.text})
        if request.method == "POST" and form.is_valid():
            try:
                services.edit_minutes(minutes, text=form.cleaned_data["text"], by=request.user)
            except GovernanceError as refused:
                messages.error(request, str(refused))
            return redirect("events:governance-minutes", slug)
    return render(
        request,
        "events/governance/minutes_detail.html",
        {"meeting": meeting, "event": meeting.event, "minutes": minutes, "form": form},
    )


@login_required
def minutes_download(request, slug):
    meeting = get_meeting_for_members(request.user, slug)
    minutes = get_object_or_404(Minutes, meeting=meeting)
    if minutes.status == Minutes.Status.DRAFT and not can_manage_meeting(request.user, meeting):
        raise Http404
    response = HttpResponse(minutes_pdf(minutes), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="minutes-{meeting.event.slug}.pdf"'
    return response


@login_required
def follow_up(request, slug):
    """Follow-up of the action plan: the network's plan activities, their status, and the
    decisions of the body's meetings about them."""
    meeting = get_meeting_for_members(request.user, slug)
    return render(
        request,
        "events/governance/follow_up.html",
        {
            "meeting": meeting,
            "event": meeting.event,
            "activities": services.plan_follow_up(meeting),
        },
    )


def document_download(request, slug, pk):
    meeting = get_meeting_for_view(request.user, slug)
    document = get_object_or_404(AgendaDocument, item__meeting=meeting, pk=pk)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    return FileResponse(
        handle,
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
