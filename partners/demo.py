"""Demo partners of the learning city Lindeveld and two neighbouring municipalities of the fictional Lindestreek.

Partners and child centres are written through the CSV importer (``partners.importexport``), so the demo also
shows what an import file holds. Fictional throughout: no real people, e-mail addresses (``.example``) or
telephone numbers. Idempotent: a page whose external id exists, a network or partnership whose title exists,
is left alone.
"""

import csv
import io
from datetime import date

from wagtail.models import Locale, Site

from learningcity.demo import feature_on_home
from learningcity.demo_tools import DemoReport, collect_strings, get_or_create_page, text, translate
from learningcity.models import HomePage, SDGTarget

from .importexport import CHILD_CENTRES, PARTNERS, PageSpec, import_csv
from .models import (
    ChildCentreIndexPage,
    ChildCentrePage,
    Municipality,
    Network,
    PartnerIndexPage,
    PartnerPage,
    Partnership,
    PartnershipParticipant,
)

REGION = "Lindestreek"
# Fictional codes (99xxx) and postcodes that belong to no real municipality.
MUNICIPALITIES = [("99001", "Lindeveld", "9999"), ("99002", "Beekdonk", "9998"), ("99003", "Heidemaar", "9997")]
TOWNS = {code: (name, postcode) for code, name, postcode in MUNICIPALITIES}
ORIGIN = {"99001": (51.2410, 5.1020), "99002": (51.2630, 5.1510), "99003": (51.2170, 5.0610)}

PARTNER_INDEX = {
    "title": text("Partners", "Partners", "Partenaires"),
    "intro": text(
        "Scholen, bibliotheken, buurthuizen, bedrijven en organisaties die samen leren mogelijk maken in de Lindestreek.",
        "Schools, libraries, community centres, companies and organisations that make learning possible together in the Lindestreek.",
        "Écoles, bibliothèques, maisons de quartier, entreprises et organisations qui rendent l'apprentissage possible ensemble dans la Lindestreek.",
    ),
}
CHILD_CENTRE_INDEX = {
    "title": text("Kindcentra", "Child centres", "Centres pour l'enfance"),
    "intro": text(
        "Opvang, onderwijs en zorg voor kinderen van 0 tot 12 jaar onder één dak.",
        "Childcare, education and care for children aged 0 to 12 under one roof.",
        "Accueil, enseignement et soins pour les enfants de 0 à 12 ans sous un même toit.",
    ),
}

NETWORKS = [
    {
        "slug": "scholenplatform-lindestreek",
        "name": text(
            "Scholenplatform Lindestreek", "Lindestreek school platform", "Plateforme scolaire de la Lindestreek"
        ),
        "description": text(
            "Scholen van drie gemeenten en alle onderwijsnetten werken samen aan gelijke onderwijskansen.",
            "Schools of three municipalities and all school boards work together on equal opportunities in education.",
            "Les écoles de trois communes et de tous les réseaux collaborent pour l'égalité des chances dans l'enseignement.",
        ),
    },
    {
        "slug": "stem-lindestreek",
        "name": text(
            "STEM-partnerschap Lindestreek", "Lindestreek STEM partnership", "Partenariat STEM de la Lindestreek"
        ),
        "description": text(
            "Overheid, ondernemers, onderwijs en onderzoek maken samen jongeren warm voor wetenschap en techniek.",
            "Government, business, education and research together get young people excited about science and technology.",
            "Pouvoirs publics, entreprises, enseignement et recherche donnent ensemble aux jeunes le goût des sciences et des techniques.",
        ),
    },
]

# Per kind: title, summary (with {name} and {town}), default sector, SDG targets, opening hours.
KINDS = {
    "primary-school": (
        text("Basisschool {name}", "{name} Primary School", "École primaire {name}"),
        text(
            "Kleuter- en lagere school in {town} voor kinderen van 2,5 tot 12 jaar.",
            "Pre-primary and primary school in {town} for children aged 2½ to 12.",
            "École maternelle et primaire à {town} pour les enfants de 2 ans et demi à 12 ans.",
        ),
        "education",
        "4.1; 4.2; 4.5",
        "ma-di 08:30-15:30; wo 08:30-12:00; do-vr 08:30-15:30",
    ),
    "secondary-school": (
        text("Secundaire school {name}", "{name} Secondary School", "École secondaire {name}"),
        text(
            "Secundair onderwijs in {town}: algemene, technische en beroepsrichtingen.",
            "Secondary education in {town}: general, technical and vocational courses.",
            "Enseignement secondaire à {town} : filières générales, techniques et professionnelles.",
        ),
        "education",
        "4.1; 4.4",
        "ma-vr 08:15-16:30",
    ),
    "higher-education": (
        text("Hogeschool {name}", "{name} University College", "Haute école {name}"),
        text(
            "Hoger onderwijs en lerarenopleiding in {town}.",
            "Higher education and teacher training in {town}.",
            "Enseignement supérieur et formation des enseignants à {town}.",
        ),
        "education",
        "4.3; 4.c",
        "ma-vr 08:00-18:00",
    ),
    "adult-education": (
        text("CVO {name}", "{name} Adult Education Centre", "Centre d'éducation des adultes {name}"),
        text(
            "Cursussen voor volwassenen in {town}: talen, Nederlands als tweede taal, digitale vaardigheden.",
            "Courses for adults in {town}: languages, Dutch as a second language, digital skills.",
            "Cours pour adultes à {town} : langues, néerlandais langue seconde, compétences numériques.",
        ),
        "education",
        "4.4; 4.6",
        "ma-do 09:00-21:30; vr 09:00-16:00",
    ),
    "arts-education": (
        text("Academie {name}", "{name} Academy of Arts", "Académie des arts {name}"),
        text(
            "Deeltijds kunstonderwijs in {town}: muziek, woord, dans en beeldende kunst.",
            "Part-time arts education in {town}: music, drama, dance and visual arts.",
            "Enseignement artistique à temps partiel à {town} : musique, théâtre, danse et arts plastiques.",
        ),
        "education",
        "4.7; 11.4",
        "ma-vr 13:00-21:00; za 09:00-13:00",
    ),
    "special-needs-education": (
        text(
            "School voor buitengewoon onderwijs {name}",
            "{name} Special Needs School",
            "École d'enseignement spécialisé {name}",
        ),
        text(
            "Onderwijs op maat voor kinderen en jongeren met specifieke noden in {town}.",
            "Tailored education for children and young people with special needs in {town}.",
            "Un enseignement adapté aux enfants et aux jeunes à besoins spécifiques à {town}.",
        ),
        "education",
        "4.5; 4.a",
        "ma-vr 08:30-15:30",
    ),
    "library": (
        text("Bibliotheek {name}", "{name} Library", "Bibliothèque {name}"),
        text(
            "De bibliotheek van {town}: boeken, taalcafés, digitale hulp en een plek om te leren.",
            "The library of {town}: books, language cafés, digital help and a place to learn.",
            "La bibliothèque de {town} : livres, cafés linguistiques, aide numérique et un lieu pour apprendre.",
        ),
        "government",
        "4.6; 11.7",
        "di-vr 10:00-18:00; za 10:00-13:00",
    ),
    "community-centre": (
        text("Buurthuis {name}", "{name} Community Centre", "Maison de quartier {name}"),
        text(
            "Ontmoeten, leren en samen dingen doen in {town}.",
            "Meeting, learning and doing things together in {town}.",
            "Se rencontrer, apprendre et faire ensemble à {town}.",
        ),
        "civil-society",
        "11.3; 4.7",
        "ma-vr 09:00-22:00",
    ),
    "museum": (
        text("Museum {name}", "{name} Museum", "Musée {name}"),
        text(
            "Erfgoed van {town} met educatieve programma's voor scholen en gezinnen.",
            "Heritage of {town} with learning programmes for schools and families.",
            "Le patrimoine de {town}, avec des programmes éducatifs pour les écoles et les familles.",
        ),
        "government",
        "11.4; 4.7",
        "di-zo 10:00-17:00",
    ),
    "sports-leisure": (
        text("Sportcentrum {name}", "{name} Sports Centre", "Centre sportif {name}"),
        text(
            "Sport, spel en zwemlessen voor alle leeftijden in {town}.",
            "Sports, play and swimming lessons for all ages in {town}.",
            "Sport, jeux et cours de natation pour tous les âges à {town}.",
        ),
        "government",
        "11.7; 4.a",
        "ma-vr 07:00-22:00; za-zo 09:00-18:00",
    ),
    "childcare": (
        text("Kinderopvang {name}", "{name} Childcare", "Accueil de l'enfance {name}"),
        text(
            "Opvang voor baby's, peuters en schoolkinderen in {town}.",
            "Care for babies, toddlers and school children in {town}.",
            "Accueil des bébés, des tout-petits et des écoliers à {town}.",
        ),
        "civil-society",
        "4.2; 10.2",
        "ma-vr 07:00-18:30",
    ),
    "welfare": (
        text("Huis van het Kind {name}", "{name} Family Centre", "Maison de l'enfant {name}"),
        text(
            "Opvoedingsondersteuning, consultaties en ontmoeting voor gezinnen in {town}.",
            "Parenting support, health checks and meeting places for families in {town}.",
            "Soutien à la parentalité, consultations et rencontres pour les familles à {town}.",
        ),
        "government",
        "4.2; 10.2",
        "ma-vr 09:00-17:00",
    ),
    "employment": (
        text("Werkwinkel {name}", "{name} Job Centre", "Maison de l'emploi {name}"),
        text(
            "Hulp bij werk zoeken, opleiding en loopbaan in {town}.",
            "Help with job seeking, training and careers in {town}.",
            "Aide à la recherche d'emploi, à la formation et à la carrière à {town}.",
        ),
        "government",
        "4.4; 8.6",
        "ma-vr 09:00-16:00",
    ),
    "business": (
        text("{name}", "{name}", "{name}"),
        text(
            "Bedrijf uit {town} dat stageplaatsen en technische workshops aanbiedt.",
            "A company from {town} offering work placements and technical workshops.",
            "Entreprise de {town} qui propose des stages et des ateliers techniques.",
        ),
        "business",
        "4.4; 9.5",
        "",
    ),
    "research": (
        text("Onderzoekscentrum {name}", "{name} Research Centre", "Centre de recherche {name}"),
        text(
            "Onderzoek naar leren en onderwijs, samen met de scholen van {town} en omgeving.",
            "Research on learning and education, with the schools of {town} and the area.",
            "Recherche sur l'apprentissage et l'enseignement, avec les écoles de {town} et des environs.",
        ),
        "research",
        "4.c; 4.7",
        "ma-vr 09:00-17:00",
    ),
    "ngo": (
        text("{name}", "{name}", "{name}"),
        text(
            "Organisatie uit {town} die scholen begeleidt bij wereldburgerschap en scholenbanden.",
            "An organisation from {town} that supports schools in global citizenship and school partnerships.",
            "Organisation de {town} qui accompagne les écoles dans la citoyenneté mondiale et les partenariats scolaires.",
        ),
        "civil-society",
        "4.7; 17.16",
        "ma-do 09:00-17:00",
    ),
    "municipality": (
        text("Gemeente {name}", "Municipality of {name}", "Commune de {name}"),
        text(
            "Het gemeentebestuur van {town}, regisseur van het lerende ecosysteem.",
            "The municipal council of {town}, director of the learning ecosystem.",
            "L'administration communale de {town}, chef d'orchestre de l'écosystème apprenant.",
        ),
        "government",
        "11.3; 4.7; 11.a",
        "ma-vr 08:30-12:30; do 14:00-19:00",
    ),
}

PLATFORM, STEM = "scholenplatform-lindestreek", "stem-lindestreek"
# external_id, kind, municipality code, name, extra cells (languages, accessibility, networks, aspnet…)
PARTNER_ROWS = [
    (
        "LDV-BS-001",
        "primary-school",
        "99001",
        "De Linde",
        {
            "aspnet": "yes",
            "aspnet_since": "2019",
            "networks": PLATFORM,
            "languages": "nl; fr; ar",
            "sdg_targets": "4.1; 4.2; 4.7",
        },
    ),
    ("LDV-BS-002", "primary-school", "99001", "Het Klimrek", {"networks": PLATFORM, "languages": "nl; tr"}),
    ("LDV-BS-003", "primary-school", "99001", "De Vlieger", {"networks": PLATFORM}),
    (
        "LDV-SO-001",
        "secondary-school",
        "99001",
        "Lindecollege",
        {"networks": f"{PLATFORM}; {STEM}", "languages": "nl; en"},
    ),
    ("LDV-SO-002", "secondary-school", "99001", "Technisch Instituut Lindeveld", {"networks": f"{PLATFORM}; {STEM}"}),
    ("LDV-HO-001", "higher-education", "99001", "Lindestreek", {"networks": STEM, "languages": "nl; en; fr"}),
    ("LDV-VO-001", "adult-education", "99001", "Lindestreek", {"languages": "nl; en; fr; ar; uk"}),
    ("LDV-DKO-001", "arts-education", "99001", "Lindeveld", {}),
    (
        "LDV-BUO-001",
        "special-needs-education",
        "99001",
        "De Wegwijzer",
        {"networks": PLATFORM, "accessibility": "step-free; accessible-toilet; low-stimulus; easy-read"},
    ),
    (
        "LDV-BIB-001",
        "library",
        "99001",
        "Lindeveld",
        {
            "languages": "nl; en; fr; ar; tr; uk",
            "accessibility": "step-free; accessible-toilet; induction-loop; easy-read; quiet-hours",
            "opening_exceptions": "2026-12-25 gesloten; 2026-12-31 10:00-13:00; 2027-01-01 gesloten",
        },
    ),
    ("LDV-BH-001", "community-centre", "99001", "De Kroon", {"languages": "nl; ar; tr; so"}),
    ("LDV-BH-002", "community-centre", "99001", "Ter Beke", {}),
    (
        "LDV-MUS-001",
        "museum",
        "99001",
        "Het Lindehuis",
        {"accessibility": "step-free; accessible-toilet; induction-loop; wheelchair-loan"},
    ),
    ("LDV-SP-001", "sports-leisure", "99001", "De Lindeweide", {}),
    ("LDV-KO-001", "childcare", "99001", "Lindebloesem", {}),
    ("LDV-KO-002", "childcare", "99001", "Speelvogel", {"languages": "nl; fr"}),
    (
        "LDV-HVK-001",
        "welfare",
        "99001",
        "Lindeveld",
        {"languages": "nl; fr; en; ar; tr; pl", "accessibility": "step-free; accessible-toilet; sign-language"},
    ),
    ("LDV-WW-001", "employment", "99001", "Lindeveld", {"languages": "nl; en; fr"}),
    ("LDV-BED-001", "business", "99001", "Lindemetaal", {"networks": STEM}),
    ("LDV-BED-002", "business", "99001", "Ondernemersclub Lindestreek", {"networks": STEM}),
    ("LDV-OZ-001", "research", "99001", "Leren in de Streek", {"networks": STEM, "languages": "nl; en"}),
    ("LDV-NGO-001", "ngo", "99001", "Wereldklas", {"languages": "nl; en; fr"}),
    ("LDV-GEM-001", "municipality", "99001", "Lindeveld", {"gnlc": "yes", "languages": "nl; fr; en"}),
    ("BKD-BS-001", "primary-school", "99002", "De Beekloop", {"networks": PLATFORM}),
    ("BKD-BS-002", "primary-school", "99002", "Zonnedonk", {"networks": PLATFORM, "languages": "nl; pl"}),
    ("BKD-SO-001", "secondary-school", "99002", "Donkcollege", {"networks": f"{PLATFORM}; {STEM}"}),
    ("BKD-BIB-001", "library", "99002", "Beekdonk", {"accessibility": "step-free; accessible-toilet"}),
    ("BKD-BH-001", "community-centre", "99002", "De Molenwiek", {}),
    ("BKD-KO-001", "childcare", "99002", "Kikkerland", {}),
    ("BKD-HVK-001", "welfare", "99002", "Beekdonk", {}),
    (
        "BKD-SP-001",
        "sports-leisure",
        "99002",
        "Het Donkbad",
        {"accessibility": "step-free; accessible-toilet; accessible-parking"},
    ),
    ("BKD-BED-001", "business", "99002", "Beekdonk Techniek", {"networks": STEM}),
    ("BKD-GEM-001", "municipality", "99002", "Beekdonk", {}),
    ("HDM-BS-001", "primary-school", "99003", "De Heidebloem", {"networks": PLATFORM}),
    ("HDM-BS-002", "primary-school", "99003", "Maarschalk", {"networks": PLATFORM}),
    ("HDM-SO-001", "secondary-school", "99003", "Heidecampus", {"networks": f"{PLATFORM}; {STEM}"}),
    ("HDM-BIB-001", "library", "99003", "Heidemaar", {}),
    ("HDM-KO-001", "childcare", "99003", "Het Heidenestje", {}),
    ("HDM-HVK-001", "welfare", "99003", "Heidemaar", {}),
    ("HDM-GEM-001", "municipality", "99003", "Heidemaar", {}),
]

CHILD_CENTRE_TITLE = text("Kindcentrum {name}", "{name} Integral Child Centre", "Centre intégré pour l'enfance {name}")
CHILD_CENTRE_SUMMARY = text(
    "Opvang, kleuter- en lagere school en gezinsondersteuning onder één dak in {town}, voor kinderen van {ages}.",
    "Childcare, pre-primary and primary school and family support under one roof in {town}, for children aged {ages}.",
    "Accueil, école maternelle et primaire et soutien aux familles sous un même toit à {town}, pour les enfants de {ages}.",
)
AGES = {
    (0, 155): text("0 tot 12 jaar", "0 to 12", "0 à 12 ans"),
    (3, 72): text("3 maanden tot 6 jaar", "3 months to 6 years", "3 mois à 6 ans"),
    (30, 155): text("2,5 tot 12 jaar", "2½ to 12", "2 ans et demi à 12 ans"),
}
ALL_SERVICES = "childcare; pre-school; primary-education; out-of-school-care; parenting-support"
# external_id, municipality, name, (youngest, oldest) months, services, member partners, capacity
CHILD_CENTRE_ROWS = [
    ("IKC-99001-01", "99001", "De Linde", (0, 155), ALL_SERVICES, "LDV-BS-001; LDV-KO-001; LDV-HVK-001", 180),
    (
        "IKC-99001-02",
        "99001",
        "Het Klimrek",
        (30, 155),
        "pre-school; primary-education; out-of-school-care",
        "LDV-BS-002; LDV-KO-002",
        240,
    ),
    (
        "IKC-99001-03",
        "99001",
        "Vlinderkamp",
        (3, 72),
        "childcare; pre-school; youth-health-care; parenting-support",
        "LDV-BS-003; LDV-KO-001; LDV-HVK-001",
        90,
    ),
    ("IKC-99002-01", "99002", "Beekloop", (0, 155), ALL_SERVICES, "BKD-BS-001; BKD-KO-001; BKD-HVK-001", 150),
    (
        "IKC-99002-02",
        "99002",
        "Zonnedonk",
        (30, 155),
        "pre-school; primary-education; out-of-school-care",
        "BKD-BS-002; BKD-KO-001",
        120,
    ),
    (
        "IKC-99003-01",
        "99003",
        "De Heidebloem",
        (0, 155),
        f"{ALL_SERVICES}; youth-health-care",
        "HDM-BS-001; HDM-KO-001; HDM-HVK-001",
        130,
    ),
]

PARTNERSHIPS = [
    {
        "title": text(
            "Scholenband De Linde – Les Manguiers",
            "De Linde – Les Manguiers school partnership",
            "Partenariat scolaire De Linde – Les Manguiers",
        ),
        "description": text(
            "Een gelijkwaardige scholenband met een jaarlijks actieplan: leerlingen schrijven elkaar, leerkrachten wisselen lesideeën uit over water en klimaat.",
            "An equal school partnership with a yearly action plan: pupils write to each other, teachers exchange lesson ideas on water and climate.",
            "Un partenariat scolaire équitable avec un plan d'action annuel : les élèves s'écrivent, les enseignants échangent des idées de cours sur l'eau et le climat.",
        ),
        "kind": "north-south-school",
        "status": "active",
        "start": date(2021, 9, 1),
        "sdg": ["4.7", "4.c", "17.16"],
        "partners": ["LDV-BS-001", "LDV-NGO-001"],
        "external": [("École primaire Les Manguiers", "Ziguinchor", "Senegal")],
    },
    {
        "title": text(
            "Stedenband Lindeveld – Santa Lucía del Monte",
            "Lindeveld – Santa Lucía del Monte twin towns",
            "Jumelage Lindeveld – Santa Lucía del Monte",
        ),
        "description": text(
            "De gemeenten werken samen aan onderwijs en duurzame stadsontwikkeling; de stedenband ondersteunt ook scholenbanden.",
            "The municipalities work together on education and sustainable urban development; the link also supports school partnerships.",
            "Les communes collaborent sur l'éducation et le développement urbain durable ; le jumelage soutient aussi des partenariats scolaires.",
        ),
        "kind": "twin-town",
        "status": "active",
        "start": date(2012, 5, 1),
        "sdg": ["11.a", "4.7", "17.16"],
        "partners": ["LDV-GEM-001"],
        "external": [("Municipio de Santa Lucía del Monte", "Santa Lucía del Monte", "Nicaragua")],
    },
    {
        "title": text("Erasmus+: Klimaatklassen", "Erasmus+: Climate classes", "Erasmus+ : Classes climat"),
        "description": text(
            "Leerlingen uit drie landen onderzoeken samen het klimaat in hun stad.",
            "Pupils from three countries research the climate of their towns together.",
            "Des élèves de trois pays étudient ensemble le climat de leur ville.",
        ),
        "kind": "erasmus-etwinning",
        "status": "active",
        "start": date(2024, 9, 1),
        "end": date(2026, 8, 31),
        "sdg": ["4.7", "11.6"],
        "partners": ["LDV-SO-001"],
        "external": [("Koivulan lukio", "Tampere", "Finland"), ("Liceo Monteverde", "Bologna", "Italy")],
    },
    {
        "title": text(
            "Leesalliantie Lindestreek", "Lindestreek reading alliance", "Alliance lecture de la Lindestreek"
        ),
        "description": text(
            "De drie bibliotheken en de Huizen van het Kind bevorderen samen het lezen in gezinnen.",
            "The three libraries and the family centres promote reading in families together.",
            "Les trois bibliothèques et les maisons de l'enfant promeuvent ensemble la lecture en famille.",
        ),
        "kind": "regional-alliance",
        "status": "active",
        "start": date(2022, 1, 1),
        "sdg": ["4.6", "4.2", "11.7"],
        "partners": ["LDV-BIB-001", "BKD-BIB-001", "HDM-BIB-001", "LDV-HVK-001"],
        "external": [],
    },
    {
        "title": text(
            "Techniekhuis Lindestreek", "Lindestreek technology house", "Maison de la technique de la Lindestreek"
        ),
        "description": text(
            "Bedrijven, scholen en de hogeschool richten samen een werkplaats in waar jongeren techniek ontdekken.",
            "Companies, schools and the university college run a workshop together where young people discover technology.",
            "Entreprises, écoles et haute école animent ensemble un atelier où les jeunes découvrent la technique.",
        ),
        "kind": "regional-alliance",
        "status": "exploring",
        "start": date(2025, 3, 1),
        "sdg": ["4.4", "9.5"],
        "partners": ["LDV-SO-002", "LDV-HO-001", "LDV-BED-001", "BKD-BED-001"],
        "external": [],
    },
    {
        "title": text(
            "eTwinning: Prentenboeken over de grens",
            "eTwinning: Picture books across borders",
            "eTwinning : Albums sans frontières",
        ),
        "description": text(
            "Kleuters maken samen met een klas in Frankrijk een tweetalig prentenboek.",
            "Toddlers make a bilingual picture book with a class in France.",
            "Des enfants de maternelle réalisent un album bilingue avec une classe en France.",
        ),
        "kind": "erasmus-etwinning",
        "status": "ended",
        "start": date(2023, 10, 1),
        "end": date(2024, 6, 30),
        "sdg": ["4.2", "4.7"],
        "partners": ["BKD-BS-002"],
        "external": [("École maternelle Les Tilleuls", "Lille", "France")],
    },
]


def fill(template: dict[str, str], **values) -> dict[str, str]:
    return {code: phrase.format(**values) for code, phrase in template.items()}


def partner_texts(kind: str, name: str, municipality: str) -> tuple[dict, dict]:
    title, summary = KINDS[kind][:2]
    return fill(title, name=name), fill(summary, town=TOWNS[municipality][0])


def child_centre_texts(name: str, municipality: str, ages: tuple[int, int]) -> tuple[dict, dict]:
    town = TOWNS[municipality][0]
    summary = {
        code: CHILD_CENTRE_SUMMARY[code].format(town=town, ages=AGES[ages][code]) for code in CHILD_CENTRE_SUMMARY
    }
    return fill(CHILD_CENTRE_TITLE, name=name), summary


def address(number: int, municipality: str) -> dict[str, str]:
    latitude, longitude = ORIGIN[municipality]
    return {
        "street": f"Schoolstraat {number}",
        "postcode": TOWNS[municipality][1],
        "municipality": municipality,
        "country": "BE",
        "latitude": f"{latitude + (number % 7) * 0.0021:.6f}",
        "longitude": f"{longitude + (number % 5) * 0.0033:.6f}",
    }


def partner_cells(number: int, row) -> dict[str, str]:
    external_id, kind, municipality, name, extra = row
    _title_template, _summary_template, sector, sdg, hours = KINDS[kind]
    title, summary = partner_texts(kind, name, municipality)
    mailbox = external_id.lower()
    return {
        "external_id": external_id,
        "title": title["nl"],
        "kind": kind,
        "sector": sector,
        "summary": summary["nl"],
        "email": f"info@{mailbox}.example",
        "website": f"https://{mailbox}.example/",
        **address(number, municipality),
        "opening_hours": hours,
        "languages": "nl",
        "accessibility": "step-free",
        "sdg_targets": sdg,
        **extra,
    }


def child_centre_cells(number: int, row) -> dict[str, str]:
    external_id, municipality, name, (youngest, oldest), services, members, capacity = row
    title, summary = child_centre_texts(name, municipality, (youngest, oldest))
    mailbox = external_id.lower()
    return {
        "external_id": external_id,
        "title": title["nl"],
        "summary": summary["nl"],
        "min_age_months": str(youngest),
        "max_age_months": str(oldest),
        "services": services,
        "member_partners": members,
        "capacity": str(capacity),
        "registration_number": f"OPG-{external_id[4:]}",
        "enrolment_url": f"https://{mailbox}.example/inschrijven",
        "email": f"info@{mailbox}.example",
        "website": f"https://{mailbox}.example/",
        **address(number + 40, municipality),
        "opening_hours": "ma-vr 07:00-18:30",
        "opening_exceptions": "2026-12-25 gesloten; 2027-01-01 gesloten",
        "languages": "nl; fr",
        "accessibility": "step-free; accessible-toilet",
        "sdg_targets": "4.2; 10.2",
    }


def import_missing(spec: PageSpec, index, rows: list[dict], report: DemoReport) -> None:
    existing = set(spec.model.objects.filter(locale=index.locale).values_list("external_id", flat=True))
    missing = [row for row in rows if row["external_id"] not in existing]
    if not missing:
        return
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=spec.header)
    writer.writeheader()
    writer.writerows(missing)
    buffer.seek(0)
    result = import_csv(buffer, spec, parent_id=index.pk)
    for label in result.created:
        report.add(f"{spec.model._meta.verbose_name}: {label}")


def ensure_municipalities(report: DemoReport) -> None:
    site = Site.objects.filter(root_page__slug="lindeveld").first()
    for code, name, _postcode in MUNICIPALITIES:
        _municipality, created = Municipality.objects.get_or_create(
            code=code, defaults={"name": name, "region": REGION, "site": site if code == "99001" else None}
        )
        if created:
            report.add(f"municipality {name}")


def ensure_networks(locale: Locale, report: DemoReport) -> None:
    for spec in NETWORKS:
        network = Network.objects.filter(locale=locale, slug=spec["slug"]).first()
        if network is None:
            network = Network.objects.create(
                locale=locale,
                slug=spec["slug"],
                name=spec["name"]["nl"],
                description=spec["description"]["nl"],
                website=f"https://{spec['slug']}.example/",
            )
            report.add(f"network {network.name}")
        translate(network, collect_strings(spec["name"], spec["description"]), report)


def ensure_partnerships(locale: Locale, report: DemoReport) -> None:
    partners = {page.external_id: page for page in PartnerPage.objects.filter(locale=locale)}
    targets = {target.code: target for target in SDGTarget.objects.all()}
    for spec in PARTNERSHIPS:
        partnership = Partnership.objects.filter(locale=locale, title=spec["title"]["nl"]).first()
        if partnership is None:
            participants = [PartnershipParticipant(partner=partners[external_id]) for external_id in spec["partners"]]
            participants += [
                PartnershipParticipant(external_name=name, external_city=city, external_country=country)
                for name, city, country in spec["external"]
            ]
            partnership = Partnership(
                locale=locale,
                title=spec["title"]["nl"],
                description=f"<p>{spec['description']['nl']}</p>",
                kind=spec["kind"],
                status=spec["status"],
                start_date=spec["start"],
                end_date=spec.get("end"),
                participants=participants,
            )
            partnership.sdg_targets = [targets[code] for code in spec["sdg"]]
            partnership.save()
            report.add(f"partnership {partnership.title}")
        translate(partnership, collect_strings(spec["title"], spec["description"]), report)


def load(report: DemoReport) -> None:
    home = HomePage.objects.filter(slug="lindeveld", locale__language_code="nl").first()
    if home is None:  # the learning city's own demo has not run
        return
    ensure_municipalities(report)
    ensure_networks(home.locale, report)

    partner_index = get_or_create_page(
        home,
        PartnerIndexPage,
        "partners",
        report,
        title=PARTNER_INDEX["title"]["nl"],
        intro=f"<p>{PARTNER_INDEX['intro']['nl']}</p>",
        show_in_menus=True,
    )
    centre_index = get_or_create_page(
        home,
        ChildCentreIndexPage,
        "kindcentra",
        report,
        title=CHILD_CENTRE_INDEX["title"]["nl"],
        intro=f"<p>{CHILD_CENTRE_INDEX['intro']['nl']}</p>",
        show_in_menus=True,
    )
    translate(partner_index, collect_strings(*PARTNER_INDEX.values()), report)
    translate(centre_index, collect_strings(*CHILD_CENTRE_INDEX.values()), report)

    import_missing(PARTNERS, partner_index, [partner_cells(n, row) for n, row in enumerate(PARTNER_ROWS, 1)], report)
    import_missing(
        CHILD_CENTRES, centre_index, [child_centre_cells(n, row) for n, row in enumerate(CHILD_CENTRE_ROWS, 1)], report
    )

    partner_strings = {
        external_id: collect_strings(*partner_texts(kind, name, municipality))
        for external_id, kind, municipality, name, _extra in PARTNER_ROWS
    }
    centre_strings = {row[0]: collect_strings(*child_centre_texts(row[2], row[1], row[3])) for row in CHILD_CENTRE_ROWS}
    pages = [
        *(
            (page, partner_strings[page.external_id])
            for page in PartnerPage.objects.filter(locale=home.locale, external_id__in=partner_strings)
        ),
        *(
            (page, centre_strings[page.external_id])
            for page in ChildCentrePage.objects.filter(locale=home.locale, external_id__in=centre_strings)
        ),
    ]
    for page, strings in report.counted(pages, "translated", every=20):
        translate(page, strings, report)

    ensure_partnerships(home.locale, report)
    # The library and the first child centre among the home page's featured offers.
    featured = [
        PartnerPage.objects.filter(locale=home.locale, external_id="LDV-BIB-001").first(),
        ChildCentrePage.objects.filter(locale=home.locale, external_id=CHILD_CENTRE_ROWS[0][0]).first(),
    ]
    feature_on_home([page for page in featured if page is not None], report)
