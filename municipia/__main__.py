"""`python -m municipia <command>` runs any Django management command.

Configuration and connection faults end in one line that names the setting to fix, not a traceback.
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "municipia.settings.base")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured  # after the settings module is chosen
    from django.core.management import execute_from_command_line
    from django.db.utils import OperationalError

    try:
        # Read here first: Django's command line keeps a settings error to itself and may then run
        # the command without the apps loaded (makemigrations ended in AppRegistryNotReady).
        settings.INSTALLED_APPS  # noqa: B018
        execute_from_command_line(sys.argv)
    except ImproperlyConfigured as error:
        sys.exit(f"municipia: configuration error: {error}")
    except OperationalError as error:
        if "--traceback" in sys.argv:  # Django's own flag: the whole story, for a bug report
            raise
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else repr(error)
        sys.exit(f"municipia: cannot use the database set by DATABASE_URL: {first_line}")


if __name__ == "__main__":
    main()
