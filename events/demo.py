"""Demo agenda of the learning city Lindeveld: about 150 events around today, organised by the demo partners.

One-off workshops, weekly courses with a holiday break, all-day open days, a multi-day summer school, online
sessions, a cancelled event and a series with one cancelled date. Dates are relative to the day the demo is
loaded. Events organised by a partner live under that partner's page (so a partner editor can keep them up to
date); the municipality's own events live under the agenda. Fictional throughout. Idempotent: an event whose
page (parent and slug) exists is left alone.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from decimal import Decimal

from django.db.models.signals import post_delete
from django.utils import timezone
from wagtail.signals import page_published, page_unpublished

from learningcity.demo import feature_on_home
from learningcity.demo_tools import DemoReport, collect_strings, get_or_create_page, text, translate
from learningcity.models import HomePage, SDGTarget
from partners.models import Language, PartnerPage

from . import signals
from .indexing import build_occurrences
from .models import (
    AttendanceMode,
    AudienceGroup,
    EventExcludedDate,
    EventIndexPage,
    EventOccurrenceException,
    EventPage,
    EventStatus,
    Frequency,
    Theme,
)

AGENDA = {
    "title": text("Agenda", "Events", "Agenda"),
    "intro": text(
        "Workshops, cursussen, taalcafés en open dagen van de partners van de lerende stad.",
        "Workshops, courses, language cafés and open days by the learning city's partners.",
        "Ateliers, cours, cafés linguistiques et journées portes ouvertes des partenaires de la ville apprenante.",
    ),
}


@dataclass
class Topic:
    """What a group of demo events has in common; ``dates`` is filled in by the plan below."""

    slug: str
    title: dict[str, str]
    summary: dict[str, str]
    themes: tuple[str, ...] = ()
    audience: tuple[str, ...] = ()
    ages: tuple[int | None, int | None] = (None, None)
    languages: tuple[str, ...] = ("nl",)
    sdg: tuple[str, ...] = ("4.6",)
    hours: tuple[time, time] | None = (time(19, 0), time(21, 0))
    price: Decimal | None = None
    registration: bool = False
    online: bool = False
    extra: dict = field(default_factory=dict)


STEM_TOPICS = [
    Topic(
        "robots-bouwen",
        text("STEM-workshop: robots bouwen", "STEM workshop: building robots", "Atelier STEM : construire des robots"),
        text(
            "Bouw en programmeer je eigen kleine robot. Alle materiaal is aanwezig.",
            "Build and program your own small robot. All materials are provided.",
            "Construis et programme ton propre petit robot. Tout le matériel est fourni.",
        ),
        themes=("stem",),
        audience=("children",),
        ages=(9, 12),
        sdg=("4.1", "4.4"),
        hours=(time(14, 0), time(16, 30)),
        registration=True,
    ),
    Topic(
        "programmeren-scratch",
        text("Programmeren met Scratch", "Coding with Scratch", "Programmer avec Scratch"),
        text(
            "Maak een eigen spel en leer de basis van programmeren.",
            "Make your own game and learn the basics of coding.",
            "Crée ton propre jeu et apprends les bases de la programmation.",
        ),
        themes=("stem", "digital-skills"),
        audience=("children",),
        ages=(8, 12),
        sdg=("4.4",),
        hours=(time(13, 30), time(15, 30)),
        registration=True,
    ),
    Topic(
        "proefjes-lab",
        text("Proefjes in het lab", "Experiments in the lab", "Expériences au labo"),
        text(
            "Jonge onderzoekers doen proefjes met water, licht en lucht.",
            "Young researchers experiment with water, light and air.",
            "De jeunes chercheurs expérimentent avec l'eau, la lumière et l'air.",
        ),
        themes=("stem",),
        audience=("children",),
        ages=(6, 10),
        sdg=("4.1",),
        hours=(time(10, 0), time(12, 0)),
    ),
    Topic(
        "zonnepanelen-solderen",
        text("Solderen voor beginners", "Soldering for beginners", "Soudure pour débutants"),
        text(
            "Soldeer een lampje op zonne-energie en neem het mee naar huis.",
            "Solder a solar-powered lamp and take it home.",
            "Soude une lampe solaire et emporte-la chez toi.",
        ),
        themes=("stem", "sustainability"),
        audience=("teens",),
        ages=(12, 18),
        sdg=("4.4", "4.7"),
        hours=(time(14, 0), time(17, 0)),
        price=Decimal("5.00"),
        registration=True,
    ),
    Topic(
        "drones-techniek",
        text("Techniekdag: drones", "Technology day: drones", "Journée technique : les drones"),
        text(
            "Ontdek hoe drones vliegen en stuur er zelf een door het parcours.",
            "Find out how drones fly and steer one through the course yourself.",
            "Découvre comment volent les drones et pilote-en un sur le parcours.",
        ),
        themes=("stem",),
        audience=("teens",),
        ages=(12, 16),
        sdg=("4.4",),
        hours=(time(9, 30), time(15, 30)),
        registration=True,
    ),
    Topic(
        "meisjes-in-techniek",
        text("Meisjes in techniek", "Girls in technology", "Les filles et la technique"),
        text(
            "Een middag vol techniek, met ingenieurs die over hun werk vertellen.",
            "An afternoon of technology, with engineers talking about their work.",
            "Un après-midi de technique, avec des ingénieures qui parlent de leur métier.",
        ),
        themes=("stem", "work"),
        audience=("teens",),
        ages=(10, 16),
        sdg=("4.4", "4.5"),
        hours=(time(13, 0), time(16, 0)),
    ),
]
READING = Topic(
    "boekenclub",
    text("Boekenclub", "Book club", "Club de lecture"),
    text(
        "We bespreken samen een boek bij een kopje koffie. Nieuwe lezers zijn welkom.",
        "We discuss a book together over a cup of coffee. New readers are welcome.",
        "Nous discutons d'un livre autour d'un café. Les nouveaux lecteurs sont les bienvenus.",
    ),
    themes=("reading",),
    audience=("adults", "seniors"),
    ages=(16, None),
    hours=(time(19, 30), time(21, 0)),
)
READING_HOUR = Topic(
    "voorleesuurtje",
    text("Voorleesuurtje", "Story time", "L'heure du conte"),
    text(
        "Elke woensdag lezen we voor uit prentenboeken, voor peuters en kleuters met hun ouders.",
        "Every Wednesday we read picture books aloud, for toddlers and pre-schoolers with their parents.",
        "Chaque mercredi, nous lisons des albums à voix haute pour les tout-petits et leurs parents.",
    ),
    themes=("reading", "parenting"),
    audience=("children", "parents"),
    ages=(2, 6),
    sdg=("4.2",),
    hours=(time(14, 0), time(15, 0)),
)
WRITERS_EVENING = Topic(
    "schrijversavond",
    text("Schrijversavond", "An evening with a writer", "Soirée avec un écrivain"),
    text(
        "Een schrijver leest voor uit nieuw werk en gaat in gesprek met het publiek.",
        "A writer reads from new work and talks with the audience.",
        "Un écrivain lit des extraits de son nouveau livre et échange avec le public.",
    ),
    themes=("reading", "arts-culture"),
    audience=("adults",),
    ages=(16, None),
    hours=(time(20, 0), time(22, 0)),
    price=Decimal("6.00"),
    extra={"price_note": "Gratis met een bibliotheekabonnement"},
)
LANGUAGE_CAFE = Topic(
    "taalcafe",
    text("Taalcafé Nederlands", "Dutch language café", "Café linguistique néerlandais"),
    text(
        "Oefen Nederlands in een ontspannen gesprek met vrijwilligers. Elk niveau is welkom.",
        "Practise Dutch in a relaxed conversation with volunteers. Every level is welcome.",
        "Pratiquez le néerlandais dans une conversation détendue avec des bénévoles. Tous niveaux bienvenus.",
    ),
    themes=("languages",),
    audience=("adults", "newcomers"),
    ages=(16, None),
    languages=("nl", "en", "fr", "ar", "uk"),
    hours=(time(18, 30), time(20, 0)),
)
FRENCH_CAFE = Topic(
    "taalcafe-frans",
    text("Taalcafé Frans", "French language café", "Café linguistique français"),
    text(
        "Praat Frans met andere cursisten, online vanuit je eigen huiskamer.",
        "Speak French with other learners, online from your own living room.",
        "Parlez français avec d'autres apprenants, en ligne depuis votre salon.",
    ),
    themes=("languages",),
    audience=("adults",),
    ages=(16, None),
    languages=("fr", "nl"),
    hours=(time(20, 0), time(21, 0)),
    online=True,
)
NT2_BEGINNERS_PREREQUISITES = text(
    "Je kunt lezen en schrijven in een andere taal.",
    "You can read and write in another language.",
    "Vous savez lire et écrire dans une autre langue.",
)
NT2_ADVANCED_PREREQUISITES = text(
    "Niveau A2, of een test bij de start.",
    "Level A2, or a test at the start.",
    "Niveau A2, ou un test au début.",
)

COURSES = [
    Topic(
        "nt2-beginners",
        text(
            "Nederlands als tweede taal: beginners",
            "Dutch as a second language: beginners",
            "Néerlandais langue seconde : débutants",
        ),
        text(
            "Wekelijkse les Nederlands voor wie net begint. Met een attest op het einde.",
            "A weekly Dutch class for absolute beginners. With a certificate at the end.",
            "Un cours hebdomadaire de néerlandais pour grands débutants. Avec une attestation à la fin.",
        ),
        themes=("languages",),
        audience=("adults", "newcomers"),
        ages=(18, None),
        languages=("nl", "en", "ar", "uk"),
        sdg=("4.6", "10.2"),
        hours=(time(9, 0), time(12, 0)),
        price=Decimal("60.00"),
        registration=True,
        extra={
            "course_level": "A1",
            "certificate": "Attest van deelname",
            "session_count": 20,
            "total_hours": Decimal("60"),
            "funding": "training-vouchers",
            "capacity": 14,
            "prerequisites": NT2_BEGINNERS_PREREQUISITES["nl"],
        },
    ),
    Topic(
        "nt2-gevorderden",
        text(
            "Nederlands als tweede taal: gevorderden",
            "Dutch as a second language: advanced",
            "Néerlandais langue seconde : avancés",
        ),
        text(
            "Verder met Nederlands: gesprekken, brieven en het nieuws.",
            "Further Dutch: conversations, letters and the news.",
            "Aller plus loin en néerlandais : conversations, courriers et actualités.",
        ),
        themes=("languages",),
        audience=("adults", "newcomers"),
        ages=(18, None),
        sdg=("4.6", "10.2"),
        hours=(time(18, 30), time(21, 30)),
        price=Decimal("60.00"),
        registration=True,
        extra={
            "course_level": "B1",
            "session_count": 20,
            "total_hours": Decimal("60"),
            "funding": "training-vouchers",
            "capacity": 14,
            "prerequisites": NT2_ADVANCED_PREREQUISITES["nl"],
        },
    ),
    Topic(
        "digitale-basis",
        text("Digitale basisvaardigheden", "Basic digital skills", "Compétences numériques de base"),
        text(
            "Leer mailen, veilig internetten en werken met de apps van de overheid.",
            "Learn to e-mail, browse safely and use government apps.",
            "Apprenez à envoyer des courriels, à surfer en sécurité et à utiliser les applications publiques.",
        ),
        themes=("digital-skills",),
        audience=("adults", "seniors"),
        ages=(18, None),
        sdg=("4.4", "4.6"),
        hours=(time(13, 30), time(16, 0)),
        price=Decimal("25.00"),
        registration=True,
        extra={"course_level": "beginner", "session_count": 10, "total_hours": Decimal("25"), "capacity": 10},
    ),
    Topic(
        "engels-a1",
        text("Engels voor beginners", "English for beginners", "Anglais pour débutants"),
        text(
            "Een rustige start met Engels voor op reis en op het werk.",
            "A gentle start in English for travel and work.",
            "Un démarrage en douceur en anglais pour les voyages et le travail.",
        ),
        themes=("languages",),
        audience=("adults",),
        ages=(18, None),
        hours=(time(19, 0), time(21, 30)),
        price=Decimal("80.00"),
        registration=True,
        extra={
            "course_level": "A1",
            "session_count": 20,
            "total_hours": Decimal("50"),
            "funding": "training-leave",
            "capacity": 16,
        },
    ),
    Topic(
        "tekenen-schilderen",
        text("Tekenen en schilderen", "Drawing and painting", "Dessin et peinture"),
        text(
            "Wekelijkse les in het atelier van de kunstacademie.",
            "A weekly class in the arts academy's studio.",
            "Un cours hebdomadaire dans l'atelier de l'académie des arts.",
        ),
        themes=("arts-culture",),
        audience=("children", "teens"),
        ages=(8, 17),
        sdg=("4.7",),
        hours=(time(16, 30), time(18, 0)),
        price=Decimal("45.00"),
        registration=True,
    ),
    Topic(
        "computer-senioren",
        text("Computerles voor senioren", "Computer class for seniors", "Cours d'informatique pour seniors"),
        text(
            "Tien lessen op het eigen tempo: tablet, foto's en videobellen met de kleinkinderen.",
            "Ten lessons at your own pace: tablets, photos and video calls with the grandchildren.",
            "Dix leçons à votre rythme : tablette, photos et appels vidéo avec les petits-enfants.",
        ),
        themes=("digital-skills",),
        audience=("seniors",),
        ages=(60, None),
        sdg=("4.6",),
        hours=(time(10, 0), time(12, 0)),
        registration=True,
    ),
]
OPEN_DAY = Topic(
    "opendeurdag",
    text("Opendeurdag", "Open day", "Journée portes ouvertes"),
    text(
        "Kom kijken in de klassen, maak kennis met de leerkrachten en stel al je vragen.",
        "Come and see the classrooms, meet the teachers and ask all your questions.",
        "Venez visiter les classes, rencontrer les enseignants et poser toutes vos questions.",
    ),
    themes=("teaching",),
    audience=("parents", "children"),
    sdg=("4.1", "4.a"),
    hours=None,
)
SUMMER_SCHOOL = Topic(
    "zomerschool",
    text(
        "Zomerschool wetenschap en techniek",
        "Science and technology summer school",
        "École d'été sciences et techniques",
    ),
    text(
        "Vijf dagen experimenteren, bouwen en onderzoeken op de campus van de hogeschool.",
        "Five days of experimenting, building and research on the university college campus.",
        "Cinq jours d'expériences, de construction et de recherche sur le campus de la haute école.",
    ),
    themes=("stem",),
    audience=("teens",),
    ages=(12, 15),
    sdg=("4.4", "4.5"),
    hours=None,
    price=Decimal("95.00"),
    registration=True,
    extra={"price_note": "Halve prijs met een UiTPAS met kansentarief"},
)
PARENT_EVENING = Topic(
    "ouderavond",
    text("Ouderavond", "Parent evening", "Soirée des parents"),
    text(
        "Een avond voor ouders over het schooljaar, huiswerk en samen leren thuis.",
        "An evening for parents about the school year, homework and learning together at home.",
        "Une soirée pour les parents sur l'année scolaire, les devoirs et apprendre ensemble à la maison.",
    ),
    themes=("parenting", "teaching"),
    audience=("parents",),
    languages=("nl", "fr"),
    sdg=("4.1", "4.2"),
    hours=(time(19, 30), time(21, 0)),
)
SCREEN_TIME = Topic(
    "webinar-schermtijd",
    text(
        "Webinar: kinderen en schermtijd", "Webinar: children and screen time", "Webinaire : les enfants et les écrans"
    ),
    text(
        "Een pedagoge geeft tips over gamen, sociale media en slapen. Stel je vragen in de chat.",
        "An educationalist gives tips on gaming, social media and sleep. Ask your questions in the chat.",
        "Une pédagogue donne des conseils sur les jeux, les réseaux sociaux et le sommeil. Posez vos questions dans le chat.",
    ),
    themes=("parenting", "digital-skills", "health"),
    audience=("parents",),
    sdg=("4.2",),
    hours=(time(20, 0), time(21, 0)),
    online=True,
)
STUDY_DAY = Topic(
    "studiedag-leerkrachten",
    text(
        "Studiedag voor leerkrachten: wereldburgerschap",
        "Teachers' study day: global citizenship",
        "Journée d'étude des enseignants : citoyenneté mondiale",
    ),
    text(
        "Werkvormen en materiaal voor educatie voor duurzame ontwikkeling en wereldburgerschap in de klas.",
        "Methods and materials for education for sustainable development and global citizenship in the classroom.",
        "Méthodes et supports pour l'éducation au développement durable et à la citoyenneté mondiale en classe.",
    ),
    themes=("teaching", "citizenship", "sustainability"),
    audience=("teachers",),
    sdg=("4.7", "4.c"),
    hours=(time(9, 0), time(16, 0)),
    registration=True,
)
JOB_WORKSHOP = Topic(
    "sollicitatietraining",
    text("Workshop solliciteren", "Job application workshop", "Atelier candidature"),
    text(
        "Schrijf een sterke cv en oefen een sollicitatiegesprek met een coach.",
        "Write a strong CV and practise a job interview with a coach.",
        "Rédigez un CV percutant et entraînez-vous à l'entretien avec un coach.",
    ),
    themes=("work",),
    audience=("job-seekers", "adults"),
    ages=(18, None),
    languages=("nl", "en", "fr"),
    sdg=("4.4", "8.6"),
    hours=(time(9, 30), time(12, 0)),
    registration=True,
)
HERITAGE_WALK = Topic(
    "erfgoedwandeling",
    text(
        "Erfgoedwandeling door het oude centrum",
        "Heritage walk through the old centre",
        "Promenade patrimoniale dans le vieux centre",
    ),
    text(
        "Een gids vertelt over de geschiedenis van de straten, de markt en de oude lindeboom.",
        "A guide tells the story of the streets, the market and the old lime tree.",
        "Un guide raconte l'histoire des rues, du marché et du vieux tilleul.",
    ),
    themes=("heritage",),
    audience=("adults", "seniors"),
    languages=("nl", "fr", "en"),
    sdg=("11.4",),
    hours=(time(14, 0), time(16, 0)),
    price=Decimal("3.00"),
)
REPAIR_CAFE = Topic(
    "repaircafe",
    text("Repair Café", "Repair café", "Repair café"),
    text(
        "Breng een kapot toestel of kledingstuk mee en leer samen met vrijwilligers hoe je het herstelt.",
        "Bring a broken appliance or garment and learn with volunteers how to repair it.",
        "Apportez un appareil ou un vêtement abîmé et apprenez avec des bénévoles à le réparer.",
    ),
    themes=("sustainability",),
    audience=("adults", "seniors", "teens"),
    sdg=("4.7", "11.6"),
    hours=(time(13, 0), time(17, 0)),
)
HOMEWORK_CLUB = Topic(
    "huiswerkklas",
    text("Huiswerkklas", "Homework club", "École des devoirs"),
    text(
        "Vrijwilligers helpen kinderen na school met hun huiswerk en met lezen.",
        "Volunteers help children with their homework and reading after school.",
        "Des bénévoles aident les enfants à faire leurs devoirs et à lire après l'école.",
    ),
    themes=("reading", "teaching"),
    audience=("children",),
    ages=(6, 14),
    languages=("nl", "fr", "ar", "tr"),
    sdg=("4.1", "10.2"),
    hours=(time(16, 0), time(17, 30)),
)
DIGICAFE = Topic(
    "digicafe",
    text("Digicafé", "Digital help café", "Café numérique"),
    text(
        "Loop binnen met je vragen over je smartphone, laptop of de apps van de bank.",
        "Drop in with your questions about your smartphone, laptop or banking apps.",
        "Passez avec vos questions sur votre smartphone, votre ordinateur ou les applications bancaires.",
    ),
    themes=("digital-skills",),
    audience=("seniors", "adults"),
    sdg=("4.4",),
    hours=(time(10, 0), time(12, 0)),
)
MUSEUM_FAMILY = Topic(
    "museumatelier-gezinnen",
    text("Museumatelier voor gezinnen", "Museum workshop for families", "Atelier au musée pour les familles"),
    text(
        "Ontdek samen de collectie en maak daarna je eigen kunstwerk in het atelier.",
        "Discover the collection together, then make your own artwork in the studio.",
        "Découvrez ensemble la collection, puis créez votre propre œuvre à l'atelier.",
    ),
    themes=("arts-culture", "heritage", "parenting"),
    audience=("children", "parents"),
    ages=(4, 12),
    sdg=("4.7", "11.4"),
    hours=(time(14, 0), time(16, 0)),
    price=Decimal("4.00"),
)
SWIMMING = Topic(
    "zwemles-volwassenen",
    text("Zwemles voor volwassenen", "Swimming lessons for adults", "Cours de natation pour adultes"),
    text(
        "Leer zwemmen in kleine groepen, in het ondiepe bad en op je eigen tempo.",
        "Learn to swim in small groups, in the shallow pool and at your own pace.",
        "Apprenez à nager en petits groupes, dans le petit bassin et à votre rythme.",
    ),
    themes=("health",),
    audience=("adults",),
    ages=(18, None),
    sdg=("3.4",),
    hours=(time(19, 0), time(20, 0)),
    price=Decimal("40.00"),
    registration=True,
)
COMPANY_VISIT = Topic(
    "bedrijfsbezoek",
    text(
        "Bedrijfsbezoek: werken in de techniek",
        "Company visit: working in technology",
        "Visite d'entreprise : travailler dans la technique",
    ),
    text(
        "Kijk mee in de werkplaats en praat met jonge vakmensen over hun opleiding.",
        "Look around the workshop and talk to young professionals about their training.",
        "Visitez l'atelier et discutez avec de jeunes professionnels de leur formation.",
    ),
    themes=("work", "stem"),
    audience=("teens", "job-seekers"),
    ages=(14, None),
    sdg=("4.4", "8.6"),
    hours=(time(13, 30), time(16, 0)),
    registration=True,
)
CITY_EVENTS = [
    Topic(
        "week-van-de-lerende-stad",
        text(
            "Opening Week van de lerende stad",
            "Opening of Learning City Week",
            "Ouverture de la semaine de la ville apprenante",
        ),
        text(
            "De burgemeester opent een week vol workshops, rondleidingen en open lessen in heel Lindeveld.",
            "The mayor opens a week of workshops, tours and open lessons across Lindeveld.",
            "Le bourgmestre ouvre une semaine d'ateliers, de visites et de cours ouverts dans tout Lindeveld.",
        ),
        themes=("citizenship",),
        audience=("adults", "parents", "seniors"),
        languages=("nl", "fr", "en"),
        sdg=("4.6", "11.3"),
        hours=(time(17, 0), time(19, 0)),
    ),
    Topic(
        "congres-leren-in-de-streek",
        text("Congres Leren in de Streek", "Learning in the Region conference", "Congrès Apprendre dans la région"),
        text(
            "Partners van de Lindestreek delen wat werkt in het leerecosysteem, met een keuze uit twaalf sessies.",
            "Partners of the Lindestreek share what works in the learning ecosystem, with twelve sessions to choose from.",
            "Les partenaires de la Lindestreek partagent ce qui fonctionne dans l'écosystème d'apprentissage, avec douze sessions au choix.",
        ),
        themes=("teaching", "citizenship"),
        audience=("teachers", "adults"),
        languages=("nl", "en"),
        sdg=("4.7", "11.a", "17.17"),
        hours=(time(9, 0), time(17, 0)),
        price=Decimal("35.00"),
        registration=True,
    ),
    Topic(
        "infomarkt-leren",
        text(
            "Infomarkt leven lang leren",
            "Lifelong learning information fair",
            "Salon de l'apprentissage tout au long de la vie",
        ),
        text(
            "Alle aanbieders van cursussen en opleidingen onder één dak, met advies op maat.",
            "Every provider of courses and training under one roof, with personal advice.",
            "Tous les organismes de cours et de formation sous un même toit, avec des conseils personnalisés.",
        ),
        themes=("work", "languages", "digital-skills"),
        audience=("adults", "job-seekers", "newcomers"),
        languages=("nl", "fr", "en", "ar"),
        sdg=("4.3", "4.4"),
        hours=(time(13, 0), time(18, 0)),
    ),
    Topic(
        "klimaatavond",
        text("Klimaatavond in het stadhuis", "Climate evening at the town hall", "Soirée climat à l'hôtel de ville"),
        text(
            "Inwoners, scholen en bedrijven bespreken samen hoe Lindeveld duurzamer kan leren en leven.",
            "Residents, schools and businesses discuss how Lindeveld can learn and live more sustainably.",
            "Habitants, écoles et entreprises discutent de la manière dont Lindeveld peut apprendre et vivre plus durablement.",
        ),
        themes=("sustainability", "citizenship"),
        audience=("adults",),
        sdg=("11.6", "4.7"),
        hours=(time(19, 30), time(22, 0)),
        registration=True,
    ),
]
CANCELLED_REASON = text(
    "De spreker is ziek; een nieuwe datum volgt.",
    "The speaker is ill; a new date will follow.",
    "L'intervenant est malade ; une nouvelle date suivra.",
)
CLOSED_REASON = text(
    "De bibliotheek is gesloten voor een verbouwing.",
    "The library is closed for renovation.",
    "La bibliothèque est fermée pour travaux.",
)
BOOK_CLUB_NOTE = text(
    "Gratis met een bibliotheekabonnement",
    "Free with a library card",
    "Gratuit avec une carte de bibliothèque",
)
SUMMER_SCHOOL_NOTE = text(
    "Halve prijs met een UiTPAS met kansentarief",
    "Half price with a reduced-rate UiTPAS",
    "Demi-tarif avec un UiTPAS à tarif réduit",
)
COURSE_CERTIFICATE = text("Attest van deelname", "Certificate of attendance", "Attestation de participation")

STEM_ORGANISERS = ["LDV-SO-002", "LDV-HO-001", "LDV-BED-001", "BKD-BED-001", "HDM-SO-001", "LDV-OZ-001"]
LIBRARIES = ["LDV-BIB-001", "BKD-BIB-001", "HDM-BIB-001"]
CAFE_HOSTS = ["LDV-BIB-001", "LDV-BH-001", "BKD-BH-001", "HDM-BIB-001", "LDV-BH-002"]
SCHOOLS = [
    "LDV-BS-001",
    "LDV-BS-002",
    "LDV-BS-003",
    "LDV-SO-001",
    "LDV-SO-002",
    "LDV-HO-001",
    "LDV-DKO-001",
    "LDV-BUO-001",
    "BKD-BS-001",
    "BKD-BS-002",
    "BKD-SO-001",
    "HDM-BS-001",
    "HDM-BS-002",
    "HDM-SO-001",
]
PRIMARY_AND_CARE = [
    "LDV-BS-001",
    "LDV-BS-002",
    "LDV-BS-003",
    "LDV-BUO-001",
    "BKD-BS-001",
    "BKD-BS-002",
    "HDM-BS-001",
    "HDM-BS-002",
    "LDV-KO-001",
    "LDV-KO-002",
    "BKD-KO-001",
    "HDM-KO-001",
]


@dataclass
class Plan:
    """One demo event: its topic, organiser, where it lives and its schedule fields."""

    topic: Topic
    slug: str
    organiser: str
    under_partner: bool = True
    schedule: dict = field(default_factory=dict)
    excluded: list[tuple[date, date]] = field(default_factory=list)
    cancelled_dates: list[date] = field(default_factory=list)
    places_left: dict[date, int] = field(default_factory=dict)  # the places left on some dates
    status: str = EventStatus.SCHEDULED
    reason: dict[str, str] | None = None


FEATURED_EVENTS = ["taalcafe-1", "zomerschool-1"]


def weekday_on_or_after(day: date, weekday: int) -> date:
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def plan_events(today: date) -> list[Plan]:
    """The demo's events, with dates relative to ``today`` (deterministic for a given day)."""
    plans: list[Plan] = []

    def one_off(topic, organiser, days, n, **kwargs):
        plans.append(
            Plan(topic, f"{topic.slug}-{n}", organiser, schedule={"start_date": today + timedelta(days)}, **kwargs)
        )

    # STEM workshops: six topics, five dates each, rotating over the STEM partners.
    for t, topic in enumerate(STEM_TOPICS):
        for n in range(5):
            one_off(topic, STEM_ORGANISERS[(t + n) % len(STEM_ORGANISERS)], -20 + 11 * n + 3 * t, n + 1)
    # Libraries: a weekly story time with a holiday break, a monthly book club, writers' evenings.
    for n, library in enumerate(LIBRARIES, 1):
        start = weekday_on_or_after(today - timedelta(days=28), 2)
        plans.append(
            Plan(
                READING_HOUR,
                f"voorleesuurtje-{n}",
                library,
                schedule={"start_date": start, "frequency": Frequency.WEEKLY, "weekdays": [2], "count": 20},
                excluded=[(start + timedelta(weeks=8), start + timedelta(weeks=9, days=6))],
            )
        )
        for k in range(3):
            one_off(READING, library, -10 + 30 * k + n, 3 * (n - 1) + k + 1)
        one_off(WRITERS_EVENING, library, 12 * n, n)
    # Language cafés: weekly, one with a cancelled date; a French café online.
    for n, host in enumerate(CAFE_HOSTS, 1):
        weekday = n % 5
        start = weekday_on_or_after(today - timedelta(days=35), weekday)
        plans.append(
            Plan(
                LANGUAGE_CAFE,
                f"taalcafe-{n}",
                host,
                schedule={
                    "start_date": start,
                    "frequency": Frequency.WEEKLY,
                    "weekdays": [weekday],
                    "until": start + timedelta(weeks=30),
                },
                excluded=[(start + timedelta(weeks=12), start + timedelta(weeks=13, days=6))],
                cancelled_dates=[start + timedelta(weeks=7)] if n == 1 else [],
            )
        )
    start = weekday_on_or_after(today - timedelta(days=14), 3)
    plans.append(
        Plan(
            FRENCH_CAFE,
            "taalcafe-frans-1",
            "LDV-VO-001",
            schedule={"start_date": start, "frequency": Frequency.WEEKLY, "weekdays": [3], "interval": 2, "count": 12},
        )
    )
    # Weekly courses with the autumn and Christmas holidays left out.
    for n, topic in enumerate(COURSES):
        organiser = "LDV-DKO-001" if topic.slug == "tekenen-schilderen" else "LDV-VO-001"
        weekday = n % 5
        start = weekday_on_or_after(today - timedelta(days=21 + 7 * n), weekday)
        series = {"start_date": start, "frequency": Frequency.WEEKLY, "weekdays": [weekday]}
        series.update({"count": 10} if topic.slug == "computer-senioren" else {"until": start + timedelta(weeks=24)})
        # The next two lessons of a course with a capacity: the first full, the second with a few places left.
        weeks = [week for week in range(n + 4, n + 8) if week not in (6, 14, 15)][:2]
        places = dict(zip((start + timedelta(weeks=week) for week in weeks), (0, 3), strict=True))
        plans.append(
            Plan(
                topic,
                f"{topic.slug}-1",
                organiser,
                schedule=series,
                excluded=[
                    (start + timedelta(weeks=6), start + timedelta(weeks=6, days=6)),
                    (start + timedelta(weeks=14), start + timedelta(weeks=15, days=6)),
                ],
                places_left=places if "capacity" in topic.extra else {},
            )
        )
    # All-day open days at the schools.
    for n, school in enumerate(SCHOOLS, 1):
        one_off(OPEN_DAY, school, 5 + 4 * n, n)
    # A five-day summer school and a three-day language camp.
    summer = weekday_on_or_after(today + timedelta(days=70), 0)
    plans.append(
        Plan(
            SUMMER_SCHOOL,
            "zomerschool-1",
            "LDV-HO-001",
            schedule={"start_date": summer, "end_date": summer + timedelta(4)},
        )
    )
    plans.append(
        Plan(
            SUMMER_SCHOOL,
            "zomerschool-2",
            "BKD-SO-001",
            schedule={"start_date": summer + timedelta(14), "end_date": summer + timedelta(16)},
        )
    )
    # Parent evenings: two per school and childcare centre; online screen-time webinars.
    for n, organiser in enumerate(PRIMARY_AND_CARE, 1):
        one_off(PARENT_EVENING, organiser, -30 + 5 * n, 2 * n - 1)
        one_off(PARENT_EVENING, organiser, 25 + 5 * n, 2 * n)
    for n, organiser in enumerate(["LDV-HVK-001", "BKD-HVK-001", "HDM-HVK-001", "LDV-HVK-001", "LDV-BIB-001"], 1):
        one_off(SCREEN_TIME, organiser, -7 + 14 * n, n)
    # Teachers' study days, job workshops, heritage walks, repair cafés.
    for n, organiser in enumerate(["LDV-HO-001", "LDV-NGO-001", "LDV-HO-001", "LDV-NGO-001", "LDV-OZ-001"], 1):
        one_off(STUDY_DAY, organiser, -45 + 21 * n, n)
    for n in range(1, 9):
        one_off(JOB_WORKSHOP, "LDV-WW-001", -14 + 7 * n, n)
    for n, organiser in enumerate(["LDV-MUS-001"] * 4 + ["LDV-GEM-001"] * 2, 1):
        one_off(HERITAGE_WALK, organiser, -3 + 9 * n, n)
    for n, organiser in enumerate(["LDV-NGO-001", "LDV-BH-002", "BKD-BH-001", "LDV-NGO-001", "LDV-BH-001"], 1):
        one_off(REPAIR_CAFE, organiser, 2 + 13 * n, n)
    # Weekly homework clubs and digital help cafés, a swimming course; family workshops, company visits.
    for n, host in enumerate(["LDV-BH-001", "LDV-BH-002", "BKD-BH-001", "HDM-BIB-001", "LDV-DKO-001"], 1):
        weekday = (n - 1) % 4
        start = weekday_on_or_after(today - timedelta(days=42), weekday)
        plans.append(
            Plan(
                HOMEWORK_CLUB if n < 5 else DIGICAFE,
                f"{'huiswerkklas' if n < 5 else 'digicafe'}-{n}",
                host if n < 5 else "LDV-BIB-001",
                schedule={"start_date": start, "frequency": Frequency.WEEKLY, "weekdays": [weekday], "count": 30},
                excluded=[(start + timedelta(weeks=9), start + timedelta(weeks=10, days=6))],
            )
        )
    for n, library in enumerate(LIBRARIES, 2):
        start = weekday_on_or_after(today - timedelta(days=10), 4)
        plans.append(
            Plan(
                DIGICAFE,
                f"digicafe-{n + 4}",
                library,
                schedule={
                    "start_date": start,
                    "frequency": Frequency.WEEKLY,
                    "weekdays": [4],
                    "interval": 2,
                    "count": 10,
                },
            )
        )
    start = weekday_on_or_after(today - timedelta(days=7), 1)
    plans.append(
        Plan(
            SWIMMING,
            "zwemles-volwassenen-1",
            "BKD-SP-001",
            schedule={"start_date": start, "frequency": Frequency.WEEKLY, "weekdays": [1], "count": 12},
        )
    )
    for n in range(1, 7):
        one_off(MUSEUM_FAMILY, "LDV-MUS-001", -6 + 8 * n, n)
    for n, company in enumerate(["LDV-BED-001", "BKD-BED-001", "LDV-BED-002", "LDV-BED-001", "BKD-BED-001"], 1):
        one_off(COMPANY_VISIT, company, 4 + 12 * n, n)
    # The municipality's own events, under the agenda.
    for n, topic in enumerate(CITY_EVENTS, 1):
        one_off(topic, "LDV-GEM-001", 10 * n, 1, under_partner=False)
    # A cancelled evening.
    plans[0].status = EventStatus.CANCELLED
    plans[0].reason = CANCELLED_REASON
    one_off(
        WRITERS_EVENING,
        "LDV-BIB-001",
        21,
        9,
        status=EventStatus.CANCELLED,
        reason=CLOSED_REASON,
    )
    return plans


def event_page(plan: Plan, partners: dict[str, PartnerPage], terms: dict) -> EventPage:
    topic = plan.topic
    organiser = partners[plan.organiser]
    fields = {
        "title": topic.title["nl"],
        "slug": plan.slug,
        "summary": topic.summary["nl"],
        "min_age": topic.ages[0],
        "max_age": topic.ages[1],
        "is_free": topic.price is None,
        "price": topic.price,
        "registration_required": topic.registration,
        "status": plan.status,
        "status_reason": plan.reason["nl"] if plan.reason else "",
        **plan.schedule,
        **topic.extra,
    }
    if topic.hours is None:
        fields["all_day"] = True
    else:
        fields["start_time"], fields["end_time"] = topic.hours
    if topic.registration:
        fields["registration_email"] = f"inschrijven@{plan.organiser.lower()}.example"
    if topic.online:
        fields.update(
            attendance_mode=AttendanceMode.ONLINE, online_url=f"https://meet.{plan.organiser.lower()}.example/"
        )
    else:
        fields["venue"] = organiser
    page = EventPage(**fields)
    page.organisers = [organiser]
    page.themes = [terms["themes"][code] for code in topic.themes]
    page.audience_groups = [terms["audience"][code] for code in topic.audience]
    page.languages = [terms["languages"][code] for code in topic.languages]
    page.sdg_targets = [terms["sdg"][code] for code in topic.sdg if code in terms["sdg"]]
    page.excluded_dates = [EventExcludedDate(first_day=first, last_day=last) for first, last in plan.excluded]
    page.occurrence_exceptions = [
        EventOccurrenceException(original_date=day, status=EventStatus.CANCELLED, reason=CANCELLED_REASON["nl"])
        for day in plan.cancelled_dates
    ] + [EventOccurrenceException(original_date=day, places_left=left) for day, left in plan.places_left.items()]
    return page


def topic_strings(topic: Topic) -> dict[str, dict[str, str]]:
    return collect_strings(
        topic.title,
        topic.summary,
        CANCELLED_REASON,
        CLOSED_REASON,
        BOOK_CLUB_NOTE,
        SUMMER_SCHOOL_NOTE,
        COURSE_CERTIFICATE,
        NT2_BEGINNERS_PREREQUISITES,
        NT2_ADVANCED_PREREQUISITES,
    )


@contextmanager
def occurrences_built_once(report: DemoReport) -> Iterator[None]:
    """Build the occurrence index once, in bulk, for the events this block creates.

    Each publication of an event (the Dutch page and each translation) would rebuild its occurrences on commit;
    for a few hundred new pages one ``build_occurrences`` at the end does the same work in a few queries.
    """
    created_before = len(report.created)
    for name, signal in (("published", page_published), ("unpublished", page_unpublished), ("deleted", post_delete)):
        signal.disconnect(sender=EventPage, dispatch_uid=f"occurrences-{name}")
    try:
        yield
    finally:
        signals.connect()
    if len(report.created) > created_before:
        build_occurrences()


def load(report: DemoReport, today: date | None = None) -> None:
    home = HomePage.objects.filter(slug="lindeveld", locale__language_code="nl").first()
    if home is None or not PartnerPage.objects.filter(locale=home.locale).exists():  # the partners demo is missing
        return
    agenda = get_or_create_page(
        home,
        EventIndexPage,
        "agenda",
        report,
        title=AGENDA["title"]["nl"],
        intro=f"<p>{AGENDA['intro']['nl']}</p>",
        show_in_menus=True,
    )
    translate(agenda, collect_strings(*AGENDA.values()), report)

    partners = {
        page.external_id: page for page in PartnerPage.objects.filter(locale=home.locale).exclude(external_id="")
    }
    terms = {
        "themes": {term.code: term for term in Theme.objects.all()},
        "audience": {term.code: term for term in AudienceGroup.objects.all()},
        "languages": {term.code: term for term in Language.objects.all()},
        "sdg": {term.code: term for term in SDGTarget.objects.all()},
    }
    existing = {
        page.url_path: page
        for page in EventPage.objects.filter(locale=home.locale).only("id", "url_path", "translation_key", "locale_id")
    }
    with occurrences_built_once(report):
        add_events(agenda, partners, terms, existing, today or timezone.localdate(), report)
    # A weekly language café (on every week) and the summer school among the home page's featured offers.
    featured = EventPage.objects.filter(locale=home.locale, slug__in=FEATURED_EVENTS)
    feature_on_home(sorted(featured, key=lambda page: FEATURED_EVENTS.index(page.slug)), report)


def add_events(agenda, partners, terms, existing, today: date, report: DemoReport) -> None:
    created = []
    for plan in report.counted(plan_events(today), "in Dutch"):
        parent = partners[plan.organiser] if plan.under_partner else agenda
        page = existing.get(f"{parent.url_path}{plan.slug}/")
        if page is None:
            page = event_page(plan, partners, terms)
            parent.add_child(instance=page)
            page.save_revision().publish()
            report.add(f"event: {page.title}")
        created.append((page, plan.topic))
    for page, topic in report.counted(created, "translated"):
        translate(page, topic_strings(topic), report)
