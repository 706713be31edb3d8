"""Asking for machine translations again, and replacing them with people's translations."""

from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from municipia.translation import content, services
from municipia.translation.backends import configured_backends
from municipia.translation.forms import HumanTranslationForm
from municipia.translation.models import TextTranslation

# What people translate on this site's form (experiences and publications have their own).
EDITABLE = ("plans.plan", "plans.section", "plans.objective", "plans.activity")


def _managed(user, label: str, pk: int, allowed) -> tuple:
    if label not in allowed:
        raise Http404
    instance = get_object_or_404(apps.get_model(label), pk=pk)
    spec, page = content.owner_of(instance)
    if not spec.can_manage(user, page):
        raise PermissionDenied
    return instance, spec, page


@login_required
@require_POST
def translate_now(request, label, pk):
    _instance, spec, page = _managed(request.user, label, pk, content.TRANSLATABLES)
    if not configured_backends():
        messages.warning(request, _("No machine translation service is configured."))
    elif not spec.is_public(page):
        messages.warning(request, _("Only published content is translated."))
    else:
        services.schedule(page)
        messages.success(request, _("The texts are being translated; unchanged ones are kept."))
    return redirect(page.get_absolute_url())


@login_required
def edit_texts(request, label, pk):
    instance, spec, page = _managed(request.user, label, pk, EDITABLE)
    source = spec.source_language(page)
    units = [
        unit
        for unit in spec.units(page)
        if unit.instance._meta.label_lower == label and unit.instance.pk == instance.pk
    ]
    language = request.POST.get("language") or request.GET.get("language") or ""
    if language == source or language not in dict(settings.LANGUAGES):
        language = ""
    rows = {
        row.field: row.text
        for row in TextTranslation.objects.filter(
            content_type__app_label=instance._meta.app_label,
            content_type__model=instance._meta.model_name,
            object_id=instance.pk,
            language=language,
        )
    }
    form = HumanTranslationForm(
        request.POST or None,
        units=units,
        source_language=source,
        initial={"language": language, **rows},
    )
    if request.method == "POST" and form.is_valid():
        key = (label, instance.pk)
        try:
            services.save_human_texts(
                instance,
                by=request.user,
                language=form.cleaned_data["language"],
                texts={(*key, field): text for field, text in form.texts().items()},
            )
        except services.TranslationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The translation has been saved."))
            return redirect(page.get_absolute_url())
    return render(
        request,
        "translation/edit_texts.html",
        {"form": form, "page": page, "instance": instance, "source_language": source},
    )
