"""Login limits behind reverse proxies, and the per-account lock that a second factor or a reset lifts.

Addresses come from the documentation ranges: 203.0.113.0/24 and 198.51.100.0/24 are clients,
10.0.0.1 is our proxy.
"""

import re
import runpy
import time

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

import municipia.settings.base
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/en/accounts/login/"
PASSWORD = "correct horse battery"
PROXY = "10.0.0.1"
TOO_MANY = "Too many failed login attempts"
LOCKED = "Too many failed attempts to log in to this account"


def _settings_with(monkeypatch, **env):
    for name, value in env.items():
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    return runpy.run_path(municipia.settings.base.__file__)


@pytest.mark.parametrize(("value", "count"), [(None, 0), ("0", 0), ("1", 1), ("2", 2)])
def test_one_setting_sets_the_proxy_count_of_logins_and_of_the_api(monkeypatch, value, count):
    derived = _settings_with(monkeypatch, MUNICIPIA_TRUSTED_PROXIES=value)

    assert derived["ALLAUTH_TRUSTED_PROXY_COUNT"] == count
    assert derived["REST_FRAMEWORK"]["NUM_PROXIES"] == count


def test_a_negative_proxy_count_is_refused(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match="MUNICIPIA_TRUSTED_PROXIES"):
        _settings_with(monkeypatch, MUNICIPIA_TRUSTED_PROXIES="-1")


def _verified(email):
    user = UserFactory(email=email)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


@pytest.fixture
def victim():
    return _verified("victim@example.org")


def _post_login(client, email, password, *, remote_addr, forwarded_for=None, **extra):
    headers = {"REMOTE_ADDR": remote_addr}
    if forwarded_for is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return client.post(LOGIN, {"login": email, "password": password, **extra}, **headers)


def _fail_on_other_accounts(times, *, remote_addr, forwarded_for=None):
    """Failed logins on as many different accounts: only the per-IP limit can add them up."""
    client = Client()
    for attempt in range(times):
        response = _post_login(
            client,
            f"nobody{attempt}@example.org",
            "wrong",
            remote_addr=remote_addr,
            forwarded_for=forwarded_for(attempt) if callable(forwarded_for) else forwarded_for,
        )
        assert TOO_MANY not in response.text


def _logged_in(client):
    return "_auth_user_id" in client.session


# --- Per-IP limit: which address is counted ---


def test_direct_clients_are_counted_by_their_own_address(victim, trusted_proxies):
    trusted_proxies(0)
    _fail_on_other_accounts(5, remote_addr="203.0.113.5")

    attacker, someone_else = Client(), Client()
    refused = _post_login(attacker, victim.email, PASSWORD, remote_addr="203.0.113.5")
    allowed = _post_login(someone_else, victim.email, PASSWORD, remote_addr="203.0.113.6")

    assert TOO_MANY in refused.text
    assert not _logged_in(attacker)
    assert allowed.status_code == 302
    assert _logged_in(someone_else)


def test_behind_one_proxy_the_client_is_counted_not_the_proxy(victim, trusted_proxies):
    trusted_proxies(1)
    _fail_on_other_accounts(5, remote_addr=PROXY, forwarded_for="198.51.100.7")

    attacker, someone_else = Client(), Client()
    refused = _post_login(
        attacker, victim.email, PASSWORD, remote_addr=PROXY, forwarded_for="198.51.100.7"
    )
    allowed = _post_login(
        someone_else, victim.email, PASSWORD, remote_addr=PROXY, forwarded_for="203.0.113.9"
    )

    assert TOO_MANY in refused.text
    assert not _logged_in(attacker)
    assert allowed.status_code == 302
    assert _logged_in(someone_else)


def test_a_forged_forwarded_for_does_not_escape_the_limit_behind_a_proxy(victim, trusted_proxies):
    trusted_proxies(1)
    # The client writes any X-Forwarded-For it likes; the proxy appends the address it saw.
    _fail_on_other_accounts(
        5, remote_addr=PROXY, forwarded_for=lambda n: f"192.0.2.{n}, 198.51.100.7"
    )

    attacker = Client()
    refused = _post_login(
        attacker,
        victim.email,
        PASSWORD,
        remote_addr=PROXY,
        forwarded_for="192.0.2.99, 198.51.100.7",
    )

    assert TOO_MANY in refused.text
    assert not _logged_in(attacker)


def test_a_forged_forwarded_for_does_not_escape_the_limit_without_a_proxy(victim, trusted_proxies):
    trusted_proxies(0)
    _fail_on_other_accounts(5, remote_addr="198.51.100.7", forwarded_for=lambda n: f"192.0.2.{n}")

    attacker = Client()
    refused = _post_login(
        attacker, victim.email, PASSWORD, remote_addr="198.51.100.7", forwarded_for="192.0.2.99"
    )

    assert TOO_MANY in refused.text
    assert not _logged_in(attacker)


# --- Per-account lock: kept, but never a way to keep its owner out ---


def _lock(email):
    """Five wrong passwords from an address that is not the owner's: the account's own limit."""
    client = Client()
    for _ in range(5):
        _post_login(client, email, "wrong", remote_addr="198.51.100.66")


def _totp(user):
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def _code(secret):
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def test_without_a_lock_the_right_password_logs_in(victim):
    client = Client()

    response = _post_login(client, victim.email, PASSWORD, remote_addr="203.0.113.20")

    assert response.status_code == 302
    assert _logged_in(client)


def test_locked_account_refuses_the_right_password_alone_and_says_how_to_get_in(victim):
    _lock(victim.email)
    client = Client()

    response = _post_login(client, victim.email, PASSWORD, remote_addr="203.0.113.20")

    assert response.status_code == 200
    assert not _logged_in(client)
    assert LOCKED in response.text
    assert "reset your password" in response.text
    assert 'href="/en/accounts/password/reset/"' in response.text


def test_locked_account_answers_a_wrong_password_exactly_as_a_right_one(victim):
    """No way to tell a right guess while the lock holds, so the lock still stops guessing."""
    _totp(victim)
    _lock(victim.email)

    right = _post_login(Client(), victim.email, PASSWORD, remote_addr="203.0.113.20", code="")
    wrong = _post_login(Client(), victim.email, "guess", remote_addr="203.0.113.21", code="")

    assert LOCKED in right.text
    assert LOCKED in wrong.text
    assert right.status_code == wrong.status_code == 200


@pytest.mark.parametrize("code", ["", "000000"])
@pytest.mark.parametrize("last", ["guess", PASSWORD])
def test_locked_account_charges_the_address_for_a_right_password_as_for_a_wrong_one(
    victim, code, last
):
    """Or a guesser could tell a right password by the attempts their address has left."""
    _totp(victim)
    _lock(victim.email)
    client = Client()
    for password in ["guess", "guess", "guess", last]:
        _post_login(client, victim.email, password, remote_addr="203.0.113.30", code=code)

    fifth = _post_login(client, victim.email, "x", remote_addr="203.0.113.30", code=code)
    sixth = _post_login(client, victim.email, "x", remote_addr="203.0.113.30", code=code)

    assert LOCKED in fifth.text
    assert TOO_MANY in sixth.text


def test_locked_account_lets_in_the_right_password_with_a_code_from_the_app(victim):
    secret = _totp(victim)
    _lock(victim.email)
    client = Client()

    form = _post_login(client, victim.email, PASSWORD, remote_addr="203.0.113.20")
    response = _post_login(
        client, victim.email, PASSWORD, remote_addr="203.0.113.20", code=_code(secret)
    )

    assert 'name="code"' in form.text
    assert response.status_code == 302
    assert response["Location"] == "/en/work/"  # "my work", not on to ask for a second code
    assert _logged_in(client)
    methods = [record["method"] for record in client.session["account_authentication_methods"]]
    assert methods == ["password", "mfa"]


def test_a_locked_owner_may_take_a_few_tries_before_the_code_lets_them_in(victim):
    """Each locked attempt counts once against the owner's address, like any other attempt."""
    secret = _totp(victim)
    _lock(victim.email)
    client = Client()
    wrong = f"{(int(_code(secret)) + 1) % 1_000_000:06d}"

    for code in ("", wrong, "", wrong):
        _post_login(client, victim.email, PASSWORD, remote_addr="203.0.113.20", code=code)
    response = _post_login(
        client, victim.email, PASSWORD, remote_addr="203.0.113.20", code=_code(secret)
    )

    assert response.status_code == 302
    assert _logged_in(client)


def test_locked_account_accepts_a_recovery_code_as_the_second_factor(victim):
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    _totp(victim)
    codes = RecoveryCodes.activate(victim).get_unused_codes()
    _lock(victim.email)
    client = Client()

    response = _post_login(
        client, victim.email, PASSWORD, remote_addr="203.0.113.20", code=codes[0]
    )

    assert response.status_code == 302
    assert _logged_in(client)


def test_locked_account_refuses_a_wrong_code(victim):
    secret = _totp(victim)
    _lock(victim.email)
    client = Client()
    wrong = f"{(int(_code(secret)) + 1) % 1_000_000:06d}"

    response = _post_login(client, victim.email, PASSWORD, remote_addr="203.0.113.20", code=wrong)

    assert LOCKED in response.text
    assert not _logged_in(client)


def test_locked_account_refuses_a_wrong_password_with_a_valid_code(victim):
    secret = _totp(victim)
    _lock(victim.email)
    client = Client()

    response = _post_login(
        client, victim.email, "guess", remote_addr="203.0.113.20", code=_code(secret)
    )

    assert LOCKED in response.text
    assert not _logged_in(client)


def test_unlocked_account_with_totp_still_asks_for_the_code_after_the_password(victim):
    _totp(victim)
    client = Client()

    response = _post_login(client, victim.email, PASSWORD, remote_addr="203.0.113.20")

    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/2fa/authenticate/"
    assert not _logged_in(client)


def test_password_reset_by_email_lifts_the_lock_and_logs_in(victim):
    _lock(victim.email)
    client = Client(REMOTE_ADDR="203.0.113.20")
    client.post("/en/accounts/password/reset/", {"email": victim.email})
    link = re.search(r"https?://[^/]+(/\S+/password/reset/key/\S+/)", mail.outbox[0].body)[1]
    form_url = client.get(link)["Location"]

    reset = client.post(
        form_url, {"password1": "a new long passphrase", "password2": "a new long passphrase"}
    )

    assert reset.status_code == 302
    assert _logged_in(client)
    client.logout()
    again = _post_login(client, victim.email, "a new long passphrase", remote_addr="203.0.113.20")
    assert again.status_code == 302
    assert _logged_in(client)


def test_a_reset_with_totp_still_asks_for_the_code(victim):
    _totp(victim)
    _lock(victim.email)
    client = Client(REMOTE_ADDR="203.0.113.20")
    client.post("/en/accounts/password/reset/", {"email": victim.email})
    link = re.search(r"https?://[^/]+(/\S+/password/reset/key/\S+/)", mail.outbox[0].body)[1]
    form_url = client.get(link)["Location"]

    reset = client.post(
        form_url, {"password1": "a new long passphrase", "password2": "a new long passphrase"}
    )

    assert reset["Location"] == "/en/accounts/2fa/authenticate/"
    assert not _logged_in(client)
    assert Authenticator.objects.filter(user=victim).exists()
