"""The virtual classroom of the International Association of Educating Cities (AICE).

Facts from the seed documents: AICE's 2025 action plan announces a new edition of the Latin
American Delegation's virtual classroom course "Políticas públicas y participación juvenil en las
ciudades educadoras", and a new course of that classroom on bringing the gender perspective into
local governments' public policies. Everything else (the partner university, dates, modules,
tutors, participants, grades) is fictional and says so. Idempotent: nothing is added once the
first course exists.
"""

import datetime
import io
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image, ImageDraw

from municipia.accounts.models import Role, User
from municipia.directory.models import Country, Network, Organisation
from municipia.knowledge.models import Experience
from municipia.learning.certificates import issue_certificate
from municipia.learning.models import (
    Assignment,
    Course,
    CourseRun,
    CourseTranslation,
    LiveSession,
    Module,
)
from municipia.learning.services import (
    enrol,
    grade_submission,
    mark_module_done,
    record_attendance,
    reply,
    start_thread,
    submit_assignment,
)

YOUTH_SLUG = "aice-youth-participation"
GENDER_SLUG = "aice-gender-local-policy"
FICTIONAL = "(fictional)"

YOUTH_TEXTS = {
    "es": (
        "Políticas públicas y participación juvenil en las ciudades educadoras",
        "Curso del Aula Virtual de la Delegación de América Latina de la AICE: cómo los gobiernos "
        "locales abren sus decisiones a la juventud (consejos, presupuestos participativos, "
        "proyectos en el barrio). Contenido del curso de demostración, ficticio.",
    ),
    "en": (
        "Public policies and youth participation in educating cities",
        "A course of the virtual classroom of AICE's Latin American Delegation: how local "
        "governments open their decisions to young people (councils, participatory budgets, "
        "neighbourhood projects). Fictional demo course content.",
    ),
    "pt": (
        "Políticas públicas e participação juvenil nas cidades educadoras",
        "Curso da Aula Virtual da Delegação da América Latina da AICE: como os governos locais "
        "abrem as suas decisões à juventude. Conteúdo fictício de demonstração.",
    ),
    "ca": (
        "Polítiques públiques i participació juvenil a les ciutats educadores",
        "Curs de l'Aula Virtual de la Delegació d'Amèrica Llatina de l'AICE: com els governs "
        "locals obren les seves decisions al jovent. Contingut fictici de demostració.",
    ),
}
GENDER_TEXTS = {
    "es": (
        "La perspectiva de género en las políticas públicas locales",
        "Nuevo curso del Aula Virtual de la Delegación de América Latina sobre la incorporación "
        "de la perspectiva de género en las políticas públicas de los gobiernos locales. "
        "Contenido ficticio de demostración.",
    ),
    "en": (
        "Gender in local public policy",
        "A new course of the Latin American Delegation's virtual classroom on bringing the gender "
        "perspective into local governments' public policies. Fictional demo content.",
    ),
    "fr": (
        "Le genre dans les politiques publiques locales",
        "Nouveau cours de la classe virtuelle de la Délégation pour l'Amérique latine sur "
        "l'intégration de la perspective de genre dans les politiques publiques locales. "
        "Contenu fictif de démonstration.",
    ),
}
YOUTH_MODULES = [
    (
        {
            "es": "La ciudad educadora y la juventud",
            "en": "The educating city and young people",
            "pt": "A cidade educadora e a juventude",
        },
        {
            "es": "<p>Por qué la participación juvenil es parte de una ciudad educadora.</p>",
            "en": "<p>Why youth participation belongs to an educating city.</p>",
        },
    ),
    (
        {
            "es": "Consejos y presupuestos participativos juveniles",
            "en": "Youth councils and participatory budgets",
            "pt": "Conselhos e orçamentos participativos juvenis",
        },
        {
            "es": "<p>Cómo se organizan, quién decide y cómo se rinde cuentas.</p>",
            "en": "<p>How they are organised, who decides and how they report back.</p>",
        },
    ),
    (
        {
            "es": "Diseñar un proyecto con jóvenes",
            "en": "Designing a project with young people",
            "pt": "Desenhar um projeto com jovens",
        },
        {"es": "<p>Del diagnóstico a la evaluación.</p>", "en": "<p>From diagnosis to review.</p>"},
    ),
]
GENDER_MODULES = [
    (
        {"es": "Conceptos básicos", "en": "Key concepts", "fr": "Notions de base"},
        {"es": "<p>Igualdad, equidad y transversalidad.</p>"},
    ),
    (
        {
            "es": "Presupuestos con perspectiva de género",
            "en": "Gender budgeting",
            "fr": "Budgets sensibles au genre",
        },
        {"es": "<p>Leer el presupuesto municipal con otra mirada.</p>"},
    ),
]
PARTICIPANTS = [
    ("Valentina Rojas Pérez", "es"),
    ("Mateus Oliveira Lima", "pt"),
    ("Camila Herrera Soto", "es"),
    ("Joana Ferreira Costa", "pt"),
    ("Diego Morales Vega", "es"),
]


def _user(name: str, language: str, domain: str = "demo.municipia.example") -> User:
    email = name.lower().split()[0] + "." + name.lower().split()[1] + "@" + domain
    user, _created = User.objects.get_or_create(
        email=email, defaults={"full_name": f"{name} {FICTIONAL}", "language": language}
    )
    return user


def _course(network, slug, texts, university, **fields) -> Course:
    course = Course.objects.create(
        network=network,
        slug=slug,
        original_language="es",
        languages=["es", "pt"],
        is_published=True,
        partner_university=university,
        signatory=f"Directora académica del Aula Virtual {FICTIONAL}",
        **fields,
    )
    for language, (title, description) in texts.items():
        CourseTranslation.objects.create(
            course=course, language=language, title=title, description=description
        )
    return course


def _modules(course, modules) -> list[Module]:
    created = []
    for position, (titles, summaries) in enumerate(modules, start=1):
        created.append(
            Module.objects.create(
                course=course, position=position, titles=titles, summaries=summaries
            )
        )
    return created


def _materials(modules: list[Module], network) -> None:
    first = modules[0]
    first.materials.create(
        kind="text",
        position=1,
        titles={"es": "Lectura de introducción", "en": "Introductory reading"},
        bodies={
            "es": "<p>La <strong>Carta de Ciudades Educadoras</strong> pide que la ciudad "
            "escuche a toda su población, también a la más joven.</p>",
            "en": "<p>The <strong>Charter of Educating Cities</strong> asks the city to listen "
            "to all its people, the youngest too.</p>",
        },
    )
    first.materials.create(
        kind="video",
        position=2,
        titles={"es": "Vídeo de bienvenida (ficticio)", "en": "Welcome video (fictional)"},
        url="https://video.demo.municipia.example/aula-virtual/bienvenida",
    )
    experience = Experience.objects.published().filter(networks=network).first()
    if experience is not None:
        modules[1].materials.create(
            kind="experience",
            position=1,
            titles={"es": "Una experiencia del banco", "en": "An experience of the bank"},
            experience=experience,
        )


def _png(colour) -> bytes:
    # Drawn here so that the demo needs no image file: a plain coloured mark stands for the logo.
    image = Image.new("RGB", (240, 120), "white")
    draw = ImageDraw.Draw(image)
    draw.ellipse((10, 10, 110, 110), fill=colour)
    draw.rectangle((130, 40, 230, 80), fill=colour)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _signature() -> bytes:
    image = Image.new("RGB", (300, 90), "white")
    draw = ImageDraw.Draw(image)
    draw.line(
        [(10, 70), (60, 20), (100, 65), (150, 25), (200, 60), (280, 30)], fill="navy", width=4
    )
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _pdf_work() -> ContentFile:
    content = (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )
    return ContentFile(content, name="trabajo.pdf")


def load(stdout, *, today: datetime.date | None = None) -> None:
    aice = Network.objects.filter(slug="aice").first()
    if aice is None or Course.objects.filter(slug=YOUTH_SLUG).exists():
        return
    today = today or timezone.localdate()
    staff = User.objects.filter(roles__kind=Role.Kind.NETWORK_STAFF, roles__network=aice).first()
    if staff is None:
        return
    university, _created = Organisation.objects.get_or_create(
        slug="universidad-abierta-demo",
        defaults={
            "name": f"Universidad Abierta de Demostración {FICTIONAL}",
            "kind": Organisation.Kind.UNIVERSITY,
            "country": Country.objects.filter(code="AR").first(),
        },
    )
    youth = _course(
        aice,
        YOUTH_SLUG,
        YOUTH_TEXTS,
        university,
        audience="Personal técnico y responsables políticos de juventud de ciudades miembro",
        hours=Decimal(30),
        credits=Decimal(3),
        level=Course.Level.INTRODUCTORY,
    )
    youth.logo.save("aice-logo.png", ContentFile(_png((0, 102, 153))), save=False)
    youth.signature.save("aice-signature.png", ContentFile(_signature()), save=True)
    gender = _course(
        aice,
        GENDER_SLUG,
        GENDER_TEXTS,
        university,
        audience="Equipos municipales de igualdad y de planificación",
        hours=Decimal(20),
        credits=Decimal(2),
        level=Course.Level.INTERMEDIATE,
    )
    youth_modules = _modules(youth, YOUTH_MODULES)
    _modules(gender, GENDER_MODULES)
    _materials(youth_modules, aice)
    assignment = Assignment.objects.create(
        module=youth_modules[2],
        titles={
            "es": "Proyecto con jóvenes de tu ciudad",
            "en": "A project with your city's youth",
        },
        instructions={
            "es": "Describe en dos páginas un proyecto con jóvenes: objetivo, actores y evaluación.",
            "en": "Describe in two pages a project with young people: aim, actors and review.",
        },
    )
    tutor = _user("Lucía Fernández", "es")
    Role.objects.get_or_create(user=tutor, kind=Role.Kind.EXPERT, network=None)
    run = CourseRun.objects.create(
        course=youth,
        name="Edición 2025 (ficticia)",
        starts_on=today - datetime.timedelta(days=60),
        ends_on=today - datetime.timedelta(days=5),
        mode=CourseRun.Mode.ONLINE,
        capacity=30,
        requires_approval=False,
        min_grade=Decimal(60),
        min_attendance=50,
    )
    run.tutors.add(tutor)
    CourseRun.objects.create(
        course=gender,
        name="Primera edición (ficticia)",
        starts_on=today + datetime.timedelta(days=30),
        ends_on=today + datetime.timedelta(days=90),
        capacity=25,
        requires_approval=True,
    )
    session = LiveSession.objects.create(
        run=run,
        title="Sesión en directo: consejos juveniles",
        starts_at=timezone.now() - datetime.timedelta(days=30),
        url="https://meet.demo.municipia.example/aula-virtual",
    )
    enrolments = [
        enrol(run, user=_user(name, language), language=language) for name, language in PARTICIPANTS
    ]
    # The first participant did everything; the second is halfway through.
    done = enrolments[0]
    for module in youth_modules:
        mark_module_done(done, module, by=done.user)
    mark_module_done(enrolments[1], youth_modules[0], by=enrolments[1].user)
    record_attendance(session, [done.pk, enrolments[1].pk], by=tutor)
    submission = submit_assignment(done, assignment, by=done.user, uploaded=_pdf_work())
    grade_submission(
        submission,
        by=tutor,
        grade=Decimal(88),
        feedback="Un proyecto claro, con una evaluación bien pensada.",
    )
    thread = start_thread(
        run,
        by=enrolments[1].user,
        title="¿Alguna ciudad tiene consejo juvenil con presupuesto propio?",
        body="En mi ciudad estamos preparando uno y buscamos ejemplos.",
    )
    reply(thread, by=tutor, body="Sí: revisad la experiencia enlazada en el módulo 2.")
    issue_certificate(done, by=staff)
    stdout.write("  classroom: 2 courses, 1 run with 5 participants, 1 certificate")
