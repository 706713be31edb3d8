import pytest
from allauth.account.models import EmailAddress
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.files.base import ContentFile

from municipia.core.log import log_action
from municipia.core.models import FormDraft
from municipia.events.models import Registration
from municipia.finance.models import Invoice
from municipia.privacy.models import DataExport
from tests.factories.accounts import UserFactory
from tests.factories.directory import ConsentFactory, PersonFactory, PositionFactory
from tests.factories.events import EventFactory
from tests.factories.finance import InvoiceFactory
from tests.factories.knowledge import PublishedExperienceFactory, indexed

NAME = "Zelda Quirinus"
EMAIL = "zelda.quirinus@example.org"
PHONE = "+34 611 222 333"


@pytest.fixture
def zelda(db, network):
    """A mayor with an account, a directory entry, an office, a consent, an event registration
    with a settled invoice, an audit trail, a draft, a cached page, a copy of her data on disk, and
    an experience whose text names her (indexed for search)."""
    user = UserFactory(email=EMAIL, full_name=NAME)
    EmailAddress.objects.create(user=user, email=EMAIL, verified=True, primary=True)
    person = PersonFactory(user=user, full_name=NAME, email=EMAIL, phone=PHONE)
    PositionFactory(person=person, title="Alcaldesa")
    ConsentFactory(person=person)
    invoice = InvoiceFactory(
        network=network,
        membership__network=network,
        payer_name=NAME,
        payer_email=EMAIL,
        status=Invoice.Status.SETTLED,
    )
    event = EventFactory(network=network)
    Registration.objects.create(
        event=event,
        user=user,
        full_name=NAME,
        email=EMAIL,
        language="es",
        category=Registration.Category.NON_MEMBER,
        status=Registration.Status.CONFIRMED,
        invoice=invoice,
        answers={"diet": f"{NAME} eats no meat"},
    )
    log_action(invoice, "finance.invoice.sent", user=user, data={"to": EMAIL, "name": NAME})
    FormDraft.objects.create(user=user, key="knowledge.experience:new", data={"title": [NAME]})
    LogEntry.objects.create(
        user=user,
        content_type=ContentType.objects.get_for_model(person),
        object_id=str(person.pk),
        object_repr=NAME,
        action_flag=ADDITION,
    )
    experience = PublishedExperienceFactory(
        texts={"en": ("Open budgets", f"Led by {NAME}.", f"<p>Write to {EMAIL}.</p>")}
    )
    indexed(experience)
    cache.set("page:mayor", f"<h1>{NAME}</h1>")
    export = DataExport.objects.create(user=user)
    export.json_file.save("copy.json", ContentFile(b"{}"), save=False)
    export.pdf_file.save("copy.pdf", ContentFile(b"%PDF"), save=True)
    user.refresh_from_db()
    return user
