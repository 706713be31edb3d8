"""The form builder's answers: kept as typed, checked per kind with translated messages, shown as
people read them; and the answers form built from a form's fields."""

import pytest
from django.utils import translation

from municipia.forms.answers import normalise, problems, shown_answer
from municipia.forms.forms import AnswersForm, FormFieldForm
from municipia.forms.models import FormDefinition, FormField

Kind = FormField.Kind


@pytest.fixture
def form(db):
    definition = FormDefinition.objects.create(purpose="tests")
    make = lambda kind, **extra: FormField.objects.create(  # noqa: E731
        definition=definition, kind=kind, label={"en": kind, "fr": f"q-{kind}"}, **extra
    )
    return {
        "definition": definition,
        "text": make(Kind.TEXT, word_limits={"en": 3, "*": 5}),
        "line": make(Kind.LINE, required=False),
        "choice": make(Kind.CHOICE, choices=[{"value": "a", "label": {"en": "Apples"}}]),
        "multiple": make(
            Kind.MULTIPLE,
            required=False,
            choices=[
                {"value": "a", "label": {"en": "Apples", "fr": "Pommes"}},
                {"value": "b", "label": {"en": "Pears"}},
            ],
        ),
        "yes_no": make(Kind.YES_NO, required=False),
        "number": make(Kind.NUMBER, required=False, min_value=1, max_value=10),
        "money": make(Kind.MONEY, required=False),
        "date": make(Kind.DATE, required=False),
        "email": make(Kind.EMAIL, required=False),
        "url": make(Kind.URL, required=False),
        "file": make(Kind.FILE),
    }


def _check(form, answers, language="en", attached=frozenset()):
    fields = list(form["definition"].fields.all())
    return problems(fields, {form[k].key: v for k, v in answers.items()}, language, attached)


def test_fields_are_ordered_and_keyed_by_their_id(form):
    fields = list(form["definition"].fields.all())
    assert [f.kind for f in fields][:2] == ["text", "line"]
    assert form["text"].key == str(form["text"].pk)


def test_a_complete_valid_set_of_answers_has_no_problem(form):
    answers = {
        "text": "three words here",
        "line": "One line",
        "choice": "a",
        "multiple": "a\nb",
        "yes_no": "yes",
        "number": "7,5",
        "money": "1000.50",
        "date": "2026-05-01",
        "email": "ana@example.org",
        "url": "https://example.org/x",
    }
    assert _check(form, answers, attached={form["file"].pk}) == {}


@pytest.mark.parametrize(
    ("kind", "value", "message"),
    [
        ("text", "one two three four", "4 words; the limit is 3."),
        ("line", "x" * 301, "Write one line of at most 300 characters."),
        ("choice", "z", "Choose one of the options."),
        ("multiple", "a\nz", "Choose among the options."),
        ("yes_no", "maybe", "Answer yes or no."),
        ("number", "twelve", "Enter a number."),
        ("number", "0", "Enter at least 1.00."),
        ("number", "NaN", "Enter a number."),
        ("money", "10.005", "Enter an amount with at most two decimals."),
        ("date", "31/02/2026", "Enter a date as YYYY-MM-DD."),
        ("email", "ana@", "Enter an e-mail address."),
        ("url", "javascript:alert(1)", "Enter a web address (URL)."),
    ],
)
def test_each_kind_refuses_what_it_cannot_hold(form, kind, value, message):
    found = _check(form, {"text": "ok", "choice": "a", kind: value}, attached={form["file"].pk})
    assert found == {form[kind].key: message}


def test_missing_required_answers_and_files_are_named(form):
    assert _check(form, {}) == {
        form["text"].key: "This answer is required.",
        form["choice"].key: "This answer is required.",
        form["file"].key: "Attach a file.",
    }


def test_word_limits_follow_the_answers_language_and_messages_the_readers(form):
    answers = {"text": "one two three four", "choice": "a"}
    assert _check(form, answers, "fr", {form["file"].pk}) == {}  # "*": 5 words in French
    with translation.override("fr"):
        found = _check(form, {"choice": "a"}, attached={form["file"].pk})
    assert found == {form["text"].key: "Cette réponse est obligatoire."}


def test_drafts_keep_what_was_typed_stripped_and_bounded(form):
    assert normalise(form["text"], "  kept  ") == "kept"
    assert normalise(form["text"], None) == ""
    assert normalise(form["multiple"], ["a", "b"]) == "a\nb"
    assert len(normalise(form["text"], "x" * 60_000)) == 50_000


def test_answers_read_with_their_labels(form):
    with translation.override("fr"):
        assert shown_answer(form["multiple"], "a\nb") == "Pommes\nPears"
        assert shown_answer(form["yes_no"], "no") == "Non"
    assert shown_answer(form["choice"], "a") == "Apples"
    assert shown_answer(form["choice"], "gone") == "gone"  # an option removed since
    assert shown_answer(form["number"], "12") == "12"


def test_the_answers_form_has_one_input_per_field_and_keeps_what_was_typed(form):
    fields = list(form["definition"].fields.all())
    data = {
        f"q{form['text'].pk}": "typed words",
        f"q{form['multiple'].pk}": ["a", "b"],
        f"q{form['date'].pk}": "not a date",
        f"q{form['yes_no'].pk}": "yes",
    }
    answers_form = AnswersForm(data, fields=fields, answers={})
    assert answers_form.is_valid(), answers_form.errors
    answers = answers_form.answers()
    assert answers[form["text"].key] == "typed words"
    assert answers[form["multiple"].key] == "a\nb"
    assert answers[form["date"].key] == "not a date"  # kept for the submission check to point out
    assert answers[form["yes_no"].key] == "yes"
    assert form["file"].key not in answers
    assert set(answers_form.fields) == {f"q{f.pk}" for f in fields}


def test_the_answers_form_shows_kept_answers(form):
    fields = list(form["definition"].fields.all())
    answers_form = AnswersForm(fields=fields, answers={form["multiple"].key: "b"})
    assert answers_form[f"q{form['multiple'].pk}"].value() == ["b"]


def test_the_field_editor_keeps_other_languages_labels_of_options(form):
    field = form["multiple"]
    data = {
        "position": 3,
        "kind": Kind.MULTIPLE,
        "required": "",
        "visible_to_jury": "on",
        "label_en": "Fruit",
        "choices_text": "a | Apples\nc | Cherries",
    }
    editor = FormFieldForm(data, instance=field)
    assert editor.is_valid(), editor.errors
    editor.save()
    field.refresh_from_db()
    assert field.choices == [
        {"value": "a", "label": {"en": "Apples", "fr": "Pommes"}},
        {"value": "c", "label": {"en": "Cherries"}},
    ]


def test_the_field_editor_refuses_a_choice_without_options_and_writes_nothing(form):
    before = FormField.objects.count()
    editor = FormFieldForm(
        {"position": 1, "kind": Kind.MULTIPLE, "label_en": "Fruit"},
        instance=FormField(definition=form["definition"]),
    )
    assert not editor.is_valid()
    assert editor.errors["choices_text"] == ["A choice needs options."]
    assert FormField.objects.count() == before


def test_the_admin_lists_forms_with_their_questions(client, form, superuser):
    client.force_login(superuser)
    session = client.session
    session["mfa_ok"] = True
    session.save()
    listing = client.get("/en/admin/forms/formdefinition/")
    change = client.get(f"/en/admin/forms/formdefinition/{form['definition'].pk}/change/")
    assert listing.status_code == 200
    assert change.status_code == 200
    assert "Several choices" in change.text
