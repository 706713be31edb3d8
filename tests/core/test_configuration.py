"""Start-up faults end in one line naming the setting; production settings pass `check --deploy`."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

PRODUCTION_ENV = {
    "SECRET_KEY": "k" * 20 + "production-secret-key-with-enough-entropy-0123456789",
    "ALLOWED_HOSTS": "municipia.example.org",
    "DATABASE_URL": "sqlite:////tmp/municipia-deploy-check.sqlite3",
}


def _run(*args, **env):
    ours = (
        "SECRET_KEY",
        "DEBUG",
        "DATABASE_URL",
        "REDIS_URL",
        "CACHE_URL",
        "ALLOWED_HOSTS",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
    )
    clean = {
        k: v for k, v in os.environ.items() if k not in ours and not k.startswith("MUNICIPIA_")
    }
    clean["DJANGO_SETTINGS_MODULE"] = "municipia.settings.base"
    return subprocess.run(
        [sys.executable, "-m", "municipia", *args],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def _one_line_error(result):
    lines = result.stderr.strip().splitlines()
    assert result.returncode != 0
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    return lines[0]


@pytest.mark.parametrize("command", [["check"], ["makemigrations", "--check"]])
def test_missing_secret_key_is_one_line_naming_it(command):
    line = _one_line_error(_run(*command))

    assert (
        line
        == "municipia: configuration error: SECRET_KEY is not set; it is required when DEBUG is off."
    )


def test_missing_secret_key_is_one_line_with_a_bare_environment():
    # With only a HOME, Django's command line used to swallow the settings error and run
    # makemigrations without the apps loaded (a traceback ending in AppRegistryNotReady).
    result = subprocess.run(
        [sys.executable, "-m", "municipia", "makemigrations", "--check"],
        env={"HOME": os.environ.get("HOME", str(Path.home()))},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    line = _one_line_error(result)

    assert (
        line
        == "municipia: configuration error: SECRET_KEY is not set; it is required when DEBUG is off."
    )


def test_wrong_database_url_scheme_is_one_line_naming_it():
    line = _one_line_error(
        _run("check", **{**PRODUCTION_ENV, "DATABASE_URL": "mysql2://nowhere/db"})
    )

    assert "DATABASE_URL has scheme 'mysql2'" in line


def test_unreachable_database_is_one_line_naming_it():
    result = _run(
        "migrate", **{**PRODUCTION_ENV, "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none"}
    )

    assert _one_line_error(result).startswith(
        "municipia: cannot use the database set by DATABASE_URL:"
    )


def test_traceback_flag_shows_the_whole_database_error():
    result = _run(
        "migrate",
        "--traceback",
        **{**PRODUCTION_ENV, "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none"},
    )

    assert result.returncode == 1
    assert "Traceback" in result.stderr
    assert "OperationalError" in result.stderr


def test_wrong_redis_url_scheme_is_one_line_naming_it():
    line = _one_line_error(
        _run("check", **{**PRODUCTION_ENV, "REDIS_URL": "http://127.0.0.1:6379"})
    )

    assert "REDIS_URL has scheme 'http'" in line


def test_unreachable_redis_fails_the_deploy_check_naming_it():
    result = _run("check", "--deploy", **{**PRODUCTION_ENV, "REDIS_URL": "redis://127.0.0.1:1/0"})

    assert result.returncode == 1
    assert "REDIS_URL is set but Redis cannot be reached" in result.stderr
    assert "Traceback" not in result.stderr


def test_production_settings_pass_the_deploy_check():
    result = _run("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_ENV)

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize("value", ["", "false", "0"])
def test_debug_is_off_unless_asked(value):
    result = _run(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print(settings.DEBUG)",
        **PRODUCTION_ENV,
        DEBUG=value,
    )

    assert result.stdout.strip() == "False"


def test_too_short_task_visibility_timeout_is_one_line_naming_it():
    env = {**PRODUCTION_ENV, "MUNICIPIA_TASK_VISIBILITY_TIMEOUT": "1"}

    line = _one_line_error(_run("check", **env))

    assert "MUNICIPIA_TASK_VISIBILITY_TIMEOUT must be at least 4" in line


def _cache_setting(**env):
    result = _run(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; c = settings.CACHES['default'];"
        " print(c['BACKEND'], c.get('LOCATION', ''), c.get('OPTIONS', {}).get('MAX_ENTRIES', ''))",
        **PRODUCTION_ENV,
        **env,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_the_cache_is_local_memory_unless_configured():
    assert _cache_setting() == ["django.core.cache.backends.locmem.LocMemCache", "5000"]


def test_cache_url_chooses_the_cache_before_redis_url():
    backend = _cache_setting(
        CACHE_URL="redis://127.0.0.1:6379/3", REDIS_URL="redis://127.0.0.1:6379/0"
    )

    assert backend == ["django.core.cache.backends.redis.RedisCache", "redis://127.0.0.1:6379/3"]


def test_redis_url_is_the_cache_without_cache_url():
    backend = _cache_setting(REDIS_URL="redis://127.0.0.1:6379/0")

    assert backend == ["django.core.cache.backends.redis.RedisCache", "redis://127.0.0.1:6379/0"]


@pytest.mark.parametrize(
    ("env", "engine"),
    [
        ({}, "db"),
        ({"CACHE_URL": "locmemcache://"}, "db"),
        ({"REDIS_URL": "redis://127.0.0.1:6379/0"}, "cached_db"),
        ({"CACHE_URL": "redis://127.0.0.1:6379/3"}, "cached_db"),
    ],
)
def test_sessions_are_read_from_the_cache_only_when_every_process_shares_it(env, engine):
    result = _run(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print(settings.SESSION_ENGINE)",
        **PRODUCTION_ENV,
        **env,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [f"django.contrib.sessions.backends.{engine}"]


def test_wrong_cache_url_scheme_is_one_line_naming_it():
    line = _one_line_error(_run("check", **{**PRODUCTION_ENV, "CACHE_URL": "memcache://x:1"}))

    assert "CACHE_URL has scheme 'memcache'" in line


def test_unreachable_cache_fails_the_deploy_check_naming_it():
    result = _run("check", "--deploy", **{**PRODUCTION_ENV, "CACHE_URL": "redis://127.0.0.1:1/0"})

    assert result.returncode == 1
    assert "CACHE_URL is set but Redis cannot be reached" in result.stderr
