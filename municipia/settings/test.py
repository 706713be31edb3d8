"""The test suite: fast hashing, e-mail kept in memory, tasks eager unless a test says otherwise."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production")
os.environ.setdefault("MUNICIPIA_SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("MUNICIPIA_SECURE_COOKIES", "false")
os.environ.setdefault("MUNICIPIA_REQUIRE_MFA_FOR_STAFF", "false")  # tests turn it on
os.environ.pop("REDIS_URL", None)  # the Redis tests opt in explicitly
os.environ.pop("CACHE_URL", None)
os.environ.setdefault("MUNICIPIA_TRANSLATION_BACKENDS", "")  # the translation tests opt in

from municipia.settings.base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] = {  # noqa: F405
    "anon": "10000/minute",
    "user": "10000/minute",
    "autocomplete": "10000/minute",
}
MEDIA_ROOT = DATA_DIR / "test-media"  # noqa: F405
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Each test process its own shared search index directory (in-memory SQLite databases of parallel
# processes share one name), removed at exit; a bench sets MUNICIPIA_SEARCH_INDEX_DIR to share one.
if not os.environ.get("MUNICIPIA_SEARCH_INDEX_DIR"):
    import atexit
    import shutil
    import tempfile

    MUNICIPIA_SEARCH_INDEX_DIR = Path(tempfile.mkdtemp(prefix="municipia-test-index-"))  # noqa: F405
    atexit.register(shutil.rmtree, MUNICIPIA_SEARCH_INDEX_DIR, ignore_errors=True)
