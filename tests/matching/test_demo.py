"""On the demo, each suggestion page shows something meaningful: partners with their reasons for a
member city in two networks, mentors for the newest member, and consenting experts on
participatory budgeting. Only the parts of the demo the suggestions read are loaded."""

import io

import pytest
from django.urls import reverse

from municipia.accounts.models import User
from municipia.demo import accounts as demo_accounts
from municipia.demo import agreements as demo_agreements
from municipia.demo import cooperation as demo_cooperation
from municipia.demo import directory as demo_directory
from municipia.demo import finance as demo_finance
from municipia.demo import knowledge as demo_knowledge
from municipia.directory.models import Consent, LocalGovernment, Membership, Network
from municipia.matching.experts import find_experts
from municipia.matching.mentors import suggest_mentors
from municipia.matching.partners import suggest_partners

pytestmark = pytest.mark.django_db


def _load():
    out = io.StringIO()
    networks = demo_directory.load(out)
    demo_knowledge.load(out)
    demo_accounts.load(networks, out)
    demo_finance.load(out)
    demo_cooperation.load(out)
    demo_agreements.load(out)
    return User.objects.get(email=demo_accounts.DEMO_EMAIL)


def test_demo_suggests_partners_mentors_and_experts_with_reasons(client):
    staff = _load()
    client.force_login(staff)

    for network, name in (("aimf", "Paris"), ("al-las", "Mexico City")):
        city = LocalGovernment.objects.get(
            name=name, memberships__network__slug=network, memberships__status="active"
        )
        answer = suggest_partners(city, user=staff)
        assert len(answer.suggestions) >= 3, (network, answer.notes)
        for suggestion in answer.suggestions:
            assert suggestion.city != city
            assert [str(reason.text) for reason in suggestion.reasons if str(reason.text)]
        page = client.get(reverse("matching:partner-suggestions", args=[city.slug]))
        assert page.status_code == 200
        html = page.content.decode()
        best = answer.suggestions[0]
        assert best.city.name in html
        assert str(best.reasons[0].text) in html

    newest = Membership.objects.get(status=Membership.Status.APPLICANT)
    assert newest.local_government.name == "Maputo"
    mentors = suggest_mentors(newest)
    names = [m.membership.local_government.name for m in mentors]
    assert "Lisbon" in names
    assert "Maputo" not in names
    assert all(m.reasons for m in mentors)
    portuguese = [m for m in mentors if any("Portuguese" in str(r.text) for r in m.reasons)]
    assert portuguese
    page = client.get(reverse("matching:mentor-suggestions", args=[newest.pk])).content.decode()
    assert "Lisbon" in page
    assert "shares Portuguese" in page

    allas = Network.objects.get(slug="al-las")
    experts = find_experts(allas, user=staff, query="participatory budgeting", languages=["pt"])
    assert experts
    assert experts[0].person.full_name == "Maria Exemplo"
    assert {"Maria Exemplo", "Marc Exemple"} <= {e.person.full_name for e in experts}
    for expert in experts:
        assert expert.reasons
        assert Consent.objects.filter(
            person=expert.person,
            scope=Consent.Scope.EXPERT_DIRECTORY,
            network=allas,
            withdrawn_at=None,
        ).exists()
    page = client.get(
        reverse("matching:expert-search", args=["al-las"]),
        {"q": "orçamento participativo", "language": "pt"},
    ).content.decode()
    assert "Maria Exemplo" in page
