"""Drafts of long forms, kept as the user types (autosave) so that nothing typed is ever lost.

A form's page posts its fields to its app's autosave view (htmx, `core/partials/autosave_*.html`,
the same triggers as the calls' application form), which checks permissions and calls
`save_draft`. When the page is opened again the view passes `draft_initial(form, draft)` as the
form's initial values and shows `core/partials/draft_notice.html`; saving the form for real calls
`discard_draft`. Calls keep their answers on the application itself, which is their draft.
"""

import json

from django.http import QueryDict
from django.utils.translation import gettext as _

from municipia.core.models import FormDraft

MAX_BYTES = 200_000
NOT_KEPT = {"csrfmiddlewaretoken", "action"}


class DraftError(Exception):
    pass


def save_draft(user, key: str, data: QueryDict) -> FormDraft:
    """Keep `data` (a form's POST) as `user`'s draft of form `key`, replacing the previous one."""
    fields = {name: data.getlist(name) for name in data if name not in NOT_KEPT}
    if len(json.dumps(fields)) > MAX_BYTES:
        raise DraftError(_("This draft is too long to be kept; save the form to keep it."))
    draft, _created = FormDraft.objects.update_or_create(
        user=user, key=key, defaults={"data": fields}
    )
    return draft


def draft_for(user, key: str) -> FormDraft | None:
    return FormDraft.objects.filter(user=user, key=key).first()


def discard_draft(user, key: str) -> None:
    """Forget `user`'s draft of form `key` (once the form is saved, or when they discard it)."""
    FormDraft.objects.filter(user=user, key=key).delete()


def draft_initial(form, draft: FormDraft) -> dict:
    """The draft's values as the initial values of the unbound `form`, field by field, as typed.

    Only the form's own fields are read, each through its widget (a multi-select gives a list,
    a checkbox a boolean); disabled fields keep their initial value.
    """
    data = QueryDict(mutable=True)
    for name, values in draft.data.items():
        if isinstance(values, list):
            data.setlist(name, [str(value) for value in values])
    initial = {}
    for name, field in form.fields.items():
        if field.disabled:
            continue
        html_name = form.add_prefix(name)
        if field.widget.value_omitted_from_data(data, {}, html_name):
            continue
        initial[name] = field.widget.value_from_datadict(data, {}, html_name)
    return initial
