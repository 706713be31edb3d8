"""A membership notice delivered twice (its worker died mid-task) reaches each reader once."""

import pytest

from municipia.accounts.models import Role
from municipia.core.models import TaskEffect
from municipia.directory import services, tasks
from tests.delivery import deliver
from tests.factories.accounts import RoleFactory

pytestmark = pytest.mark.django_db


def test_redelivered_notice_sends_only_the_e_mails_not_sent_yet(
    city_officer, city, network, network_staff, mailoutbox
):
    other_staff = RoleFactory(kind=Role.Kind.NETWORK_STAFF, network=network).user
    membership = services.apply_for_membership(network, city, by=city_officer)
    change = membership.status_changes.get()
    first, second = sorted([network_staff, other_staff], key=lambda user: user.email)
    # The first delivery sent the first e-mail, then its worker died.
    TaskEffect.objects.create(key=f"{tasks.send_membership_notice.name}:task-1:{first.pk}")

    assert deliver(tasks.send_membership_notice, "task-1", change_id=change.pk) == 1
    assert deliver(tasks.send_membership_notice, "task-1", change_id=change.pk) == 0

    assert [m.to for m in mailoutbox] == [[second.email]]
