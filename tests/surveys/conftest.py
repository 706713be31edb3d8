import pytest

from municipia.forms.models import FormField
from municipia.surveys import services
from municipia.surveys.models import Questionnaire


def add(questionnaire, kind, label, **values):
    """Add a question to the questionnaire's current version through the service."""
    version = services.current_version(questionnaire)
    field = FormField(
        definition=version.form,
        kind=kind,
        label={"en": label, **values.pop("labels", {})},
        position=values.pop("position", version.form.fields.count() + 1),
        **values,
    )
    return services.save_question(questionnaire, field=field, by=None)


def options(*values):
    return [{"value": v, "label": {"en": v.title()}} for v in values]


@pytest.fixture
def questionnaire(network, network_staff):
    q = services.create_questionnaire(
        network,
        by=network_staff,
        title={"en": "After the congress", "ca": "Després del congrés"},
        original_language="en",
        anonymous=True,
        public=True,
    )
    fields = {
        "section": add(q, FormField.Kind.SECTION, "The congress"),
        "rating": add(q, FormField.Kind.SCALE, "How useful was it?", min_value=1, max_value=5),
        "nps": add(q, FormField.Kind.NPS, "Would you recommend it?", required=False),
        "choice": add(
            q, FormField.Kind.CHOICE, "Best day", choices=options("mon", "tue"), allow_other=True
        ),
        "multiple": add(
            q, FormField.Kind.MULTIPLE, "Sessions", choices=options("a", "b", "c"), required=False
        ),
        "matrix": add(
            q,
            FormField.Kind.MATRIX,
            "Rate",
            items=options("venue", "food"),
            min_value=1,
            max_value=5,
            required=False,
        ),
        "ranking": add(
            q, FormField.Kind.RANKING, "Rank", choices=options("x", "y", "z"), required=False
        ),
        "number": add(q, FormField.Kind.NUMBER, "Days attended", required=False, min_value=0),
        "date": add(q, FormField.Kind.DATE, "Arrival", required=False),
        "text": add(q, FormField.Kind.TEXT, "Comments", required=False),
    }
    why = add(
        q,
        FormField.Kind.LINE,
        "Why so low?",
        required=True,
        condition={"field": fields["rating"].pk, "values": ["1", "2"]},
    )
    fields["why"] = why
    q.status = Questionnaire.Status.OPEN
    q.save()
    q.fields_by_name = fields
    return q


def good_answers(q, **overrides):
    f = q.fields_by_name
    answers = {
        f["rating"].key: "4",
        f["nps"].key: "9",
        f["choice"].key: "mon",
        f["multiple"].key: "a\nc",
        f["matrix"].key: "venue=5\nfood=3",
        f["ranking"].key: "x=2\ny=1\nz=3",
        f["number"].key: "2",
        f["date"].key: "2026-10-01",
        f["text"].key: "Very good.",
    }
    answers.update({f[name].key: value for name, value in overrides.items()})
    return answers
