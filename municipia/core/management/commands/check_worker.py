from celery.exceptions import TimeoutError as CeleryTimeout
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from municipia.core.tasks import ping


class Command(BaseCommand):
    help = "Send a ping task and wait for a Celery worker to answer it."

    def add_arguments(self, parser):
        parser.add_argument("--timeout", type=float, default=10.0)

    def handle(self, *args, timeout, **options):
        if not settings.REDIS_URL:
            self.stdout.write("REDIS_URL is not set: tasks run in-process, no worker is needed.")
            return
        try:
            answer = ping.delay(payload="pong").get(timeout=timeout)
        except CeleryTimeout as error:
            raise CommandError(f"no worker answered within {timeout:g} s (REDIS_URL)") from error
        self.stdout.write(f"worker answered: {answer}")
