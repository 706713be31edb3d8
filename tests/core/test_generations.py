import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection, transaction

from municipia.core import generations
from municipia.core.log import log_action
from municipia.core.models import CacheGeneration
from municipia.directory.models import Membership, Network
from municipia.directory.services import approve_membership
from tests.factories.accounts import UserFactory
from tests.factories.directory import MembershipFactory, NetworkFactory
from tests.factories.knowledge import ThemeFactory


class _Abort(Exception):
    pass


def _rolled_back(work):
    """Run `work()` in a transaction (or savepoint) that is then rolled back; return its result."""
    result = None
    try:
        with transaction.atomic():
            result = work()
            raise _Abort
    except _Abort:
        return result


def _value(scope: str) -> int:
    return CacheGeneration.objects.filter(scope=scope).values_list("value", flat=True).first() or 0


@pytest.mark.parametrize(
    ("sql", "scopes"),
    [
        ('SELECT "directory_network"."id" FROM "directory_network"', set()),
        ('INSERT INTO "directory_membership" ("network_id") VALUES (%s)', {"directory"}),
        ('INSERT OR IGNORE INTO "knowledge_theme" ("slug") VALUES (%s)', {"knowledge"}),
        ('UPDATE "calls_call" SET "status" = %s', {"calls"}),
        ('UPDATE "calls_application" SET "title" = %s', {"calls:private"}),
        ('DELETE FROM "accounts_role" WHERE "id" = %s', {"accounts:private"}),
        ('UPDATE "directory_historicalnetwork" SET "name" = %s', {"directory"}),
        ('INSERT INTO "authtoken_token" ("key") VALUES (%s)', {"authtoken:private"}),
        ('UPDATE "django_session" SET "session_data" = %s', set()),
        ('UPDATE "core_cachegeneration" SET "value" = "value" + 1', set()),
        ('INSERT INTO "search_entry_fts" ("rowid") VALUES (%s)', {"search"}),
        ('  update "knowledge_experience" set "status" = %s', {"knowledge"}),
        ('TRUNCATE "directory_network", "knowledge_experience"', {generations.ALL_SCOPES}),
    ],
)
def test_statements_are_sorted_into_scopes(sql, scopes):
    assert generations.scopes_written(sql) == scopes


@pytest.mark.django_db(transaction=True)
def test_a_committed_transaction_bumps_each_scope_it_wrote_once():
    before = _value("directory")

    with transaction.atomic():
        network = NetworkFactory()
        for _ in range(3):
            MembershipFactory(network=network)
        assert _value("directory") == before  # not before the commit

    assert _value("directory") == before + 1


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_transaction_bumps_nothing():
    before = _value("directory")

    _rolled_back(NetworkFactory)

    assert _value("directory") == before


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_savepoint_keeps_the_bump_of_the_writes_around_it():
    before = _value("directory")

    with transaction.atomic():
        NetworkFactory()
        _rolled_back(NetworkFactory)
        assert generations.has_uncommitted_writes()

    assert _value("directory") == before + 1
    assert not generations.has_uncommitted_writes()


@pytest.mark.django_db(transaction=True)
def test_a_write_after_a_rolled_back_savepoint_is_bumped_too():
    before = _value("knowledge")

    with transaction.atomic():
        _rolled_back(NetworkFactory)
        ThemeFactory()

    assert _value("knowledge") == before + 1


@pytest.mark.django_db(transaction=True)
def test_bulk_updates_and_hand_written_sql_are_seen():
    network = NetworkFactory()
    before = _value("directory")

    Network.objects.filter(pk=network.pk).update(name="Renamed")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE directory_network SET acronym = %s", ["R"])

    assert _value("directory") == before + 2


@pytest.mark.django_db(transaction=True)
def test_private_writes_bump_only_private_scopes_and_sessions_nothing():
    network = NetworkFactory()
    public_before = generations.token(public=True)
    private_before = _value("accounts:private")

    with transaction.atomic():
        user = UserFactory()
        log_action(network, "directory.network.viewed", user=user)
    session = SessionStore()
    session["anything"] = 1
    session.save()

    assert generations.token(public=True) == public_before
    assert _value("accounts:private") == private_before + 1
    assert _value("core:private") >= 1


@pytest.mark.django_db(transaction=True)
def test_a_cached_value_is_built_again_after_a_write_to_its_scope():
    NetworkFactory()

    def count():
        return Network.objects.count()

    first = generations.cached("test:networks", count, scopes=["directory"])
    NetworkFactory()
    second = generations.cached("test:networks", count, scopes=["directory"])

    assert (first, second) == (1, 2)


@pytest.mark.django_db(transaction=True)
def test_a_write_elsewhere_keeps_the_cached_value(django_assert_num_queries):
    NetworkFactory()
    generations.cached("test:networks", Network.objects.count, scopes=["directory"])
    UserFactory()

    with django_assert_num_queries(1):  # the generations only
        assert generations.cached("test:networks", Network.objects.count, scopes=["directory"]) == 1


@pytest.mark.django_db(transaction=True)
def test_nothing_read_inside_a_transaction_that_wrote_is_kept():
    NetworkFactory()

    def write_then_read():
        NetworkFactory()
        return generations.cached("test:networks", Network.objects.count, scopes=["directory"])

    inside = _rolled_back(write_then_read)
    after = generations.cached("test:networks", Network.objects.count, scopes=["directory"])

    assert (inside, after) == (2, 1)


def _names_of(built):
    def build(slugs):
        built.append(list(slugs))
        return {n.slug: n.name for n in Network.objects.filter(slug__in=slugs)}

    return build


@pytest.mark.django_db(transaction=True)
def test_many_values_are_read_at_once_and_built_only_where_missing():
    first, second = NetworkFactory(), NetworkFactory()
    built = []
    generations.cached_many("test:names", [first.slug], _names_of(built), public=True)

    names = generations.cached_many(
        "test:names", [first.slug, second.slug, "gone"], _names_of(built), public=True
    )

    assert names == {first.slug: first.name, second.slug: second.name}
    assert built == [[first.slug], [second.slug, "gone"]]  # "gone" is asked again, never kept


@pytest.mark.django_db(transaction=True)
def test_many_values_are_built_again_after_a_public_write():
    network = NetworkFactory(name="Before")
    built = []
    generations.cached_many("test:names", [network.slug], _names_of(built), public=True)
    Network.objects.filter(pk=network.pk).update(name="After")

    names = generations.cached_many("test:names", [network.slug], _names_of(built), public=True)

    assert names == {network.slug: "After"}
    assert len(built) == 2


@pytest.mark.django_db(transaction=True)
def test_many_values_read_inside_a_transaction_that_wrote_are_not_kept():
    network = NetworkFactory()
    built = []

    def write_then_read():
        NetworkFactory()
        return generations.cached_many("test:names", [network.slug], _names_of(built), public=True)

    _rolled_back(write_then_read)
    generations.cached_many("test:names", [network.slug], _names_of(built), public=True)

    assert len(built) == 2


@pytest.mark.django_db(transaction=True)
def test_a_membership_status_change_through_the_service_bumps_the_directory():
    membership = MembershipFactory(status=Membership.Status.APPLICANT)
    staff = UserFactory(is_superuser=True, is_staff=True)
    before = _value("directory")

    approve_membership(membership, by=staff)

    assert _value("directory") == before + 1


def test_untracked_tables_bump_nothing_and_are_never_a_scope():
    from municipia.communications.models import Delivery

    assert generations.table_scope(Delivery._meta.db_table) == ""
    assert (
        generations.scopes_written('UPDATE "communications_delivery" SET "status" = \'sent\'')
        == frozenset()
    )
