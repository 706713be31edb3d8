"""Fill every module with the demo: the networks of the seed documents and clearly fictional content.

Idempotent: it looks rows up by their natural keys and leaves what is already there, so running it
again (every `make run`) keeps changes made through the site.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from municipia.demo import accountability as demo_accountability
from municipia.demo import accounts as demo_accounts
from municipia.demo import agreements as demo_agreements
from municipia.demo import calls as demo_calls
from municipia.demo import communications as demo_communications
from municipia.demo import cooperation as demo_cooperation
from municipia.demo import directory as demo_directory
from municipia.demo import events as demo_events
from municipia.demo import finance as demo_finance
from municipia.demo import governance as demo_governance
from municipia.demo import impact as demo_impact
from municipia.demo import knowledge as demo_knowledge
from municipia.demo import learning as demo_learning
from municipia.demo import missions as demo_missions
from municipia.demo import opportunities as demo_opportunities
from municipia.demo import plans as demo_plans
from municipia.demo import privacy as demo_privacy
from municipia.demo import surveys as demo_surveys
from municipia.translation.services import translate_published


class Command(BaseCommand):
    help = "Load the demo networks, members and accounts (safe to run again)."

    def handle(self, *args, **options):
        with transaction.atomic():
            networks = demo_directory.load(self.stdout)
            demo_knowledge.load(self.stdout)
            login = demo_accounts.load(networks, self.stdout)
            demo_plans.load(self.stdout)
            demo_finance.load(self.stdout)
            demo_calls.load(self.stdout)
            demo_cooperation.load(self.stdout)
            demo_agreements.load(self.stdout)
            demo_missions.load(self.stdout)
            demo_events.load(self.stdout)
            demo_governance.load(self.stdout)
            demo_opportunities.load(self.stdout)
            demo_surveys.load(self.stdout)
            demo_communications.load(self.stdout)
            demo_learning.load(self.stdout)
            demo_accountability.load(self.stdout)
            demo_privacy.load(self.stdout)
            demo_impact.load(self.stdout)
        # The public pages in the other languages, where a backend (Apertium) is installed.
        translate_published(self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
        self.stdout.write(f"Demo staff login: {login['email']} / password: {login['password']}")
