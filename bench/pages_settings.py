"""Settings of bench/pages.py's server: the production settings, with a plain Django page added.

Only the URL conf differs (bench/pages_urls.py adds `/bench/plain/`); everything else, middleware
included, is what `municipia.settings.base` gives with the environment bench/pages.py sets.
"""

from municipia.settings.base import *  # noqa: F403

ROOT_URLCONF = "bench.pages_urls"
