import datetime

import factory
from django.utils import timezone

from municipia.events.models import Event, EventTranslation, Room, Session, Speaker


def _in(days: int, hour: int = 9) -> datetime.datetime:
    base = timezone.now().replace(minute=0, second=0, microsecond=0) + datetime.timedelta(days=days)
    return base.replace(hour=hour)


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event
        skip_postgeneration_save = True

    kind = Event.Kind.CONGRESS
    slug = factory.Sequence(lambda n: f"event-{n}")
    status = Event.Status.PUBLISHED
    network = factory.SubFactory("tests.factories.directory.NetworkFactory")
    original_language = "en"
    starts_at = factory.LazyFunction(lambda: _in(30))
    ends_at = factory.LazyFunction(lambda: _in(32, 18))
    time_zone = "Europe/Madrid"
    venue_name = "Palau de Congressos"
    venue_address = "Avinguda de la Reina Maria Cristina"
    working_languages = ["en", "fr", "es"]
    is_public = True

    @factory.post_generation
    def title(obj, create, extracted, **kwargs):
        if create:
            EventTranslation.objects.create(
                event=obj,
                language="en",
                title=extracted or f"Congress {obj.slug}",
                summary="Cities meet to share what they learned.",
                theme="Cities that care",
            )


class RoomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Room

    event = factory.SubFactory(EventFactory)
    name = factory.Sequence(lambda n: f"Room {n}")


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    event = factory.SubFactory(EventFactory)
    kind = Session.Kind.PANEL
    titles = factory.Sequence(lambda n: {"en": f"Session {n}", "fr": f"Séance {n}"})
    starts_at = factory.LazyAttribute(lambda o: o.event.starts_at)
    ends_at = factory.LazyAttribute(lambda o: o.event.starts_at + datetime.timedelta(hours=1))
    languages = ["en", "fr"]


class SpeakerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Speaker

    session = factory.SubFactory(SessionFactory)
    person = factory.SubFactory("tests.factories.directory.PersonFactory")
