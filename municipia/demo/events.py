"""Demo events of the International Association of Educating Cities (AICE).

Fact from the seed documents: AICE's 18th International Congress meets in Granollers, with the motto
"Education and culture in the city: community, critical thinking and creativity", and a scientific
committee. Everything else (dates, sessions, speakers, participants, links) is fictional and says
so; dates are set from today so that the congress is always the next one. Idempotent: nothing is
added once the congress exists.
"""

import datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.text import slugify

from municipia.accounts.models import Role, User
from municipia.core.zones import get_zone
from municipia.directory.models import LocalGovernment, Network, Person
from municipia.events.certificates import issue_certificate
from municipia.events.models import (
    Event,
    EventFee,
    EventTranslation,
    Registration,
    Room,
    Session,
    Speaker,
)
from municipia.events.services import (
    EventError,
    cancel_registration,
    check_in,
    register,
    registration_form,
)
from municipia.forms.models import FormField
from municipia.knowledge.models import Experience

FICTIONAL = "Fictional demo participant"
CONGRESS_SLUG = "aice-congress-granollers"


def _at(day: datetime.date, hour: int, minute: int = 0, zone="Europe/Madrid") -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=get_zone(zone))


def _event(slug: str, texts: dict, **fields) -> Event:
    event = Event.objects.create(slug=slug, status=Event.Status.PUBLISHED, **fields)
    for language, (title, summary, theme) in texts.items():
        EventTranslation.objects.create(
            event=event, language=language, title=title, summary=summary, theme=theme
        )
    return event


def _person(name: str, country, biography: str) -> Person:
    person, _created = Person.objects.get_or_create(
        slug=slugify(name),
        defaults={"full_name": name, "country": country, "biography": biography},
    )
    return person


def _congress(aice: Network, granollers: LocalGovernment, today: datetime.date) -> Event:
    first = today + datetime.timedelta(days=150)
    congress = _event(
        CONGRESS_SLUG,
        {
            "es": (
                "XVIII Congreso Internacional de Ciudades Educadoras",
                "Ciudades de todos los continentes se reúnen en Granollers para compartir cómo la "
                "educación y la cultura construyen comunidad. (Programa ficticio de demostración.)",
                "Educación y cultura en la ciudad: comunidad, sentido crítico y creatividad",
            ),
            "ca": (
                "XVIII Congrés Internacional de Ciutats Educadores",
                "Ciutats de tots els continents es troben a Granollers per compartir com l'educació "
                "i la cultura fan comunitat. (Programa fictici de demostració.)",
                "Educació i cultura a la ciutat: comunitat, sentit crític i creativitat",
            ),
            "en": (
                "18th International Congress of Educating Cities",
                "Cities from every continent meet in Granollers to share how education and culture "
                "build community. (Fictional demo programme.)",
                "Education and culture in the city: community, critical thinking and creativity",
            ),
            "fr": (
                "XVIIIe Congrès international des villes éducatrices",
                "Des villes de tous les continents se retrouvent à Granollers. (Programme fictif "
                "de démonstration.)",
                "Éducation et culture dans la ville : communauté, esprit critique et créativité",
            ),
        },
        kind=Event.Kind.CONGRESS,
        network=aice,
        original_language="es",
        starts_at=_at(first, 9),
        ends_at=_at(first + datetime.timedelta(days=2), 18),
        time_zone="Europe/Madrid",
        venue_name="Roca Umbert Fàbrica de les Arts (demo venue)",
        venue_address="Carrer d'Enric Prat de la Riba, Granollers",
        host_city=granollers,
        latitude=41.6079,
        longitude=2.2876,
        working_languages=["es", "ca", "en", "fr"],
        interpretation=["en", "fr", "pt"],
        capacity=400,
        city_quota=8,
        member_fee=Decimal("120.00"),  # fictional
        fee_currency="EUR",
        is_public=True,
        registration_closes_at=_at(first - datetime.timedelta(days=10), 23, 59),
    )
    rooms = {
        name: Room.objects.create(event=congress, name=name, capacity=capacity)
        for name, capacity in (("Sala Gran", 400), ("Sala Tèxtil", 80), ("Aula 3", 40))
    }
    spain = granollers.country
    speakers = [
        _person(
            "Marta Ribas Puig",
            spain,
            "Fictional demo speaker: pedagogue, twenty years in municipal education services.",
        ),
        _person(
            "João Carvalho Lima",
            getattr(LocalGovernment.objects.filter(name="Lisbon").first(), "country", None),
            "Fictional demo speaker: runs a network of public libraries.",
        ),
        _person("Aminata Diop", None, "Fictional demo speaker: youth councils in West Africa."),
        _person("Camila Restrepo", None, "Fictional demo speaker: culture and peace programmes."),
    ]
    programme = [
        (
            0,
            9,
            30,
            11,
            0,
            "plenary",
            "Sala Gran",
            {
                "es": "Apertura: la ciudad que educa",
                "en": "Opening: the city that educates",
                "ca": "Obertura: la ciutat que educa",
                "fr": "Ouverture : la ville qui éduque",
            },
            [0, 2],
        ),
        (
            0,
            11,
            30,
            13,
            0,
            "panel",
            "Sala Gran",
            {
                "es": "Cultura y comunidad en los barrios",
                "en": "Culture and community in neighbourhoods",
                "pt": "Cultura e comunidade nos bairros",
            },
            [1, 3],
        ),
        (
            1,
            9,
            30,
            12,
            30,
            "workshop",
            "Sala Tèxtil",
            {
                "es": "Taller: pensamiento crítico en la escuela y fuera de ella",
                "en": "Workshop: critical thinking in and out of school",
            },
            [0],
        ),
        (
            1,
            15,
            0,
            16,
            30,
            "panel",
            "Aula 3",
            {
                "fr": "Jeunes et participation : ce que les villes ont appris",
                "en": "Young people and participation: what cities learned",
            },
            [2, 3],
        ),
        # Three women on one panel: the programme warns staff that it is unbalanced.
        (
            1,
            17,
            0,
            18,
            0,
            "panel",
            "Sala Tèxtil",
            {
                "es": "Mujeres que gobiernan la educación local",
                "en": "Women who govern local education",
            },
            [0, 2, 3],
        ),
    ]
    # Self-declared by the (fictional) speakers; counted in the balance report, never shown.
    genders = [Speaker.Gender.WOMAN, Speaker.Gender.MAN, Speaker.Gender.WOMAN, Speaker.Gender.WOMAN]
    for day, h1, m1, h2, m2, kind, room, titles, people in programme:
        date = first + datetime.timedelta(days=day)
        session = Session.objects.create(
            event=congress,
            kind=kind,
            titles=titles,
            room=rooms[room],
            starts_at=_at(date, h1, m1),
            ends_at=_at(date, h2, m2),
            languages=["es", "en"],
        )
        for position, index in enumerate(people):
            Speaker.objects.create(
                session=session,
                person=speakers[index],
                position=position,
                # Two speakers agreed to a public biography; the others' stay private.
                bio_consent_at=timezone.now() if index < 2 else None,
                bio_consent_evidence="Speaker form (demo)" if index < 2 else "",
                gender=genders[index],
            )
    # Fees per category (fictional) and the registration's own questions.
    EventFee.objects.create(event=congress, category="member", amount=Decimal("120.00"))
    EventFee.objects.create(event=congress, category="non_member", amount=Decimal("180.00"))
    form = registration_form(congress)
    FormField.objects.create(
        definition=form,
        position=1,
        kind=FormField.Kind.CHOICE,
        label={
            "en": "Meals",
            "es": "Comidas",
            "ca": "Àpats",
            "fr": "Repas",
            "pt": "Refeições",
        },
        choices=[
            {
                "value": "any",
                "label": {
                    "en": "Anything",
                    "es": "De todo",
                    "ca": "De tot",
                    "fr": "Tout",
                    "pt": "Tudo",
                },
            },
            {
                "value": "vegetarian",
                "label": {
                    "en": "Vegetarian",
                    "es": "Vegetariana",
                    "ca": "Vegetariana",
                    "fr": "Végétarien",
                    "pt": "Vegetariana",
                },
            },
        ],
    )
    FormField.objects.create(
        definition=form,
        position=2,
        kind=FormField.Kind.YES_NO,
        required=False,
        label={
            "en": "Will you join the study visit on the last day?",
            "es": "¿Participará en la visita de estudio del último día?",
            "ca": "Participareu en la visita d'estudi de l'últim dia?",
            "fr": "Participerez-vous à la visite d'étude du dernier jour ?",
            "pt": "Participará na visita de estudo do último dia?",
        },
    )
    return congress


def _registrations(congress: Event, aice: Network, granollers: LocalGovernment) -> None:
    staff = User.objects.filter(roles__kind=Role.Kind.NETWORK_STAFF, roles__network=aice).first()
    # Granollers' officer registers the city's delegation; the secretariat registers the others.
    officer = User.objects.filter(
        roles__kind=Role.Kind.CITY_OFFICER, roles__local_government=granollers
    ).first()
    people = [
        ("Núria Vila Soler", "ca", granollers, Registration.Category.MEMBER),
        ("Pere Casals Font", "ca", granollers, Registration.Category.MEMBER),
        ("Laia Martí Roig", "es", granollers, Registration.Category.MEMBER),
        (
            "Ana Beatriz Souza",
            "pt",
            LocalGovernment.objects.filter(name="Belo Horizonte").first(),
            Registration.Category.MEMBER,
        ),
        (
            "Claire Dubois",
            "fr",
            LocalGovernment.objects.filter(name="Lyon").first(),
            Registration.Category.MEMBER,
        ),
        (
            "Kim Min-jun",
            "en",
            LocalGovernment.objects.filter(name="Changwon").first(),
            Registration.Category.MEMBER,
        ),
        ("Lucía Fernández", "es", None, Registration.Category.NON_MEMBER),
        ("Marta Ribas Puig", "es", None, Registration.Category.SPEAKER),
    ]
    for n, (name, language, city, category) in enumerate(people):
        try:
            register(
                congress,
                by=officer if city == granollers and officer else staff,
                full_name=name,
                email=f"participant{n + 1}@demo.municipia.example",
                language=language,
                local_government=city,
                category=category,
                answers={
                    str(question.pk): answer
                    for question, answer in zip(
                        congress.questions,
                        ("vegetarian" if n % 3 == 0 else "any", "yes"),
                        strict=False,
                    )
                },
            )
        except EventError:
            continue
    # One participant cancelled: the list shows it, and the seat went back.
    cancelled = Registration.objects.filter(event=congress, full_name="Lucía Fernández").first()
    if cancelled is not None:
        cancel_registration(cancelled, by=staff)


def load(stdout, *, today: datetime.date | None = None) -> None:
    aice = Network.objects.filter(slug="aice").first()
    granollers = LocalGovernment.objects.filter(name="Granollers").first()
    if aice is None or granollers is None or Event.objects.filter(slug=CONGRESS_SLUG).exists():
        return
    today = today or timezone.localdate()
    congress = _congress(aice, granollers, today)
    _registrations(congress, aice, granollers)

    # A study visit to experiences of the bank, in Barcelona.
    barcelona = LocalGovernment.objects.filter(name="Barcelona").first()
    visit_day = today + datetime.timedelta(days=60)
    visit = _event(
        "aice-study-visit-climate-shelters",
        {
            "ca": (
                "Visita d'estudi: refugis climàtics a les escoles",
                "Una jornada per veure com els patis escolars renaturalitzats acullen el veïnat "
                "durant les onades de calor. (Visita fictícia de demostració.)",
                "",
            ),
            "en": (
                "Study visit: climate shelters in schools",
                "A day to see how renaturalised schoolyards shelter neighbours during heatwaves. "
                "(Fictional demo visit.)",
                "",
            ),
        },
        kind=Event.Kind.STUDY_VISIT,
        network=aice,
        original_language="ca",
        starts_at=_at(visit_day, 9),
        ends_at=_at(visit_day, 17),
        time_zone="Europe/Madrid",
        venue_name="Plaça de Sant Jaume (meeting point, demo)",
        host_city=barcelona,
        working_languages=["ca", "es", "en"],
        capacity=25,
        requires_approval=True,
    )
    stop = Session.objects.create(
        event=visit,
        kind=Session.Kind.VISIT,
        titles={"ca": "Visita a dos patis oberts", "en": "Visit to two open schoolyards"},
        starts_at=_at(visit_day, 10),
        ends_at=_at(visit_day, 13),
        languages=["ca", "en"],
        host_city=barcelona,
    )
    stop.experiences.set(Experience.objects.filter(city=barcelona)[:2])

    # An online meeting (the link reaches registered participants only) and an executive committee.
    meeting_day = today + datetime.timedelta(days=21)
    _event(
        "aice-online-latin-america",
        {
            "es": (
                "Encuentro en línea de la Delegación para América Latina",
                "Las ciudades de la región comparten sus planes de acción. (Reunión ficticia.)",
                "",
            ),
            "pt": (
                "Encontro online da Delegação para a América Latina",
                "As cidades da região partilham os seus planos de ação. (Reunião fictícia.)",
                "",
            ),
        },
        kind=Event.Kind.ONLINE_MEETING,
        network=Network.objects.filter(slug="aice-latin-america").first() or aice,
        original_language="es",
        starts_at=_at(meeting_day, 10, zone="America/Montevideo"),
        ends_at=_at(meeting_day, 12, zone="America/Montevideo"),
        time_zone="America/Montevideo",
        online_url="https://meet.demo.municipia.example/aice-latam",
        working_languages=["es", "pt"],
    )
    committee_day = today + datetime.timedelta(days=35)
    _event(
        "aice-executive-committee",
        {
            "es": (
                "Comité Ejecutivo: seguimiento del plan de acción",
                "Reunión del Comité Ejecutivo para seguir el plan de acción anual. (Reunión "
                "ficticia de demostración.)",
                "",
            ),
            "fr": (
                "Comité exécutif : suivi du plan d'action",
                "Réunion du comité exécutif pour suivre le plan d'action. (Réunion fictive.)",
                "",
            ),
        },
        kind=Event.Kind.EXECUTIVE_COMMITTEE,
        network=aice,
        original_language="es",
        starts_at=_at(committee_day, 10),
        ends_at=_at(committee_day, 14),
        time_zone="Europe/Madrid",
        venue_name="Secretariat of the association (demo)",
        host_city=barcelona,
        working_languages=["es", "fr", "en"],
        interpretation=["en", "fr"],
        is_public=False,
    )
    _past_cafe(aice, today)
    stdout.write(
        f"  events: {Event.objects.filter(network__in=[aice, *aice.sub_networks.all()]).count()}"
    )


def _past_cafe(aice: Network, today: datetime.date) -> None:
    """A virtual café held last month: its participants were seen, and have their certificates."""
    day = today - datetime.timedelta(days=30)
    cafe = _event(
        "aice-virtual-cafe-reading",
        {
            "en": (
                "Virtual café: reading clubs in public libraries",
                "Cities compare how their libraries run reading clubs. (Fictional demo café.)",
                "",
            ),
            "fr": (
                "Café virtuel : les clubs de lecture des bibliothèques",
                "Les villes comparent leurs clubs de lecture. (Café fictif de démonstration.)",
                "",
            ),
        },
        kind=Event.Kind.VIRTUAL_CAFE,
        network=aice,
        original_language="en",
        starts_at=_at(day, 16),
        ends_at=_at(day, 18),
        time_zone="Europe/Madrid",
        online_url="https://meet.demo.municipia.example/aice-cafe",
        working_languages=["en", "fr", "es"],
    )
    talk = Session.objects.create(
        event=cafe,
        kind=Session.Kind.WORKSHOP,
        titles={"en": "Three clubs, three cities", "fr": "Trois clubs, trois villes"},
        starts_at=_at(day, 16),
        ends_at=_at(day, 17, 30),
        languages=["en", "fr"],
    )
    staff = User.objects.filter(roles__kind=Role.Kind.NETWORK_STAFF, roles__network=aice).first()
    before = _at(day - datetime.timedelta(days=7), 12)
    for n, (name, language) in enumerate(
        (("Hélène Martin", "fr"), ("Jordi Puig", "ca"), ("Sara Okafor", "en"))
    ):
        registration = register(
            cafe,
            by=staff,
            full_name=f"{name} (demo)",
            email=f"cafe{n + 1}@demo.municipia.example",
            language=language,
            category=Registration.Category.NON_MEMBER,
            now=before,
        )
        if n < 2:  # the third did not come: no certificate for them
            check_in(registration, by=staff, session=talk)
            issue_certificate(registration, by=staff)
