"""Demo communications of AICE: news in three languages (an interview with a mayor among them), a
newsletter sent in two languages (in the archive), the International Day of Educating Cities with
member cities' activities on the map, its kit, its declaration drafted in consultation and the
itinerary of the Association's travelling exhibition.

From the seeds (AICE's 2025 action plan): the International Day of the Educating City is
celebrated in member cities with a varied programme of activities; its declaration is drafted
participatively and read in public; the Association's exhibition travels between member cities;
the 18th congress meets in Granollers in 2026. Everything else (texts of the news, the interview,
the slogan, the activities, the dates of the exhibition) is fictional, and says so.
Idempotent: nothing is added once the campaign exists.
"""

import datetime

from django.core.files.base import ContentFile
from django.utils import timezone

from municipia.communications.models import (
    Campaign,
    CampaignActivity,
    CampaignMaterial,
    CampaignTranslation,
    ExhibitionStop,
    Issue,
    NewsPost,
    NewsTranslation,
)
from municipia.communications.services import newsletters
from municipia.directory.models import Membership, Network
from municipia.plans.models import Objective, Plan

CAMPAIGN_SLUG = "educating-city-day-2025"
FICTIONAL = {
    "en": "(Demo: fictional text.)",
    "es": "(Demostración: texto ficticio.)",
    "fr": "(Démo : texte fictif.)",
    "ca": "(Demostració: text fictici.)",
    "pt": "(Demonstração: texto fictício.)",
}

# (category, days ago, original language, {language: (title, summary, body)})
NEWS = [
    (
        NewsPost.Category.MAYOR_INTERVIEW,
        3,
        "es",
        {
            "es": (
                "Entrevista: la alcaldía de Granollers ante el XVIII Congreso",
                "La ciudad anfitriona del congreso de 2026 explica cómo prepara un encuentro sobre "
                "educación y cultura en la ciudad.",
                "<p>¿Qué espera Granollers del XVIII Congreso Internacional? «Que la educación y "
                "la cultura salgan a la calle», responde la alcaldía en esta entrevista ficticia "
                "de demostración.</p>",
            ),
            "en": (
                "Interview: Granollers city hall ahead of the 18th Congress",
                "The host city of the 2026 congress explains how it prepares a meeting on "
                "education and culture in the city.",
                "<p>What does Granollers expect from the 18th International Congress? “That "
                "education and culture take to the streets”, city hall answers in this fictional "
                "demo interview.</p>",
            ),
            "ca": (
                "Entrevista: l'alcaldia de Granollers davant del XVIII Congrés",
                "La ciutat amfitriona del congrés del 2026 explica com prepara una trobada sobre "
                "educació i cultura a la ciutat.",
                "<p>Què espera Granollers del XVIII Congrés Internacional? «Que l'educació i la "
                "cultura surtin al carrer», respon l'alcaldia en aquesta entrevista fictícia de "
                "demostració.</p>",
            ),
        },
    ),
    (
        NewsPost.Category.ANNOUNCEMENT,
        10,
        "fr",
        {
            "fr": (
                "Journée internationale de la ville éducatrice : inscrivez vos activités",
                "Les villes membres peuvent inscrire dès maintenant leurs activités du 30 "
                "novembre ; elles apparaîtront sur la carte de la campagne.",
                "<p>Chaque ville membre montre à ses habitants son engagement envers la Charte. "
                "Texte fictif de démonstration.</p>",
            ),
            "en": (
                "International Day of the Educating City: register your activities",
                "Member cities can now register their activities of 30 November; they appear on "
                "the campaign's map.",
                "<p>Each member city shows its residents its commitment to the Charter. Fictional "
                "demo text.</p>",
            ),
            "pt": (
                "Dia Internacional da Cidade Educadora: registe as suas atividades",
                "As cidades membro já podem registar as suas atividades de 30 de novembro; "
                "aparecem no mapa da campanha.",
                "<p>Cada cidade membro mostra aos seus habitantes o seu compromisso com a Carta. "
                "Texto fictício de demonstração.</p>",
            ),
        },
    ),
    (
        NewsPost.Category.MEMBER_STORY,
        20,
        "en",
        {
            "en": (
                "The Association's exhibition starts its journey",
                "The travelling exhibition of the Association visits member cities this autumn.",
                "<p>Its itinerary is on the campaign's page. Fictional demo text.</p>",
            ),
            "es": (
                "La exposición de la Asociación inicia su itinerancia",
                "La exposición itinerante de la Asociación visita ciudades miembro este otoño.",
                "<p>Su itinerario está en la página de la campaña. Texto ficticio de "
                "demostración.</p>",
            ),
        },
    ),
]

CAMPAIGN_TEXTS = {
    "es": (
        "Día Internacional de la Ciudad Educadora 2025",
        "La ciudad que educa, en cada calle (lema ficticio de demostración)",
        "Las ciudades asociadas celebran el Día Internacional con un variado programa de "
        "actividades para dar a conocer a la ciudadanía el compromiso del gobierno local con la "
        "Carta de Ciudades Educadoras.",
    ),
    "en": (
        "International Day of the Educating City 2025",
        "The city that educates, in every street (fictional demo slogan)",
        "Member cities celebrate the International Day with a varied programme of activities, to "
        "make known to their residents the local government's commitment to the Charter of "
        "Educating Cities.",
    ),
    "fr": (
        "Journée internationale de la ville éducatrice 2025",
        "La ville qui éduque, dans chaque rue (slogan fictif de démonstration)",
        "Les villes membres célèbrent la Journée internationale avec un programme varié "
        "d'activités pour faire connaître l'engagement de leur gouvernement local envers la "
        "Charte des villes éducatrices.",
    ),
    "ca": (
        "Dia Internacional de la Ciutat Educadora 2025",
        "La ciutat que educa, a cada carrer (lema fictici de demostració)",
        "Les ciutats associades celebren el Dia Internacional amb un programa variat "
        "d'activitats per donar a conèixer a la ciutadania el compromís del govern local amb la "
        "Carta de Ciutats Educadores.",
    ),
}
DECLARATION_ARTICLES = [
    "The city educates through its streets, its schools and its culture.",
    "Every resident, at every age, has a place to learn in the city.",
    "Local governments report each year on what they do under the Charter.",
]
# (city name, title, description): fictional activities of 30 November.
ACTIVITIES = [
    ("Barcelona", "Open schoolyards", "Schoolyards open to neighbours all day (fictional)."),
    ("Granollers", "Walk of the Charter", "A walk reading the Charter's principles (fictional)."),
    ("Lisbon", "Cidade educadora em festa", "Music and workshops in the squares (fictional)."),
    ("Rosario", "Ronda de diálogo", "Young people talk with the city council (fictional)."),
    ("Lyon", "Bibliothèques ouvertes", "Libraries open late with readings (fictional)."),
    ("Changwon", "Lifelong learning fair", "Stands of the city's learning centres (fictional)."),
]
# (city name, venue, first day offset, days open): fictional itinerary.
EXHIBITION = [
    ("Granollers", "Roca Umbert Fàbrica de les Arts", 0, 20),
    ("Barcelona", "Town hall lobby", 25, 14),
    ("Lisbon", "Paços do Concelho", 45, 21),
]
POSTER = b"%PDF-1.4\n% Demo poster of the International Day (fictional)\n%%EOF\n"


def _news(aice, now):
    for category, days_ago, original, texts in NEWS:
        post = NewsPost.objects.create(
            network=aice,
            category=category,
            original_language=original,
            status=NewsPost.Status.PUBLISHED,
            published_at=now - datetime.timedelta(days=days_ago),
        )
        for language, (title, summary, body) in texts.items():
            NewsTranslation.objects.create(
                post=post,
                language=language,
                origin=(
                    NewsTranslation.Origin.ORIGINAL
                    if language == original
                    else NewsTranslation.Origin.HUMAN
                ),
                title=title,
                summary=summary,
                body=body,
            )


def _campaign(aice, now):
    today = timezone.localdate()
    day = datetime.date(today.year, 11, 30)
    campaign = Campaign.objects.create(
        network=aice,
        slug=CAMPAIGN_SLUG,
        original_language="es",
        starts_on=day - datetime.timedelta(days=30),
        ends_on=day,
        is_published=True,
    )
    for language, (name, slogan, body) in CAMPAIGN_TEXTS.items():
        CampaignTranslation.objects.create(
            campaign=campaign,
            language=language,
            name=name,
            slogan=slogan,
            body=f"{body} {FICTIONAL[language]}",
        )
    members = {
        m.local_government.name: m.local_government
        for m in Membership.objects.active().filter(network=aice).select_related("local_government")
    }
    for city_name, title, description in ACTIVITIES:
        if city_name in members:
            CampaignActivity.objects.create(
                campaign=campaign,
                city=members[city_name],
                title=title,
                description=description,
                happens_on=day,
            )
    for offset, (city_name, venue, first, days) in enumerate(EXHIBITION):
        if city_name in members:
            opens = campaign.starts_on + datetime.timedelta(days=first + offset)
            ExhibitionStop.objects.create(
                campaign=campaign,
                venue=venue,
                city=members[city_name],
                opens_on=opens,
                closes_on=opens + datetime.timedelta(days=days),
            )
    poster = CampaignMaterial(
        campaign=campaign,
        kind=CampaignMaterial.Kind.POSTER,
        language="es",
        title="Cartel del Día Internacional (demostración)",
        original_name="cartel-dia-internacional.pdf",
        content_type="application/pdf",
        size=len(POSTER),
    )
    poster.file.save("demo-poster.pdf", ContentFile(POSTER), save=False)
    poster.save()
    # The declaration's draft, in consultation like a plan: one objective per article.
    draft = Plan.objects.create(
        title="Declaration of the International Day 2025 (draft)",
        slug=f"{CAMPAIGN_SLUG}-declaration",
        kind=Plan.Kind.STRATEGY,
        status=Plan.Status.CONSULTATION,
        network=aice,
        starts_on=campaign.starts_on,
        ends_on=campaign.ends_on,
        languages=["en"],
        consultation_opens_at=now - datetime.timedelta(days=5),
        consultation_closes_at=now + datetime.timedelta(days=20),
    )
    for position, article in enumerate(DECLARATION_ARTICLES):
        Objective.objects.create(plan=draft, title=article, position=position)
    campaign.declaration_draft = draft
    campaign.save(update_fields=["declaration_draft"])
    return campaign


def _newsletters(aice, now):
    """An issue sent in Spanish and one in English: what is new, as the archive shows them."""
    for language, subject in (
        ("es", "Novedades de AICE (demostración)"),
        ("en", "AICE news (demo)"),
    ):
        since = now - datetime.timedelta(days=30)
        Issue.objects.create(
            network=aice,
            language=language,
            subject=subject,
            introduction=FICTIONAL[language],
            items=newsletters.whats_new(aice, language, since),
            since=since,
            status=Issue.Status.SENT,
            sent_at=now - datetime.timedelta(days=1),
        )


def load(stdout) -> None:
    aice = Network.objects.filter(slug="aice").first()
    if aice is None or Campaign.objects.filter(slug=CAMPAIGN_SLUG).exists():
        return
    now = timezone.now()
    _news(aice, now)
    campaign = _campaign(aice, now)
    _newsletters(aice, now)
    stdout.write(
        f"Communications: {len(NEWS)} news posts, 2 newsletters sent, the campaign "
        f"“{campaign.name}” with {campaign.activities.count()} activities."
    )
