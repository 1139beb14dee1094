"""A tiny site in its own database for the worker-process tests, and the editor who changes it.

``python -m tests.learningcity.worker_site`` (with ``DJANGO_SETTINGS_MODULE`` naming settings whose database is
an empty SQLite file) creates the tables, a home page with two pages and a partner, prints ``ready``, then makes
each edit it reads from its standard input (one name a line), committed as an editor's would be, and prints
``done``.
"""

import sys

import django
from django.core.management import call_command


def build() -> None:
    from wagtail.models import Locale, Page, Site

    from learningcity.models import ContentPage, HomePage, LearningCitySettings

    call_command("migrate", run_syncdb=True, verbosity=0)
    locale = Locale.objects.create(language_code="nl")
    root = Page.add_root(instance=Page(title="Root", slug="root", locale=locale))
    home = root.add_child(instance=HomePage(title="Proefstad", slug="proefstad", city_name="Proefstad", locale=locale))
    site = Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True, site_name="P")
    LearningCitySettings.for_site(site)
    home.add_child(instance=ContentPage(title="Nieuws", slug="nieuws", show_in_menus=True, locale=locale))
    home.add_child(instance=ContentPage(title="Geheim", slug="geheim", locale=locale))
    build_partners(home, locale)


def build_partners(home, locale) -> None:
    from partners.models import Municipality, PartnerIndexPage, PartnerKind, PartnerPage, Sector

    directory = home.add_child(instance=PartnerIndexPage(title="Partners", slug="partners", locale=locale))
    municipality = Municipality.objects.create(name="Proefstad", code="99999")
    partner = PartnerPage(
        title="Bibliotheek",
        slug="bibliotheek",
        kind=PartnerKind.LIBRARY,
        sector=Sector.GOVERNMENT,
        summary="Boeken voor iedereen.",
        municipality=municipality,
        locale=locale,
    )
    directory.add_child(instance=partner)


def draft() -> None:
    from learningcity.models import ContentPage

    page = ContentPage.objects.get(slug="nieuws")
    page.title = "Nieuws (concept)"
    page.save_revision()


def unpublish_partner() -> None:
    from partners.models import PartnerPage

    PartnerPage.objects.get(slug="bibliotheek").unpublish()


def unpublish() -> None:
    from learningcity.models import ContentPage

    ContentPage.objects.get(slug="nieuws").unpublish()


def restrict() -> None:
    from wagtail.models import PageViewRestriction

    from learningcity.models import ContentPage

    PageViewRestriction.objects.create(
        page=ContentPage.objects.get(slug="geheim"), restriction_type=PageViewRestriction.LOGIN
    )


EDITS = {"draft": draft, "unpublish": unpublish, "restrict": restrict, "unpublish-partner": unpublish_partner}


def main() -> None:
    django.setup()
    build()
    print("ready", flush=True)  # noqa: T201
    for line in sys.stdin:
        EDITS[line.strip()]()
        print("done", flush=True)  # noqa: T201


if __name__ == "__main__":
    main()
