"""The shared form base: rendering, dates and amounts in the user's language, drafts."""

import datetime
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from django import forms
from django.http import QueryDict
from django.template import Context, Template
from django.utils import translation

from municipia.core import drafts
from municipia.core.forms import Form, LocalDateField, LocalDecimalField
from municipia.core.models import FormDraft


class SampleForm(Form):
    fieldsets = (("Who", ("name", "role")),)

    name = forms.CharField(label="Name", help_text="As on the passport.")
    role = forms.CharField(label="Role", required=False)
    starts_on = LocalDateField(label="Starts on", required=False)
    amount = LocalDecimalField(label="Amount", required=False, max_digits=8, decimal_places=2)
    networks = forms.MultipleChoiceField(
        label="Networks", choices=[("1", "One"), ("2", "Two")], required=False
    )


def _render(form) -> BeautifulSoup:
    html = Template('{% include "core/partials/form_fields.html" %}').render(
        Context({"form": form})
    )
    return BeautifulSoup(html, "html.parser")


def test_labels_come_before_their_inputs_with_help_and_required_marks():
    page = _render(SampleForm())

    wrapper = page.find(id="div_id_name")
    assert [child.name for child in wrapper.find_all(["label", "input"])] == ["label", "input"]
    assert wrapper.label.get_text(strip=True) == "Name*"
    assert wrapper.find(class_="asteriskField").get_text() == "*"
    assert page.find(id="div_id_role").find(class_="asteriskField") is None
    assert wrapper.find(id="id_name_helptext").get_text(strip=True) == "As on the passport."


def test_long_forms_group_their_fields_and_keep_the_others_after():
    page = _render(SampleForm())

    fieldset = page.find("fieldset", class_="form-section")
    assert fieldset.legend.get_text(strip=True) == "Who"
    assert [i["name"] for i in fieldset.find_all("input")] == ["name", "role"]
    assert [i["name"] for i in page.find_all(["input", "select"])][2:] == [
        "starts_on",
        "amount",
        "networks",
    ]


def test_a_form_with_errors_keeps_everything_typed_and_says_what_is_wrong():
    form = SampleForm(
        {"name": "", "role": "Mayor", "starts_on": "31/02/2026", "networks": ["1", "2"]}
    )

    page = _render(form)

    assert not form.is_valid()
    assert page.find(id="id_name")["class"][-1] == "is-invalid"
    assert page.find(id="error_1_id_name").get_text(strip=True) == "This field is required."
    assert page.find(id="id_role")["value"] == "Mayor"
    assert page.find(id="id_starts_on")["value"] == "31/02/2026"
    assert [o["value"] for o in page.find(id="id_networks").find_all("option", selected=True)] == [
        "1",
        "2",
    ]


@pytest.mark.parametrize(
    ("language", "typed"),
    [
        ("ca", "31/01/2026"),
        ("es", "31/01/2026"),
        ("fr", "31/01/2026"),
        ("pt", "31/01/2026"),
        ("en", "2026-01-31"),
    ],
)
def test_dates_are_read_in_each_language(language, typed):
    with translation.override(language):
        form = SampleForm({"name": "A", "starts_on": typed})

        assert form.is_valid(), form.errors
    assert form.cleaned_data["starts_on"] == datetime.date(2026, 1, 31)


@pytest.mark.parametrize(
    ("language", "shown", "hint"),
    [
        ("ca", "31/01/2026", "dd/mm/aaaa"),
        ("es", "31/01/2026", "dd/mm/aaaa"),
        ("fr", "31/01/2026", "jj/mm/aaaa"),
        ("pt", "31/01/2026", "dd/mm/aaaa"),
        ("en", "2026-01-31", "yyyy-mm-dd"),
    ],
)
def test_dates_are_shown_in_each_language_never_as_a_browser_date_picker(language, shown, hint):
    with translation.override(language):
        page = _render(SampleForm(initial={"starts_on": datetime.date(2026, 1, 31)}))

    field = page.find(id="id_starts_on")
    assert (field["type"], field["value"], field["placeholder"]) == ("text", shown, hint)


def test_an_iso_date_is_understood_in_every_language():
    for language in ("ca", "es", "fr", "pt", "en"):
        with translation.override(language):
            form = SampleForm({"name": "A", "starts_on": "2026-01-31"})
            assert form.is_valid(), (language, form.errors)


def test_a_us_date_is_refused_on_the_catalan_site():
    with translation.override("ca"):
        form = SampleForm({"name": "A", "starts_on": "01/31/2026"})

        assert not form.is_valid()
        assert form.errors["starts_on"] == ["Introduïu una data vàlida."]


def test_amounts_use_the_languages_decimal_separator():
    with translation.override("ca"):
        form = SampleForm({"name": "A", "amount": "1234,50"})
        page = _render(SampleForm(initial={"amount": Decimal("1234.5")}))

        assert form.is_valid(), form.errors
    assert form.cleaned_data["amount"] == Decimal("1234.50")
    amount = page.find(id="id_amount")
    assert (amount["value"], amount["inputmode"]) == ("1234,5", "decimal")


@pytest.mark.django_db
def test_a_draft_is_kept_and_given_back_as_typed(user):
    data = QueryDict(mutable=True)
    data.update({"csrfmiddlewaretoken": "x", "name": "Ada", "starts_on": "31/01/2026"})
    data.setlist("networks", ["1", "2"])

    drafts.save_draft(user, "tests.sample:new", data)
    initial = drafts.draft_initial(SampleForm(), drafts.draft_for(user, "tests.sample:new"))

    assert initial == {"name": "Ada", "starts_on": "31/01/2026", "networks": ["1", "2"]}
    assert FormDraft.objects.get().data == {
        "name": ["Ada"],
        "starts_on": ["31/01/2026"],
        "networks": ["1", "2"],
    }


@pytest.mark.django_db
def test_a_draft_too_long_is_refused_and_the_previous_one_kept(user):
    drafts.save_draft(user, "tests.sample:new", QueryDict("name=Ada"))

    with pytest.raises(drafts.DraftError):
        drafts.save_draft(user, "tests.sample:new", QueryDict("name=" + "a" * drafts.MAX_BYTES))

    assert FormDraft.objects.get().data == {"name": ["Ada"]}


@pytest.mark.django_db
def test_drafts_are_per_person(user, superuser):
    drafts.save_draft(user, "tests.sample:new", QueryDict("name=Ada"))

    assert drafts.draft_for(superuser, "tests.sample:new") is None
    drafts.discard_draft(user, "tests.sample:new")
    assert FormDraft.objects.count() == 0
