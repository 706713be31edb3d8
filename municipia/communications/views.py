"""Pages of news, newsletters and campaigns: thin, each a guarded fetch and one service call."""

import hmac
import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from municipia.communications import feeds
from municipia.communications.forms import (
    ActivityForm,
    AssembleIssueForm,
    CampaignTextForm,
    ExhibitionStopForm,
    IssueForm,
    MaterialForm,
    NewsPostForm,
    NewsTranslationForm,
    SubscribeForm,
)
from municipia.communications.models import Issue, NewsPost
from municipia.communications.permissions import (
    activity_cities,
    can_manage_communications,
    get_campaign_for_edit,
    get_campaign_for_view,
    get_issue_for_edit,
    get_issue_for_view,
    get_managed_network,
    get_network,
    get_post_for_edit,
    get_post_for_view,
)
from municipia.communications.queries import activity_points, campaign_page
from municipia.communications.services import CommunicationsError, campaigns, news, newsletters
from municipia.communications.services.campaigns import register_activity
from municipia.core.downloads import attachment_response
from municipia.core.jobs import get_job_for_user
from municipia.directory.models import LocalGovernment

PER_PAGE = 20


def _language() -> str:
    return (get_language() or settings.LANGUAGE_CODE).split("-")[0]


def _error(request, error) -> None:
    messages.error(request, str(error))


def _posts():
    return NewsPost.objects.select_related("network").prefetch_related("translations")


# --- News ------------------------------------------------------------------------------------


def news_index(request):
    posts = _posts().public().order_by("-published_at", "-pk")
    page = Paginator(posts, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "communications/news_index.html", {"page": page})


def news_list(request, network):
    network = get_network(network)
    ids = [network.pk, *network.sub_networks.values_list("pk", flat=True)]
    posts = _posts().public().filter(network_id__in=ids).order_by("-published_at", "-pk")
    category = request.GET.get("category", "")
    if category in NewsPost.Category.values:
        posts = posts.filter(category=category)
    context = {
        "network": network,
        "page": Paginator(posts, PER_PAGE).get_page(request.GET.get("page")),
        "categories": NewsPost.Category.choices,
        "category": category,
        "feeds": feeds.feed_links(network, _language()),
        "manager": can_manage_communications(request.user, network),
    }
    return render(request, "communications/news_list.html", context)


def news_detail(request, network, pk):
    network = get_network(network)
    post = get_post_for_view(request.user, network, pk)
    context = {
        "network": network,
        "post": post,
        "text": post.text(),
        "feeds": feeds.feed_links(network, _language(), kinds=["news"]),
        "manager": can_manage_communications(request.user, network),
    }
    return render(request, "communications/news_detail.html", context)


def feed_page(request, network):
    network = get_network(network)
    by_language = [(name, feeds.feed_links(network, code)) for code, name in settings.LANGUAGES]
    context = {
        "network": network,
        "by_language": by_language,
        "feeds": feeds.feed_links(network, _language()),
    }
    return render(request, "communications/feeds.html", context)


def feed_rss(request, network, language, kind):
    if kind not in feeds.FEEDS:
        raise Http404
    return feeds.FEEDS[kind]()(request, network=network, language=language)


def feed_atom(request, network, language, kind):
    if kind not in feeds.ATOM_FEEDS:
        raise Http404
    return feeds.ATOM_FEEDS[kind]()(request, network=network, language=language)


@login_required
def news_manage(request, network):
    network = get_managed_network(request.user, network)
    ids = [network.pk, *network.sub_networks.values_list("pk", flat=True)]
    posts = _posts().filter(network_id__in=ids).order_by("-created_at")
    page = Paginator(posts, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "communications/news_manage.html", {"network": network, "page": page})


def _post_fields(data: dict) -> dict:
    return {
        "category": data["category"],
        "published_at": data.get("published_at"),
        "embargo_until": data.get("embargo_until"),
        "image_alt": data.get("image_alt", ""),
    }


def _text(data: dict) -> dict:
    return {name: data[name] for name in ("title", "summary", "body")}


@login_required
def post_create(request, network):
    network = get_managed_network(request.user, network)
    form = NewsPostForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            post = news.create_post(
                network,
                by=request.user,
                original_language=data["language"],
                text=_text(data),
                **_post_fields(data),
            )
            if data.get("image"):
                news.set_post_image(post, data["image"], by=request.user)
        except CommunicationsError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The post is saved as a draft."))
            return redirect("communications:post-edit", post.pk)
    return render(request, "communications/post_form.html", {"network": network, "form": form})


@login_required
def post_edit(request, pk):
    post = get_post_for_edit(request.user, pk)
    text = post.text(post.original_language)
    initial = {
        "language": post.original_language,
        "category": post.category,
        "title": text.title if text else "",
        "summary": text.summary if text else "",
        "body": text.body if text else "",
        "published_at": post.published_at,
        "embargo_until": post.embargo_until,
        "image_alt": post.image_alt,
    }
    form = NewsPostForm(request.POST or None, request.FILES or None, initial=initial)
    form.fields["language"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            news.update_post(post, by=request.user, text=_text(data), **_post_fields(data))
            if data.get("image"):
                news.set_post_image(post, data["image"], by=request.user)
        except CommunicationsError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The post is saved."))
            return redirect("communications:post-edit", post.pk)
    context = {
        "network": post.network,
        "post": post,
        "form": form,
        "translation_form": NewsTranslationForm(),
    }
    return render(request, "communications/post_form.html", context)


@login_required
@require_POST
def post_translate(request, pk):
    post = get_post_for_edit(request.user, pk)
    form = NewsTranslationForm(request.POST)
    if not form.is_valid():
        _error(request, _("A language, a title, a summary and a text are required."))
        return redirect("communications:post-edit", post.pk)
    data = form.cleaned_data
    try:
        news.add_news_translation(
            post, by=request.user, language=data["language"], text=_text(data)
        )
    except CommunicationsError as error:
        _error(request, error)
    else:
        messages.success(request, _("The translation is saved."))
    return redirect("communications:post-edit", post.pk)


@login_required
@require_POST
def post_publish(request, pk):
    post = get_post_for_edit(request.user, pk)
    published = request.POST.get("published") != "0"
    news.publish_post(post, by=request.user, published=published)
    messages.success(
        request, _("The post is published.") if published else _("The post is withdrawn.")
    )
    return redirect("communications:post-edit", post.pk)


def post_image(request, network, pk):
    """The post's image, served only where the post itself may be seen."""
    post = get_post_for_view(request.user, get_network(network), pk)
    if not post.image:
        raise Http404
    content_type = {
        "png": "image/png",
        "jpg": "image/jpeg",
        "gif": "image/gif",
        "webp": "image/webp",
    }.get(post.image.name.rsplit(".", 1)[-1], "application/octet-stream")
    return attachment_response(post.image, filename=post.image.name, content_type=content_type)


# --- Newsletters -----------------------------------------------------------------------------


def subscribe(request, network):
    network = get_network(network)
    form = SubscribeForm(request.POST or None, initial={"language": _language()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            newsletters.subscribe(
                data["email"], network, language=data["language"], user=request.user
            )
        except CommunicationsError as error:
            form.add_error(None, str(error))
        else:
            # The same answer for every address: the form tells nobody who is subscribed.
            return render(request, "communications/subscribe_sent.html", {"network": network})
    return render(request, "communications/subscribe.html", {"network": network, "form": form})


def subscription_confirm(request, token):
    try:
        subscriber = newsletters.confirm_subscription(token)
    except CommunicationsError as error:
        return render(
            request, "communications/subscription_message.html", {"error": error}, status=400
        )
    return render(request, "communications/subscription_message.html", {"confirmed": subscriber})


@csrf_exempt  # RFC 8058: mail readers POST the one-click unsubscribe without a form of ours
def unsubscribe(request, token):
    try:
        subscriber = newsletters.subscriber_for_unsubscribe(token)
    except CommunicationsError as error:
        return render(
            request, "communications/subscription_message.html", {"error": error}, status=400
        )
    if request.method == "POST":
        newsletters.unsubscribe(token)
        return render(
            request, "communications/subscription_message.html", {"unsubscribed": subscriber}
        )
    # A GET only asks: link checkers and previews must not unsubscribe anyone.
    return render(request, "communications/unsubscribe.html", {"subscriber": subscriber})


@csrf_exempt  # called by the mail service, authenticated by its bearer secret
@require_POST
def delivery_webhook(request):
    """The mail service reports a bounce or a complaint: {"email": …, "kind": "bounce"|"complaint"}."""
    secret = settings.MUNICIPIA_NEWSLETTER_WEBHOOK_TOKEN
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if not secret or not hmac.compare_digest(given.encode(), secret.encode()):
        return JsonResponse({"detail": _("Not authorised.")}, status=403)
    try:
        payload = json.loads(request.body or b"{}")
        email, kind = str(payload["email"]), str(payload["kind"])
    except (ValueError, KeyError, TypeError):
        return JsonResponse({"detail": _("Send JSON with “email” and “kind”.")}, status=400)
    try:
        subscriber = newsletters.record_bounce(
            email, kind=kind, reason=str(payload.get("reason", ""))
        )
    except CommunicationsError as error:
        return JsonResponse({"detail": str(error)}, status=400)
    return JsonResponse({"stopped": subscriber is not None})


def issue_archive(request, network):
    network = get_network(network)
    issues = Issue.objects.sent().filter(network=network).order_by("-sent_at")
    page = Paginator(issues, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "communications/issue_archive.html", {"network": network, "page": page})


def issue_detail(request, network, pk):
    network = get_network(network)
    issue = get_issue_for_view(request.user, network, pk)
    html, _text_version = newsletters.render_issue(issue)
    context = {"network": network, "issue": issue, "html": html}
    return render(request, "communications/issue_detail.html", context)


@login_required
def issue_list_manage(request, network):
    network = get_managed_network(request.user, network)
    form = AssembleIssueForm(request.POST or None, initial={"language": _language()})
    if request.method == "POST" and form.is_valid():
        try:
            issue = newsletters.assemble_issue(
                network, by=request.user, language=form.cleaned_data["language"]
            )
        except CommunicationsError as error:
            form.add_error(None, str(error))
        else:
            return redirect("communications:issue-manage", issue.pk)
    issues = Issue.objects.filter(network=network).order_by("-created_at")[:50]
    context = {"network": network, "form": form, "issues": issues}
    return render(request, "communications/issue_list_manage.html", context)


@login_required
def issue_manage(request, pk):
    issue = get_issue_for_edit(request.user, pk)
    initial = {
        "subject": issue.subject,
        "introduction": issue.introduction,
        "keep": list(range(len(issue.items))),
    }
    form = IssueForm(request.POST or None, issue=issue, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            newsletters.update_issue(
                issue,
                by=request.user,
                subject=data["subject"],
                introduction=data["introduction"],
                keep=data["keep"],
            )
        except CommunicationsError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The issue is saved."))
            return redirect("communications:issue-manage", issue.pk)
    job = issue.job if issue.job_id and issue.job.owner_id == request.user.pk else None
    context = {
        "network": issue.network,
        "issue": issue,
        "form": form,
        "job": job,
        "recipients": newsletters.recipients(issue).count(),
    }
    return render(request, "communications/issue_manage.html", context)


@login_required
def issue_preview(request, pk, kind):
    """The issue exactly as it arrives: its HTML with styles inlined, or its plain text."""
    issue = get_issue_for_edit(request.user, pk)
    html, text = newsletters.render_issue(issue)
    if kind == "txt":
        return HttpResponse(text, content_type="text/plain; charset=utf-8")
    return HttpResponse(html)


@login_required
@require_POST
def issue_send(request, pk):
    issue = get_issue_for_edit(request.user, pk)
    try:
        newsletters.send_issue(issue, by=request.user)
    except CommunicationsError as error:
        _error(request, error)
    return redirect("communications:issue-manage", issue.pk)


@login_required
def issue_job(request, pk):
    """The sending's progress (polled by the progress bar)."""
    issue = get_issue_for_edit(request.user, pk)
    if issue.job_id is None:
        raise Http404
    job = get_job_for_user(request.user, issue.job_id)
    return render(request, "core/partials/job_progress.html", {"job": job})


# --- Campaigns -------------------------------------------------------------------------------


def campaign_list(request):
    from municipia.communications.models import Campaign

    campaigns = (
        Campaign.objects.visible_to(request.user)
        .select_related("network")
        .prefetch_related("translations")
    )
    return render(request, "communications/campaign_list.html", {"campaigns": campaigns})


def campaign_detail(request, slug):
    campaign = get_campaign_for_view(request.user, slug)
    context = campaign_page(campaign, request.user)
    return render(request, "communications/campaign_detail.html", context)


def campaign_map(request, slug):
    """The activities as the directory's offline member map reads them."""
    campaign = get_campaign_for_view(request.user, slug)
    countries, points = activity_points(campaign)
    return JsonResponse(
        {
            "countries": countries,
            "points": points,
            "place_url": LocalGovernment(slug="__slug__").get_absolute_url(),
        }
    )


@login_required
def activity_create(request, slug):
    campaign = get_campaign_for_view(request.user, slug)
    cities = activity_cities(request.user, campaign)
    if not cities or not campaign.is_published:
        raise Http404
    form = ActivityForm(request.POST or None, cities=cities)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            register_activity(
                campaign,
                by=request.user,
                city=form.cities[data["city"]],
                title=data["title"],
                description=data["description"],
                happens_on=data["happens_on"],
                venue=data["venue"],
                link=data["link"],
            )
        except CommunicationsError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The activity is registered."))
            return redirect(reverse("communications:campaign-detail", args=[slug]) + "#activities")
    return render(
        request, "communications/activity_form.html", {"campaign": campaign, "form": form}
    )


def material_download(request, slug, pk):
    campaign = get_campaign_for_view(request.user, slug)
    material = campaign.materials.filter(pk=pk).first()
    if material is None:
        raise Http404
    return attachment_response(
        material.file, filename=material.original_name, content_type=material.content_type
    )


# --- Campaigns: the staff's pages ------------------------------------------------------------


def _manage_page(request, campaign, *, material_form=None, stop_form=None, status=200):
    cities = campaigns.exhibition_cities(campaign)
    texts = {text.language: text for text in campaign.translations.all()}
    return render(
        request,
        "communications/campaign_manage.html",
        {
            "campaign": campaign,
            "texts": [(code, name, texts.get(code)) for code, name in settings.LANGUAGES],
            "materials": list(campaign.materials.order_by("kind", "title")),
            "stops": list(campaign.exhibition_stops.select_related("city").order_by("opens_on")),
            "material_form": material_form or MaterialForm(),
            "stop_form": stop_form or ExhibitionStopForm(cities=cities),
        },
        status=status,
    )


def _back_to_manage(slug: str, part: str):
    return redirect(reverse("communications:campaign-manage", args=[slug]) + f"#{part}")


@login_required
def campaign_manage(request, slug):
    """The campaign's texts in each language, its kit of materials and its exhibition."""
    return _manage_page(request, get_campaign_for_edit(request.user, slug))


@login_required
def campaign_text(request, slug, language):
    campaign = get_campaign_for_edit(request.user, slug)
    if language not in dict(settings.LANGUAGES):
        raise Http404
    text = next((t for t in campaign.translations.all() if t.language == language), None)
    initial = {"name": text.name, "slogan": text.slogan, "body": text.body} if text else {}
    form = CampaignTextForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            campaigns.set_campaign_text(
                campaign, by=request.user, language=language, text=form.cleaned_data
            )
        except CommunicationsError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The campaign's text is saved."))
            return _back_to_manage(slug, "texts")
    return render(
        request,
        "communications/campaign_text_form.html",
        {
            "campaign": campaign,
            "form": form,
            "language": language,
            "language_name": dict(settings.LANGUAGES)[language],
            "is_original": language == campaign.original_language,
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def material_add(request, slug):
    campaign = get_campaign_for_edit(request.user, slug)
    form = MaterialForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            campaigns.add_material(
                campaign,
                data["file"],
                by=request.user,
                kind=data["kind"],
                title=data["title"],
                language=data["language"],
            )
        except CommunicationsError as error:
            form.add_error("file", str(error))
        else:
            messages.success(request, _("The file is added to the kit."))
            return _back_to_manage(slug, "materials")
    return _manage_page(request, campaign, material_form=form, status=400)


@login_required
@require_POST
def material_remove(request, slug, pk):
    campaign = get_campaign_for_edit(request.user, slug)
    try:
        campaigns.remove_material(campaign, pk, by=request.user)
    except CommunicationsError as error:
        _error(request, error)
    else:
        messages.success(request, _("The file is taken out of the kit."))
    return _back_to_manage(slug, "materials")


@login_required
@require_POST
def stop_add(request, slug):
    campaign = get_campaign_for_edit(request.user, slug)
    form = ExhibitionStopForm(request.POST, cities=campaigns.exhibition_cities(campaign))
    if form.is_valid():
        data = form.cleaned_data
        try:
            campaigns.add_exhibition_stop(
                campaign,
                by=request.user,
                venue=data["venue"],
                city=form.cities[data["city"]],
                opens_on=data["opens_on"],
                closes_on=data["closes_on"],
            )
        except CommunicationsError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The stop is added to the itinerary."))
            return _back_to_manage(slug, "exhibition")
    return _manage_page(request, campaign, stop_form=form, status=400)


@login_required
@require_POST
def stop_remove(request, slug, pk):
    campaign = get_campaign_for_edit(request.user, slug)
    try:
        campaigns.remove_exhibition_stop(campaign, pk, by=request.user)
    except CommunicationsError as error:
        _error(request, error)
    else:
        messages.success(request, _("The stop is taken off the itinerary."))
    return _back_to_manage(slug, "exhibition")
