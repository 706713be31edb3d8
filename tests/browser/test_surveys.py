"""A participant answers a questionnaire in Catalan by their personal link, in a real browser: the
conditional question appears when an earlier answer calls for it, and the answers are kept."""

import pytest

from municipia.forms.models import FormField
from municipia.surveys import services
from municipia.surveys.models import Invitation, Questionnaire, Response
from tests.factories.directory import NetworkFactory
from tests.surveys.conftest import add, options

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LISTEN = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(`${e.effectiveDirective} blocked ${e.blockedURI || "inline"}`);
});
"""


def test_answering_in_catalan_by_a_personal_link(page, live_url):
    q = services.create_questionnaire(
        NetworkFactory(),
        by=None,
        title={"en": "After the congress", "ca": "Després del congrés"},
        original_language="en",
    )
    rating = add(
        q,
        FormField.Kind.SCALE,
        "How useful?",
        labels={"ca": "Quina utilitat?"},
        min_value=1,
        max_value=5,
    )
    add(
        q,
        FormField.Kind.LINE,
        "Why?",
        labels={"ca": "Per què?"},
        condition={"field": rating.pk, "values": ["1", "2"]},
    )
    add(q, FormField.Kind.CHOICE, "Day", labels={"ca": "Dia"}, choices=options("mon", "tue"))
    q.status = Questionnaire.Status.OPEN
    q.save()
    services.invite(q, [(None, "nuria@example.org", "Núria", "ca")])
    url = services.personal_url(Invitation.objects.get()).split("/ca/", 1)[1]
    page.add_init_script(LISTEN)
    page.goto(live_url("/ca/" + url))
    assert page.get_by_role("heading", name="Després del congrés").is_visible()
    why = page.get_by_label("Per què?")
    assert not why.is_visible()
    page.get_by_label("1", exact=True).check()
    assert why.is_visible()
    page.get_by_role("button", name="Envia les meves respostes").click()
    assert page.get_by_text("Algunes respostes necessiten la vostra atenció").is_visible()
    page.get_by_label("Per què?").fill("Massa llarg")
    page.get_by_label("Dia").select_option("mon")
    page.get_by_role("button", name="Envia les meves respostes").click()
    assert page.get_by_text("Gràcies: s'han desat les vostres respostes.").is_visible()
    assert Response.objects.count() == 1
    assert page.evaluate("window.__violations") == []
