"""Business actions of the virtual classroom: courses and their content, enrolments with approval
and a waiting list, progress, attendance, assignments and grades, and the forum.

Places are counted under a lock on the run's row (`select_for_update`), so two people asking for
the last place are served one after the other: one gets it (or waits for approval), the other is
waitlisted; when a place frees, the first on the waiting list takes it.
"""

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from municipia.calls.files import FileRefused, check_upload
from municipia.core.log import log_action
from municipia.knowledge.services import sanitise
from municipia.learning.models import (
    Assignment,
    Attendance,
    Course,
    CourseRun,
    CourseTranslation,
    Enrolment,
    ForumPost,
    ForumThread,
    LiveSession,
    Material,
    Module,
    ModuleProgress,
    Submission,
)
from municipia.learning.permissions import (
    can_follow_run,
    can_grade,
    can_manage_course,
    can_teach_run,
)

LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}
MAX_POST_CHARS = 10000
IMAGE_TYPES = {"png", "jpg"}
RUN_TARGET = "learning.courserun"  # the run's kind of target in municipia.surveys.targets


class LearningError(Exception):
    """An expected, user-facing reason why an action in the classroom cannot happen."""


def _check_language(language: str) -> str:
    if language not in LANGUAGE_CODES:
        raise LearningError(_("Choose one of the platform's languages."))
    return language


def _texts(values: dict, *, required: str = "", rich: bool = False) -> dict:
    """A {language: text} dictionary with known languages and no empty texts."""
    cleaned = {}
    for language, text in (values or {}).items():
        _check_language(language)
        text = sanitise(text) if rich else (text or "").strip()
        if text:
            cleaned[language] = text
    if required and not cleaned:
        raise LearningError(required)
    return cleaned


def _checked_image(uploaded) -> tuple[bytes, str]:
    try:
        content, extension, _type = check_upload(uploaded)
    except FileRefused as refused:
        raise LearningError(str(refused)) from refused
    if extension not in IMAGE_TYPES:
        raise LearningError(_("Signatures and logos are PNG or JPEG images."))
    return content, extension


# Courses and their content


@transaction.atomic
def save_course(
    course: Course, *, by, title: str, description: str, signature=None, logo=None
) -> Course:
    """Create or change a course and its text in its original language; images are checked."""
    if not can_manage_course(by, course):
        raise LearningError(_("Only the network's secretariat runs its courses."))
    _check_language(course.original_language)
    for language in course.languages:
        _check_language(language)
    if not (title or "").strip() or not (description or "").strip():
        raise LearningError(_("A course needs a title and a description."))
    images = {}
    for name, uploaded in (("signature", signature), ("logo", logo)):
        if uploaded is not None:
            content, extension = _checked_image(uploaded)
            images[name] = ContentFile(content, name=f"{course.slug}-{name}.{extension}")
    created = course.pk is None
    course.save()
    for name, content in images.items():
        getattr(course, name).save(content.name, content, save=False)
    if images:
        course.save(update_fields=[*images, "updated_at"])
    CourseTranslation.objects.update_or_create(
        course=course,
        language=course.original_language,
        defaults={"title": title.strip()[:300], "description": description.strip()},
    )
    log_action(course, "learning.course.created" if created else "learning.course.changed", user=by)
    return course


@transaction.atomic
def add_course_translation(
    course: Course, *, by, language: str, title: str, description: str
) -> CourseTranslation:
    if not can_manage_course(by, course):
        raise LearningError(_("Only the network's secretariat runs its courses."))
    _check_language(language)
    if not (title or "").strip() or not (description or "").strip():
        raise LearningError(_("A course needs a title and a description."))
    text, _created = CourseTranslation.objects.update_or_create(
        course=course,
        language=language,
        defaults={"title": title.strip()[:300], "description": description.strip()},
    )
    log_action(course, "learning.course.translated", user=by, data={"language": language})
    return text


@transaction.atomic
def save_run(run: CourseRun, *, by, tutors=()) -> CourseRun:
    if not can_manage_course(by, run.course):
        raise LearningError(_("Only the network's secretariat runs its courses."))
    if run.ends_on < run.starts_on:
        raise LearningError(_("A run ends on or after the day it starts."))
    if run.questionnaire_id and run.questionnaire.network_id != run.course.network_id:
        raise LearningError(_("The questionnaire must belong to the course's network."))
    created = run.pk is None
    run.save()
    run.tutors.set(tutors)
    if run.questionnaire_id and not run.questionnaire.target_kind:
        # The questionnaire is about this run: surveys invites its confirmed participants.
        run.questionnaire.target_kind, run.questionnaire.target_id = RUN_TARGET, run.pk
        run.questionnaire.save(update_fields=["target_kind", "target_id", "updated_at"])
    log_action(run, "learning.run.created" if created else "learning.run.changed", user=by)
    return run


@transaction.atomic
def add_module(course: Course, *, by, titles: dict, summaries: dict | None = None) -> Module:
    if not can_manage_course(by, course):
        raise LearningError(_("Only the network's secretariat runs its courses."))
    position = course.modules.count() + 1
    module = Module.objects.create(
        course=course,
        position=position,
        titles=_texts(titles, required=_("Write the title in at least one language.")),
        summaries=_texts(summaries or {}),
    )
    log_action(course, "learning.module.added", user=by, data={"module": module.pk})
    return module


@transaction.atomic
def add_material(
    module: Module,
    *,
    by,
    kind: str,
    titles: dict,
    bodies: dict | None = None,
    url: str = "",
    uploaded=None,
    experience=None,
    publication=None,
) -> Material:
    """Add a material: a formatted text (sanitised), a checked file, a video or web link, or an
    experience or publication of the bank (published ones only)."""
    if not can_manage_course(by, module.course):
        raise LearningError(_("Only the network's secretariat runs its courses."))
    material = Material(
        module=module,
        kind=kind,
        position=module.materials.count() + 1,
        titles=_texts(titles, required=_("Write the title in at least one language.")),
        bodies=_texts(bodies or {}, rich=True),
    )
    if kind == Material.Kind.TEXT and not material.bodies:
        raise LearningError(_("Write the text of the material."))
    if kind in (Material.Kind.VIDEO, Material.Kind.LINK):
        if not url.startswith(("https://", "http://")):
            raise LearningError(_("Give the web address of the video or link."))
        material.url = url
    if kind == Material.Kind.FILE:
        if uploaded is None:
            raise LearningError(_("Choose the file to upload."))
        try:
            content, extension, content_type = check_upload(uploaded)
        except FileRefused as refused:
            raise LearningError(str(refused)) from refused
        material.content_type = content_type
        name = get_valid_filename(uploaded.name.rsplit(".", 1)[0])[:80] or "material"
        material.file.save(f"{name}.{extension}", ContentFile(content), save=False)
    if kind == Material.Kind.EXPERIENCE:
        if experience is None or experience.status != "published":
            raise LearningError(_("Choose a published experience of the bank."))
        material.experience = experience
    if kind == Material.Kind.PUBLICATION:
        if publication is None or not publication.is_published:
            raise LearningError(_("Choose a published publication."))
        material.publication = publication
    if kind not in Material.Kind.values:
        raise LearningError(_("Choose a kind of material."))
    material.save()
    log_action(module.course, "learning.material.added", user=by, data={"material": material.pk})
    return material


@transaction.atomic
def add_assignment(module: Module, *, by, titles: dict, instructions: dict) -> Assignment:
    if not can_manage_course(by, module.course):
        raise LearningError(_("Only the network's secretariat runs its courses."))
    assignment = Assignment.objects.create(
        module=module,
        titles=_texts(titles, required=_("Write the title in at least one language.")),
        instructions=_texts(
            instructions, required=_("Write the instructions in at least one language.")
        ),
    )
    log_action(module.course, "learning.assignment.added", user=by)
    return assignment


# Enrolments


def _locked_run(run: CourseRun) -> CourseRun:
    return CourseRun.objects.select_for_update(of=("self",)).get(pk=run.pk)


def _places_taken(run: CourseRun) -> int:
    return Enrolment.objects.filter(run=run).holding_place().count()


@transaction.atomic
def enrol(run: CourseRun, *, user, language: str | None = None) -> Enrolment:
    """Enrol `user` in the run: confirmed (or waiting for approval) while places last, else on the
    waiting list. Asking twice returns the enrolment already there."""
    run = _locked_run(run)
    if not (run.is_open and run.course.is_published):
        raise LearningError(_("This course is not open for enrolment."))
    existing = Enrolment.objects.filter(run=run, user=user, status__in=Enrolment.ACTIVE).first()
    if existing is not None:
        return existing
    if _places_taken(run) >= run.capacity:
        status = Enrolment.Status.WAITLISTED
    elif run.requires_approval:
        status = Enrolment.Status.PENDING
    else:
        status = Enrolment.Status.CONFIRMED
    language = language or user.language
    if language not in LANGUAGE_CODES:
        language = settings.LANGUAGE_CODE
    enrolment = Enrolment.objects.create(run=run, user=user, status=status, language=language)
    log_action(run, "learning.enrolment.created", user=user, data={"status": status})
    return enrolment


def _promote_waitlisted(run: CourseRun, by) -> Enrolment | None:
    """The first on the waiting list takes a freed place (approval still applies)."""
    if _places_taken(run) >= run.capacity:
        return None
    first = (
        Enrolment.objects.select_for_update(of=("self",))
        .filter(run=run, status=Enrolment.Status.WAITLISTED)
        .order_by("created_at", "pk")
        .first()
    )
    if first is None:
        return None
    first.status = Enrolment.Status.PENDING if run.requires_approval else Enrolment.Status.CONFIRMED
    first.save(update_fields=["status", "updated_at"])
    log_action(run, "learning.enrolment.promoted", user=by, data={"enrolment": first.pk})
    return first


@transaction.atomic
def decide_enrolment(enrolment: Enrolment, *, approve: bool, by) -> Enrolment:
    """Approve or refuse an enrolment waiting for approval; a refusal frees its place."""
    run = _locked_run(enrolment.run)
    if not can_manage_course(by, run.course):
        raise LearningError(_("Only the network's secretariat decides on enrolments."))
    enrolment = Enrolment.objects.select_for_update(of=("self",)).get(pk=enrolment.pk)
    if enrolment.status not in (Enrolment.Status.PENDING, Enrolment.Status.WAITLISTED):
        raise LearningError(_("This enrolment has already been decided."))
    if (
        approve
        and enrolment.status == Enrolment.Status.WAITLISTED
        and _places_taken(run) >= (run.capacity)
    ):
        raise LearningError(_("The run is full: free a place before approving from the list."))
    enrolment.status = Enrolment.Status.CONFIRMED if approve else Enrolment.Status.REJECTED
    enrolment.decided_at = timezone.now()
    enrolment.save(update_fields=["status", "decided_at", "updated_at"])
    log_action(run, "learning.enrolment.decided", user=by, data={"approved": approve})
    if not approve:
        _promote_waitlisted(run, by)
    return enrolment


@transaction.atomic
def cancel_enrolment(enrolment: Enrolment, *, by) -> Enrolment:
    """The participant (or the secretariat) cancels; the place goes to the waiting list."""
    run = _locked_run(enrolment.run)
    enrolment = Enrolment.objects.select_for_update(of=("self",)).get(pk=enrolment.pk)
    if by.pk != enrolment.user_id and not can_manage_course(by, run.course):
        raise LearningError(_("Only the participant or the secretariat cancels an enrolment."))
    if enrolment.status not in Enrolment.ACTIVE:
        raise LearningError(_("This enrolment is no longer active."))
    if hasattr(enrolment, "certificate"):
        raise LearningError(_("A certified enrolment cannot be cancelled; revoke the certificate."))
    enrolment.status = Enrolment.Status.CANCELLED
    enrolment.save(update_fields=["status", "updated_at"])
    log_action(run, "learning.enrolment.cancelled", user=by, data={"enrolment": enrolment.pk})
    _promote_waitlisted(run, by)
    return enrolment


# Progress, attendance, assignments


def _confirmed(enrolment: Enrolment) -> None:
    if enrolment.status != Enrolment.Status.CONFIRMED:
        raise LearningError(_("Only confirmed participants follow the course."))


@transaction.atomic
def mark_module_done(enrolment: Enrolment, module: Module, *, by) -> ModuleProgress:
    if by.pk != enrolment.user_id:
        raise LearningError(_("Participants mark their own progress."))
    _confirmed(enrolment)
    if module.course_id != enrolment.run.course_id:
        raise LearningError(_("This module is not part of the course."))
    progress, _created = ModuleProgress.objects.get_or_create(
        enrolment=enrolment, module=module, defaults={"completed_at": timezone.now()}
    )
    return progress


@transaction.atomic
def add_live_session(run: CourseRun, *, by, title: str, starts_at, url: str = "") -> LiveSession:
    if not can_manage_course(by, run.course):
        raise LearningError(_("Only the network's secretariat runs its courses."))
    if not (title or "").strip():
        raise LearningError(_("Give the live session a title."))
    return LiveSession.objects.create(run=run, title=title.strip(), starts_at=starts_at, url=url)


@transaction.atomic
def record_attendance(session: LiveSession, enrolment_ids, *, by) -> int:
    """Mark who attended a live session (the tutors or the secretariat); returns how many are
    recorded now. Only confirmed participants of the session's run are counted."""
    if not can_teach_run(by, session.run):
        raise LearningError(_("Only the run's tutors and the secretariat record attendance."))
    enrolments = Enrolment.objects.confirmed().filter(run=session.run, pk__in=list(enrolment_ids))
    found = list(enrolments.values_list("pk", flat=True))
    if len(found) != len(set(enrolment_ids)):
        raise LearningError(_("Some of these people are not confirmed participants of the run."))
    Attendance.objects.bulk_create(
        [Attendance(session=session, enrolment_id=pk) for pk in found], ignore_conflicts=True
    )
    log_action(session.run, "learning.attendance.recorded", user=by, data={"count": len(found)})
    return Attendance.objects.filter(session=session).count()


@transaction.atomic
def submit_assignment(enrolment: Enrolment, assignment: Assignment, *, by, uploaded) -> Submission:
    """Hand in (or replace, until it is graded) the participant's work; the file is checked."""
    if by.pk != enrolment.user_id:
        raise LearningError(_("Participants hand in their own work."))
    _confirmed(enrolment)
    if assignment.module.course_id != enrolment.run.course_id:
        raise LearningError(_("This assignment is not part of the course."))
    try:
        content, extension, content_type = check_upload(uploaded)
    except FileRefused as refused:
        raise LearningError(str(refused)) from refused
    submission = (
        Submission.objects.select_for_update()
        .filter(enrolment=enrolment, assignment=assignment)
        .first()
    )
    if submission is not None and submission.graded_at is not None:
        raise LearningError(_("This assignment is already graded."))
    submission = submission or Submission(enrolment=enrolment, assignment=assignment)
    submission.filename = get_valid_filename(uploaded.name)[:200] or f"work.{extension}"
    submission.content_type = content_type
    submission.file.save(f"work.{extension}", ContentFile(content), save=False)
    submission.save()
    log_action(enrolment.run, "learning.assignment.submitted", user=by)
    return submission


@transaction.atomic
def grade_submission(submission: Submission, *, by, grade, feedback: str = "") -> Submission:
    """A tutor of the submission's run (or the secretariat) grades it out of 100, with feedback."""
    submission = (
        Submission.objects.select_for_update(of=("self",))
        .select_related("enrolment__run__course__network")
        .get(pk=submission.pk)
    )
    if not can_grade(by, submission):
        raise LearningError(_("Only the tutors of this run grade its assignments."))
    if grade is None or not (0 <= grade <= 100):
        raise LearningError(_("A grade is a number from 0 to 100."))
    submission.grade = grade
    submission.feedback = (feedback or "").strip()
    submission.graded_by = by
    submission.graded_at = timezone.now()
    submission.save(update_fields=["grade", "feedback", "graded_by", "graded_at", "updated_at"])
    log_action(submission.enrolment.run, "learning.assignment.graded", user=by)
    return submission


# Forum


def _message(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise LearningError(_("Write a message."))
    if len(body) > MAX_POST_CHARS:
        raise LearningError(
            _("Keep the message under %(limit)s characters.") % {"limit": MAX_POST_CHARS}
        )
    return body


@transaction.atomic
def start_thread(run: CourseRun, *, by, title: str, body: str) -> ForumThread:
    if not can_follow_run(by, run):
        raise LearningError(_("Only the run's participants and tutors write in its forum."))
    title = (title or "").strip()
    if not title:
        raise LearningError(_("Give the thread a title."))
    body = _message(body)
    thread = ForumThread.objects.create(run=run, author=by, title=title[:200])
    ForumPost.objects.create(thread=thread, author=by, body=body)
    return thread


@transaction.atomic
def reply(thread: ForumThread, *, by, body: str) -> ForumPost:
    if not can_follow_run(by, thread.run):
        raise LearningError(_("Only the run's participants and tutors write in its forum."))
    if thread.is_locked or thread.is_hidden:
        raise LearningError(_("This thread is closed."))
    post = ForumPost.objects.create(thread=thread, author=by, body=_message(body))
    ForumThread.objects.filter(pk=thread.pk).update(updated_at=timezone.now())
    return post


@transaction.atomic
def moderate_post(post: ForumPost, *, by, hide: bool) -> ForumPost:
    """Tutors and the secretariat hide (or show again) a message."""
    if not can_teach_run(by, post.thread.run):
        raise LearningError(_("Only the run's tutors and the secretariat moderate its forum."))
    post.is_hidden = hide
    post.hidden_by = by if hide else None
    post.save(update_fields=["is_hidden", "hidden_by", "updated_at"])
    log_action(post.thread.run, "learning.forum.moderated", user=by, data={"hidden": hide})
    return post


@transaction.atomic
def moderate_thread(thread: ForumThread, *, by, lock: bool | None = None, hide: bool | None = None):
    if not can_teach_run(by, thread.run):
        raise LearningError(_("Only the run's tutors and the secretariat moderate its forum."))
    if lock is not None:
        thread.is_locked = lock
    if hide is not None:
        thread.is_hidden = hide
    thread.save(update_fields=["is_locked", "is_hidden"])
    log_action(thread.run, "learning.forum.moderated", user=by, data={"thread": thread.pk})
    return thread
