from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Case, F, OuterRef, Prefetch, Q, Subquery, Value, When
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from municipia.accounts.models import Role
from municipia.accounts.permissions import (
    is_superuser,
    local_government_ids_with_role,
    network_ids_with_role,
)
from municipia.core import drafts, generations
from municipia.core.downloads import attachment_response
from municipia.core.exports import FORMATS, export_response, query_without_page
from municipia.core.pagecache import public_page
from municipia.core.paging import Paginator
from municipia.directory.models import Network
from municipia.knowledge import charts, services
from municipia.knowledge.forms import AttachmentForm, ExperienceForm, ReturnForm, TranslationForm
from municipia.knowledge.models import Experience, ExperienceTranslation, Publication, SdgTarget
from municipia.knowledge.permissions import (
    can_edit_experience,
    can_review_experience,
    cities_for_author,
    get_experience_for_edit,
    get_experience_for_review,
    get_experience_for_view,
    get_publication_for_view,
)
from municipia.search import services as search
from municipia.search.suggest import suggest_goals, targets_of
from municipia.translation.services import machine_text

# Rows of "My experiences" per page.
WORKSPACE_PAGE_SIZE = 50


@public_page
def experience_detail(request, pk):
    experience = get_experience_for_view(request.user, pk)
    visibilities = search.visibilities_for(request.user)
    return render(
        request,
        "knowledge/experience_detail.html",
        {
            "experience": experience,
            "text": experience.text(request.GET.get("lang") or request.LANGUAGE_CODE),
            "texts": list(experience.translations.all()),
            # Read only when the cached fragment of related items is missing (a callable).
            "related": partial(
                search.related, experience, user=request.user, facets={"type": ["experience"]}
            )
            if experience.is_published
            else list,
            "related_key": ",".join(visibilities) if experience.is_published else "",
            "can_edit": can_edit_experience(request.user, experience),
            "can_review": can_review_experience(request.user, experience),
            "return_form": ReturnForm(),
            "attachment_form": AttachmentForm(),
        },
    )


@login_required
def experience_create(request):
    cities = cities_for_author(request.user)
    if not cities.exists():
        raise PermissionDenied
    key = _draft_key(None)
    form = ExperienceForm(
        request.POST or None, cities=cities, initial={"language": request.LANGUAGE_CODE}
    )
    draft = _restore_draft(request, form, key)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            experience = services.create_experience(
                city=data["city"],
                by=request.user,
                language=data["language"],
                text=form.text(),
                networks=data["networks"],
                themes=data["themes"],
                sdg_targets=data["sdg_targets"],
                partner_cities=data["partner_cities"],
                **form.facts(),
            )
        except services.ExperienceError as error:
            form.add_error(None, str(error))
        else:
            drafts.discard_draft(request.user, key)
            messages.success(request, _("The experience has been saved as a draft."))
            return redirect(experience)
    return render(
        request,
        "knowledge/experience_form.html",
        {"form": form, "draft": draft, "autosave_url": reverse("knowledge:experience-autosave")},
    )


@login_required
def experience_edit(request, pk):
    experience = get_experience_for_edit(request.user, pk)
    original = experience.text(experience.original_language)
    initial = {
        "city": experience.city,
        "language": experience.original_language,
        "title": original.title if original else "",
        "summary": original.summary if original else "",
        "body": original.body if original else "",
        "results": original.results if original else "",
        "networks": list(experience.networks.all()),
        "themes": list(experience.themes.all()),
        "sdg_targets": list(experience.sdg_targets.all()),
        "partner_cities": list(experience.partner_cities.all()),
        "links": "\n".join(experience.links or []),
        **{
            name: getattr(experience, name)
            for name in ("started_on", "ended_on", "budget", "currency", "funders", "contacts")
        },
    }
    form = ExperienceForm(
        request.POST or None,
        initial=initial,
        editing=True,
        cities=experience.city.__class__.objects.filter(pk=experience.city_id),
    )
    key = _draft_key(experience)
    draft = _restore_draft(request, form, key)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_experience(
                experience,
                by=request.user,
                text=form.text(),
                networks=data["networks"],
                themes=data["themes"],
                sdg_targets=data["sdg_targets"],
                partner_cities=data["partner_cities"],
                **form.facts(),
            )
        except services.ExperienceError as error:
            form.add_error(None, str(error))
        else:
            drafts.discard_draft(request.user, key)
            messages.success(request, _("The experience has been saved."))
            return redirect(experience)
    return render(
        request,
        "knowledge/experience_form.html",
        {
            "form": form,
            "experience": experience,
            "draft": draft,
            "autosave_url": reverse("knowledge:experience-autosave-edit", args=[experience.pk]),
        },
    )


def _draft_key(experience) -> str:
    return f"knowledge.experience:{experience.pk if experience else 'new'}"


def _restore_draft(request, form, key):
    """On opening the page, fill the form with what the user typed last time and did not save."""
    if request.method == "POST":
        return None
    draft = drafts.draft_for(request.user, key)
    if draft is not None:
        form.initial.update(drafts.draft_initial(form, draft))
    return draft


@login_required
@require_POST
def experience_autosave(request, pk=None):
    """htmx: keep what is typed in the experience form as the user's draft (or discard it)."""
    if pk is None:
        if not cities_for_author(request.user).exists():
            raise PermissionDenied
        experience, back = None, reverse("knowledge:experience-create")
    else:
        experience = get_experience_for_edit(request.user, pk)
        back = reverse("knowledge:experience-edit", args=[pk])
    key = _draft_key(experience)
    if request.POST.get("discard"):
        drafts.discard_draft(request.user, key)
        messages.success(request, _("The draft has been discarded."))
        return redirect(back)
    error = None
    try:
        drafts.save_draft(request.user, key, request.POST)
    except drafts.DraftError as refused:
        error = str(refused)
    return render(
        request,
        "core/partials/autosave_saved.html",
        {"error": error, "saved_at": timezone.localtime()},
    )


@login_required
def experience_translate(request, pk):
    experience = get_experience_for_edit(request.user, pk)
    form = TranslationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.add_translation(
                experience,
                by=request.user,
                language=data["language"],
                origin=data["origin"],
                text={k: data[k] for k in ("title", "summary", "body", "results")},
            )
        except services.ExperienceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The translation has been saved."))
            return redirect(experience)
    return render(
        request, "knowledge/translation_form.html", {"form": form, "experience": experience}
    )


@login_required
@require_POST
def experience_submit(request, pk):
    experience = get_experience_for_edit(request.user, pk)
    try:
        services.submit_experience(experience, by=request.user)
    except services.ExperienceError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The experience has been sent for review."))
    return redirect(experience)


@login_required
@require_POST
def experience_publish(request, pk):
    experience = get_experience_for_review(request.user, pk)
    try:
        services.publish_experience(experience, by=request.user)
    except services.ExperienceError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The experience has been published."))
    return redirect(experience)


@login_required
@require_POST
def experience_return(request, pk):
    experience = get_experience_for_review(request.user, pk)
    form = ReturnForm(request.POST)
    try:
        if not form.is_valid():
            raise services.ExperienceError(_("Say what the authors should change."))
        services.return_experience(
            experience, by=request.user, comment=form.cleaned_data["comment"]
        )
    except services.ExperienceError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The experience has been returned to its authors."))
    return redirect(experience)


@login_required
@require_POST
def attachment_add(request, pk):
    experience = get_experience_for_edit(request.user, pk)
    form = AttachmentForm(request.POST, request.FILES)
    try:
        if not form.is_valid():
            raise services.ExperienceError(_("Choose a file to attach."))
        services.add_attachment(experience, form.cleaned_data["file"], by=request.user)
    except services.ExperienceError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The file has been attached."))
    return redirect(experience)


@login_required
@require_POST
def attachment_delete(request, pk, attachment_pk):
    experience = get_experience_for_edit(request.user, pk)
    attachment = get_object_or_404(experience.attachments, pk=attachment_pk)
    try:
        services.remove_attachment(attachment, by=request.user)
    except services.ExperienceError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The file has been removed."))
    return redirect(experience)


def attachment_download(request, pk, attachment_pk):
    experience = get_experience_for_view(request.user, pk)
    attachment = get_object_or_404(experience.attachments, pk=attachment_pk)
    return attachment_response(
        attachment.file, filename=attachment.original_name, content_type=attachment.content_type
    )


@login_required
def experience_workspace(request):
    """The experiences the user writes (their cities') and those waiting for their review."""
    user = request.user
    status = request.GET.get("status")
    if status not in Experience.Status.values:
        status = None
    export = request.GET.get("format")
    if export in FORMATS:
        queryset = _workspace_experiences(user, status)
        rows = (
            (
                e.pk,
                e.listed_title,
                e.city.name,
                e.city.country.code,
                e.get_status_display(),
                e.original_language,
                ", ".join(str(n) for n in e.networks.all()),
                e.updated_at.date().isoformat(),
            )
            for e in queryset
        )
        headers = [
            _("Id"),
            _("Title"),
            _("Local government"),
            _("Country"),
            _("Status"),
            _("Language"),
            _("Networks"),
            _("Updated"),
        ]
        return export_response(rows, headers=headers, filename=_("experiences"), fmt=export)
    # Paged, not cut: a secretariat reviewing a large bank reaches every experience. Read only
    # where the template asks: the list is kept per reader (`kept_for_reader`).
    page = SimpleLazyObject(
        lambda: Paginator(_workspace_experiences(user, status), WORKSPACE_PAGE_SIZE).get_page(
            request.GET.get("page")
        )
    )
    can_create = is_superuser(user) or bool(
        local_government_ids_with_role(user, Role.Kind.CITY_OFFICER)
    )
    return render(
        request,
        "knowledge/workspace.html",
        {
            "page": page,
            "query": query_without_page(request),
            "statuses": Experience.Status.choices,
            "status": status,
            "can_create": can_create,
        },
    )


def _workspace_experiences(user, status: str | None):
    """The experiences `user` writes (their cities') and those their secretariats review."""
    queryset = listed_experiences(get_language())
    if not is_superuser(user):
        staff_networks = network_ids_with_role(user, Role.Kind.NETWORK_STAFF)
        queryset = queryset.filter(
            Q(city__in=local_government_ids_with_role(user, Role.Kind.CITY_OFFICER))
            | Q(
                pk__in=Experience.objects.filter(
                    networks__in=staff_networks,
                    status__in=[Experience.Status.SUBMITTED, Experience.Status.PUBLISHED],
                ).values("pk")
            )
        )
    if status:
        queryset = queryset.filter(status=status)
    return queryset.order_by("-updated_at")


def listed_experiences(language: str | None):
    """Experiences as lists show them: their title in `language` (else the original's, else any
    text's) as `listed_title`, read in the same query, with their city, country and networks'
    names; not their texts nor other fields."""
    language = (language or "en").split("-")[0]
    preference = Case(
        When(language=language, then=Value(0)),
        When(language=F("experience__original_language"), then=Value(1)),
        default=Value(2),
    )
    title = (
        ExperienceTranslation.objects.filter(experience=OuterRef("pk"))
        .order_by(preference, "language")
        .values("title")[:1]
    )
    return (
        Experience.objects.select_related("city__country")
        .only("status", "updated_at", "original_language", "city__name", "city__country__code")
        .annotate(listed_title=Subquery(title))
        .prefetch_related(Prefetch("networks", Network.objects.only("name", "acronym")))
    )


@login_required
@require_POST
def sdg_suggest(request):
    """Suggested SDG goals and targets for the text being written, with the reasons for each
    goal (an htmx fragment)."""
    text = " ".join(request.POST.get(name, "") for name in ("title", "summary", "body", "results"))
    goals = suggest_goals(text[:20000], limit=3, language=get_language())
    targets = SdgTarget.objects.select_related("goal").in_bulk(
        [s.code for s in targets_of(goals, 5)], field_name="code"
    )
    similar = (
        Experience.objects.visible_to(request.user)
        .filter(pk__in=[n.key.rsplit(":", 1)[1] for g in goals for n in g.neighbours])
        .prefetch_related("translations")
        .in_bulk()
    )
    chosen = set(request.POST.getlist("sdg_targets"))
    groups = []
    for goal in goals:
        offered = [s for s in targets_of(goals, 5) if s.goal == goal.goal and s.code in targets]
        if not offered:
            continue
        groups.append(
            {
                "goal": targets[offered[0].code].goal,
                "confidence": round(goal.confidence * 100),
                "keywords": goal.keywords,
                "description": goal.description,
                "similar": [
                    similar[pk]
                    for pk in (int(n.key.rsplit(":", 1)[1]) for n in goal.neighbours)
                    if pk in similar
                ],
                "targets": [
                    {
                        "target": targets[s.code],
                        "chosen": str(targets[s.code].pk) in chosen,
                    }
                    for s in offered
                ],
            }
        )
    return render(request, "knowledge/partials/sdg_suggestions.html", {"groups": groups})


@public_page
def bank(request):
    """The data bank shown: a map and charts, every mark a link to the filtered search."""
    overview = generations.cached(
        f"knowledge:bank:{get_language()}", charts.bank_overview, scopes=["knowledge", "directory"]
    )
    return render(request, "knowledge/bank.html", overview)


@public_page
def publication_list(request):
    publications = (
        Publication.objects.published()
        .select_related("network")
        .prefetch_related("translations")
        .order_by("-year", "pk")
    )
    return render(request, "knowledge/publication_list.html", {"publications": publications[:200]})


@public_page
def publication_detail(request, pk):
    publication = get_publication_for_view(request.user, pk)
    asked = request.GET.get("lang")
    text = publication.text(asked or request.LANGUAGE_CODE)
    if text is not None and not asked and text.language != request.LANGUAGE_CODE:
        text = machine_text(publication, request.LANGUAGE_CODE, ("title", "summary")) or text
    return render(
        request, "knowledge/publication_detail.html", {"publication": publication, "text": text}
    )
