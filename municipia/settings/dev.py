"""`make run`: the embedded demo on a laptop. DEBUG on, console e-mail, plain HTTP."""

import os

os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("MUNICIPIA_EMAIL_VERIFICATION", "optional")
os.environ.setdefault("MUNICIPIA_REQUIRE_MFA_FOR_STAFF", "false")

from municipia.settings.base import *  # noqa: F403

STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
