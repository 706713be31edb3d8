"""The test suite: fast hashing, e-mail kept in memory, tasks eager unless a test says otherwise."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production")
os.environ.setdefault("MUNICIPIA_SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("MUNICIPIA_SECURE_COOKIES", "false")
os.environ.setdefault("MUNICIPIA_REQUIRE_MFA_FOR_STAFF", "false")  # tests turn it on
os.environ.pop("REDIS_URL", None)  # the Redis tests opt in explicitly
os.environ.pop("CACHE_URL", None)

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
