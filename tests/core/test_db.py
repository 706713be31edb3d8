"""`refuse_duplicates` turns a unique violation, and only that, into the caller's own error."""

import pytest
from django.db import IntegrityError

from municipia.core.db import refuse_duplicates
from municipia.directory.models import Membership
from tests.factories.directory import MembershipFactory

pytestmark = pytest.mark.django_db


class Taken(Exception):
    pass


def test_a_duplicate_becomes_the_callers_error_and_the_transaction_goes_on(network, city):
    MembershipFactory(network=network, local_government=city)

    with pytest.raises(Taken), refuse_duplicates(Taken("already there")):
        Membership.objects.create(network=network, local_government=city, status="applicant")

    assert Membership.objects.filter(network=network).count() == 1  # still usable


def test_other_integrity_errors_pass_through(network):
    with pytest.raises(IntegrityError), refuse_duplicates(Taken("already there")):
        # A membership needs one member: the check constraint refuses it, not a unique one.
        Membership.objects.create(network=network, status="applicant")
