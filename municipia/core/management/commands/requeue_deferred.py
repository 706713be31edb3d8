from django.core.management.base import BaseCommand

from municipia.core.background import requeue_deferred


class Command(BaseCommand):
    help = "Queue again the tasks that were deferred while the broker was unreachable."

    def handle(self, *args, **options):
        sent, remaining = requeue_deferred()
        self.stdout.write(f"sent {sent}, still deferred {remaining}")
