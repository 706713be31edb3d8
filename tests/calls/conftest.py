"""A call open for applications with a text, a number and a file question and a two-criterion rubric;
a member city in good standing and its officer."""

import pytest

from municipia.accounts.models import Role
from municipia.calls.models import Call, FormField
from tests.factories.accounts import RoleFactory, UserFactory
from tests.factories.calls import CallFactory, CriterionFactory, FormFieldFactory
from tests.factories.directory import (
    CountryFactory,
    LocalGovernmentFactory,
    MembershipFactory,
)
from tests.factories.finance import InvoiceFactory


@pytest.fixture
def call(network):
    call = CallFactory(network=network)
    FormFieldFactory(call=call, kind=FormField.Kind.TEXT, label={"en": "Summary"})
    FormFieldFactory(call=call, kind=FormField.Kind.NUMBER, label={"en": "Budget"}, required=False)
    FormFieldFactory(call=call, kind=FormField.Kind.FILE, label={"en": "Budget sheet"})
    CriterionFactory(call=call, name={"en": "Impact"}, weight=2)
    CriterionFactory(call=call, name={"en": "Innovation"}, weight=1)
    return call


@pytest.fixture
def member_city(network):
    city = LocalGovernmentFactory(country=CountryFactory(code="PT"))
    MembershipFactory(network=network, local_government=city)
    return city


@pytest.fixture
def officer(member_city):
    user = UserFactory(language="fr")
    RoleFactory(user=user, kind=Role.Kind.CITY_OFFICER, network=None, local_government=member_city)
    return user


@pytest.fixture
def outsider_city(db):
    """A city that is not a member of the call's network."""
    return LocalGovernmentFactory(name="Vila Nova")


@pytest.fixture
def arrears_city(network):
    """A member city whose dues of 2025 are overdue."""
    city = LocalGovernmentFactory(name="Porto Alegre")
    InvoiceFactory(membership=MembershipFactory(network=network, local_government=city))
    return city


@pytest.fixture
def other_officer(network):
    city = LocalGovernmentFactory()
    MembershipFactory(network=network, local_government=city)
    user = UserFactory()
    RoleFactory(user=user, kind=Role.Kind.CITY_OFFICER, network=None, local_government=city)
    return user


@pytest.fixture
def review_call(call):
    Call.objects.filter(pk=call.pk).update(status=Call.Status.REVIEW)
    call.refresh_from_db()
    return call
