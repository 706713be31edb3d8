"""Every change to questionnaires: building them (versions), sending them, and answering them.

Answering an anonymous questionnaire uses the invitation and stores the answers in two separate
transactions, with nothing in the response that names the person, the invitation, the language
or the time of day (docs/decisions/0047-questionnaires.md).
"""

import datetime
import logging
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from municipia.core.log import log_action
from municipia.forms.answers import OTHER, chosen_values, is_other, pairs, problems
from municipia.forms.models import FormDefinition, FormField
from municipia.surveys import tallies, targets
from municipia.surveys.models import (
    Answer,
    Invitation,
    Questionnaire,
    QuestionnaireVersion,
    Response,
)

logger = logging.getLogger(__name__)

PURPOSE = "surveys.questionnaire"
# Kinds a questionnaire does not ask: files and money belong to applications and registrations.
EXCLUDED_KINDS = {FormField.Kind.FILE, FormField.Kind.MONEY, FormField.Kind.EXPERIENCE}
REMIND_BEFORE = datetime.timedelta(days=3)
_TOKEN_SALT = "municipia.surveys.invitation"  # noqa: S105 (a salt, not a secret)
# Field attributes a new version copies.
_COPIED = (
    "position",
    "kind",
    "label",
    "help_text",
    "required",
    "word_limits",
    "choices",
    "min_value",
    "max_value",
    "allow_other",
    "items",
    "condition",
)


class SurveyError(Exception):
    """An expected, user-facing reason why an action on a questionnaire cannot happen."""


class AnswersRefused(SurveyError):
    """Answers that cannot be kept: one message per question key."""

    def __init__(self, found: dict[str, str]):
        super().__init__(_("Some answers need your attention."))
        self.problems = found


# --- Building -------------------------------------------------------------------------------


def current_version(questionnaire: Questionnaire) -> QuestionnaireVersion:
    return questionnaire.versions.select_related("form").order_by("-number").first()


def questions(version: QuestionnaireVersion) -> list[FormField]:
    """The version's fields, each knowing its form (for the original language) without a query."""
    return list(version.form.fields.all())


@transaction.atomic
def create_questionnaire(network, *, by, title: dict, original_language: str, **options):
    questionnaire = Questionnaire.objects.create(
        network=network,
        title=title,
        original_language=original_language,
        created_by=by,
        **options,
    )
    _new_version(questionnaire, 1)
    log_action(questionnaire, "surveys.questionnaire.created", user=by)
    return questionnaire


def _new_version(questionnaire, number) -> QuestionnaireVersion:
    form = FormDefinition.objects.create(
        purpose=PURPOSE, original_language=questionnaire.original_language
    )
    return QuestionnaireVersion.objects.create(
        questionnaire=questionnaire, number=number, form=form
    )


def _copy_fields(source_fields, version) -> dict[int, FormField]:
    """Copy fields into `version`'s form; conditions follow the copies. {old id: copy}."""
    copies = {}
    for field in source_fields:
        copy = FormField(definition=version.form, **{a: getattr(field, a) for a in _COPIED})
        copy.save()
        copies[field.pk] = copy
    for copy in copies.values():
        old = (copy.condition or {}).get("field")
        if old:
            copy.condition = (
                {**copy.condition, "field": copies[int(old)].pk} if int(old) in copies else {}
            )
            copy.save(update_fields=["condition"])
    return copies


@transaction.atomic
def copy_questionnaire(template: Questionnaire, *, network, by) -> Questionnaire:
    """A new questionnaire with the template's current questions (the after-event one, say)."""
    copy = create_questionnaire(
        network,
        by=by,
        title=dict(template.title),
        original_language=template.original_language,
        intro=dict(template.intro),
        anonymous=template.anonymous,
        template=template,
    )
    _copy_fields(questions(current_version(template)), current_version(copy))
    return copy


def editable_version(questionnaire) -> tuple[QuestionnaireVersion, dict[int, FormField] | None]:
    """The version changes go to: the current one while it has no answers, else a new version
    with a copy of its questions (and the map from old question ids to their copies)."""
    version = current_version(questionnaire)
    if not version.responses.exists():
        return version, None
    new = _new_version(questionnaire, version.number + 1)
    return new, _copy_fields(questions(version), new)


def _check_kind(kind):
    if kind in EXCLUDED_KINDS:
        raise SurveyError(_("Questionnaires do not ask for this kind of answer."))


@transaction.atomic
def save_question(questionnaire, *, field: FormField, by) -> FormField:
    """Save a question built in the editor (`field`, unsaved changes of a field of the current
    version, or a new one): into a new version when the current one has answers."""
    _check_kind(field.kind)
    Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    version, copies = editable_version(questionnaire)
    values = {a: getattr(field, a) for a in _COPIED}
    if copies is not None:
        old = (values["condition"] or {}).get("field")
        if old and int(old) in copies:
            values["condition"] = {**values["condition"], "field": copies[int(old)].pk}
        target = copies.get(field.pk) if field.pk else None
    else:
        target = FormField.objects.get(pk=field.pk) if field.pk else None
    target = target or FormField(definition=version.form)
    for name, value in values.items():
        setattr(target, name, value)
    target.definition = version.form
    target.save()
    log_action(questionnaire, "surveys.question.saved", user=by)
    return target


@transaction.atomic
def delete_question(questionnaire, *, field_id: int, by) -> None:
    Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    version, copies = editable_version(questionnaire)
    field = (copies or {}).get(field_id) or version.form.fields.filter(pk=field_id).first()
    if field is None:
        raise SurveyError(_("This question is not in the questionnaire."))
    version.form.fields.filter(condition__field=field.pk).update(condition={})
    field.delete()
    log_action(questionnaire, "surveys.question.deleted", user=by)


# --- Sending --------------------------------------------------------------------------------


def personal_token(invitation: Invitation) -> str:
    """The secret of a personal link, derived from the invitation (nothing to store)."""
    return signing.Signer(salt=_TOKEN_SALT).sign(str(invitation.pk)).replace(":", ".")


def invitation_for_token(token: str) -> Invitation | None:
    try:
        pk = signing.Signer(salt=_TOKEN_SALT).unsign(token.replace(".", ":"))
    except signing.BadSignature:
        return None
    return Invitation.objects.select_related("questionnaire__network").filter(pk=pk).first()


def personal_url(invitation: Invitation) -> str:
    with translation.override(invitation.language):
        path = reverse("surveys:answer", args=[personal_token(invitation)])
    return settings.MUNICIPIA_SITE_URL.rstrip("/") + path


@transaction.atomic
def invite(questionnaire, people, *, by=None) -> int:
    """Invite (user or None, e-mail, name, language) tuples; an address already invited is
    skipped. The number of new invitations."""
    known = set(questionnaire.invitations.values_list("email", flat=True))
    languages = {code for code, _name in settings.LANGUAGES}
    new = []
    for user, email, name, language in people:
        email = (email or "").strip().lower()
        if not email or email in known:
            continue
        known.add(email)
        language = language if language in languages else questionnaire.original_language
        new.append(
            Invitation(
                questionnaire=questionnaire, user=user, email=email, name=name, language=language
            )
        )
    Invitation.objects.bulk_create(new)
    if new:
        log_action(questionnaire, "surveys.questionnaire.invited", user=by)
    return len(new)


def invite_target(questionnaire, *, by=None) -> int:
    obj = targets.target_object(questionnaire.target_kind, questionnaire.target_id)
    if obj is None:
        return 0
    return invite(questionnaire, targets.TARGETS[questionnaire.target_kind].people(obj), by=by)


def check_target(network, kind: str, object_id) -> None:
    """Refuse a target that does not exist or belongs to another network."""
    if not kind:
        return
    target = targets.TARGETS.get(kind)
    obj = targets.target_object(kind, object_id)
    if target is None or obj is None or target.network_id(obj) != network.pk:
        raise SurveyError(_("Choose something of this network to attach the questionnaire to."))


@transaction.atomic
def open_questionnaire(questionnaire, *, by) -> Questionnaire:
    """Open for answers and send the personal links (in a task, in batches)."""
    if questionnaire.is_template:
        raise SurveyError(_("A template is copied, not sent."))
    if not any(f.asks for f in questions(current_version(questionnaire))):
        raise SurveyError(_("Add at least one question first."))
    if questionnaire.closes_on and questionnaire.closes_on < timezone.localdate():
        raise SurveyError(_("The closing date has passed."))
    invite_target(questionnaire, by=by)
    questionnaire.status = Questionnaire.Status.OPEN
    questionnaire.sent_at = timezone.now()
    questionnaire.save(update_fields=["status", "sent_at", "updated_at"])
    log_action(questionnaire, "surveys.questionnaire.opened", user=by)
    from municipia.surveys import tasks

    transaction.on_commit(lambda: tasks.send_invitations.delay(questionnaire_id=questionnaire.pk))
    return questionnaire


@transaction.atomic
def close_questionnaire(questionnaire, *, by=None) -> Questionnaire:
    questionnaire.status = Questionnaire.Status.CLOSED
    questionnaire.save(update_fields=["status", "updated_at"])
    log_action(questionnaire, "surveys.questionnaire.closed", user=by)
    return questionnaire


def _mail(invitation, subject, template):
    questionnaire = invitation.questionnaire
    with translation.override(invitation.language):
        context = {
            "invitation": invitation,
            "questionnaire": questionnaire,
            "title": questionnaire.title_text,
            "url": personal_url(invitation),
        }
        send_mail(
            subject % {"title": questionnaire.title_text},
            render_to_string(template, context),
            None,
            [invitation.email],
        )


def send_invitations(questionnaire_id: int, *, reminder=False) -> int:
    """Send the personal links not sent yet (or the one reminder to those who have not answered),
    in batches, each in the person's language. Each batch is marked before its e-mails go, by an
    update only one run can win, so no one gets a link twice."""
    today = timezone.localdate()
    sent = 0
    batch = settings.MUNICIPIA_SURVEYS_BATCH
    while True:
        with transaction.atomic():
            pending = Invitation.objects.filter(questionnaire_id=questionnaire_id)
            if reminder:
                pending = pending.filter(
                    used=False, reminded_on__isnull=True, sent_on__isnull=False
                )
                mark = {"reminded_on": today}
            else:
                pending = pending.filter(sent_on__isnull=True)
                mark = {"sent_on": today}
            ids = list(
                pending.select_for_update(skip_locked=True).values_list("pk", flat=True)[:batch]
            )
            if not ids:
                return sent
            Invitation.objects.filter(pk__in=ids).update(**mark)
        for invitation in Invitation.objects.filter(pk__in=ids).select_related("questionnaire"):
            if reminder:
                _mail(invitation, _("Reminder: %(title)s"), "surveys/email/reminder.txt")
            else:
                _mail(invitation, _("Your opinion: %(title)s"), "surveys/email/invitation.txt")
            sent += 1


@transaction.atomic
def remind(questionnaire, *, by=None) -> Questionnaire:
    """The one reminder of a questionnaire, to those who have not answered."""
    if questionnaire.status != Questionnaire.Status.OPEN:
        raise SurveyError(_("Only an open questionnaire can be reminded."))
    if questionnaire.reminded_at is not None:
        raise SurveyError(_("The reminder has already been sent."))
    questionnaire.reminded_at = timezone.now()
    questionnaire.save(update_fields=["reminded_at", "updated_at"])
    log_action(questionnaire, "surveys.questionnaire.reminded", user=by)
    from municipia.surveys import tasks

    transaction.on_commit(
        lambda: tasks.send_invitations.delay(questionnaire_id=questionnaire.pk, reminder=True)
    )
    return questionnaire


def close_and_remind(today: datetime.date | None = None) -> tuple[int, int]:
    """Daily: close questionnaires past their closing date; remind those closing within three
    days that have not been reminded. (closed, reminded)."""
    today = today or timezone.localdate()
    open_ = Questionnaire.objects.filter(status=Questionnaire.Status.OPEN)
    closed = open_.filter(closes_on__lt=today).update(status=Questionnaire.Status.CLOSED)
    reminded = 0
    due = open_.filter(
        reminded_at__isnull=True, closes_on__gte=today, closes_on__lte=today + REMIND_BEFORE
    )
    for questionnaire in due:
        remind(questionnaire)
        reminded += 1
    return closed, reminded


# --- Answering ------------------------------------------------------------------------------


def is_open(questionnaire) -> bool:
    if questionnaire.status != Questionnaire.Status.OPEN:
        return False
    return questionnaire.closes_on is None or questionnaire.closes_on >= timezone.localdate()


def _number(value):
    try:
        number = Decimal(value.replace(",", "."))
    except (InvalidOperation, AttributeError):
        return None
    return number if number.is_finite() and abs(number) < Decimal("1e11") else None


def answer_rows(field: FormField, value: str) -> list[dict]:
    """A checked answer as the rows results count."""
    Kind = FormField.Kind
    if not value:
        return []
    if field.kind in FormField.CHOICE_KINDS:
        chosen = chosen_values(value)
        return [
            {"value": "other", "text": c[len(OTHER) :]} if is_other(c) else {"value": c}
            for c in chosen
        ]
    if field.kind in (*FormField.SCALE_KINDS, Kind.NUMBER):
        return [{"value": value if field.kind != Kind.NUMBER else "", "number": _number(value)}]
    if field.kind in FormField.ITEM_KINDS:
        return [
            {"item": item, "value": point, "number": _number(point)}
            for item, point in pairs(value).items()
        ]
    if field.kind in (Kind.YES_NO, Kind.DATE):
        return [{"value": value}]
    return [{"text": value}]


def submit_response(
    questionnaire, *, answers: dict, language: str, via: str, invitation=None, user=None
) -> Response:
    """Check and keep one person's answers; refuse them all, per question, when one is wrong."""
    if not is_open(questionnaire):
        raise SurveyError(_("This questionnaire is closed."))
    version = current_version(questionnaire)
    fields = questions(version)
    answers = {f.key: str(answers.get(f.key, "") or "").strip() for f in fields if f.asks}
    if found := problems(fields, answers, language):
        raise AnswersRefused(found)
    if invitation is not None:
        # Its own transaction: the answer's row is written in another (see the module).
        with transaction.atomic():
            won = Invitation.objects.filter(pk=invitation.pk, used=False).update(used=True)
        if not won:
            raise SurveyError(_("This link has already been used to answer."))
    try:
        return _store(questionnaire, version, fields, answers, language, via, invitation, user)
    except Exception:
        if invitation is not None:
            Invitation.objects.filter(pk=invitation.pk).update(used=False)
        raise


@transaction.atomic
def _store(questionnaire, version, fields, answers, language, via, invitation, user):
    anonymous = questionnaire.anonymous
    response = Response.objects.create(
        version=version,
        submitted_on=timezone.localdate(),
        via=via,
        language="" if anonymous else language,
        answers=answers,
        respondent=None if anonymous else user,
        invitation=None if anonymous else invitation,
    )
    rows = Answer.objects.bulk_create(
        Answer(response=response, field=field, **row)
        for field in fields
        if field.asks
        for row in answer_rows(field, answers.get(field.key, ""))
    )
    # Last, so that the rows of the tallies every response shares stay locked briefly.
    tallies.add(version.pk, tallies.deltas(rows))
    return response
