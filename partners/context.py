"""What the partner and child-centre pages put in their context; the pages' ``get_context()`` call these."""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.utils import timezone
from django.utils.choices import CallableChoiceIterator
from django.utils.translation import gettext
from wagtail.models import Locale

from learningcity.home import StageLink
from learningcity.listing import filter_chips

PER_PAGE = 20


def listing_context(request, filterset_class, queryset, locale: Locale, per_page: int = PER_PAGE) -> dict:
    """Filter, count and paginate a listing; invalid filters give no results and ``filter_errors``.

    The page object's rows come from ``queryset.for_listing()``, so the query count does not grow with them.
    """
    filters = filterset_class(request.GET, queryset=queryset, locale=locale)
    for name, form_field in filters.form.fields.items():
        if name in request.GET and isinstance(getattr(form_field, "choices", None), CallableChoiceIterator):
            form_field.choices = list(form_field.choices)  # one query for validating, the chips and rendering
    errors = {} if filters.is_valid() else filters.parameter_errors()
    results = queryset.none() if errors else filters.qs
    paginator = Paginator(results.order_by("title", "pk").for_listing(), per_page)
    page_obj = paginator.get_page(1 if errors else filters.page_number)  # beyond the last page: the last page
    return {
        "filters": filters,
        "filter_form": filters.form,
        "filter_errors": errors,
        "filter_query": filters.active_filters.urlencode(),
        "page_obj": page_obj,
        "results": page_obj.object_list,
        "result_count": paginator.count,
        "is_filtered": bool(filters.active_filters),
        "filter_chips": filter_chips(filters, request.path),
        "clear_filters_url": request.path,
    }


def localized_pages(pages, locale: Locale) -> list:
    """The live translations in ``locale`` of ``pages`` (in their order), falling back to the page itself."""
    pages = list(pages)
    if not pages:
        return []
    return type(pages[0]).objects.shown_in(locale, pages)


def partnerships_of(partner) -> list:
    """The partnerships ``partner`` takes part in, in its language where translated, with their participants.

    Each partnership gets ``other_participants``: the other partners, linked in the partner's language.
    """
    from .models import PartnerPage, Partnership

    candidates = (
        Partnership.objects.filter(participants__partner__translation_key=partner.translation_key)
        .distinct()
        .prefetch_related("participants__partner", "sdg_targets__goal")
        .select_related("agreement", "action_plan")
    )
    chosen = {}
    for partnership in candidates:
        current = chosen.get(partnership.translation_key)
        if current is None or partnership.locale_id == partner.locale_id:
            chosen[partnership.translation_key] = partnership
    partnerships = sorted(chosen.values(), key=lambda p: (-p.start_date.toordinal(), p.title))
    keys = {
        participant.partner.translation_key
        for partnership in partnerships
        for participant in partnership.participants.all()
        if participant.partner_id
    }
    translated = PartnerPage.objects.select_related("locale").translations_in(partner.locale_id, keys)
    for partnership in partnerships:
        others = []
        for participant in partnership.participants.all():
            if participant.partner_id:
                if participant.partner.translation_key == partner.translation_key:
                    continue
                page = translated.get(participant.partner.translation_key)
                if page is None and participant.partner.live:
                    page = participant.partner
                others.append({"page": page, "name": page.title if page else participant.partner.title})
            else:
                others.append(
                    {
                        "page": None,
                        "name": participant.external_name,
                        "city": participant.external_city,
                        "country": participant.external_country,
                    }
                )
        partnership.other_participants = others
        partnership.is_current = partnership.end_date is None or partnership.end_date >= timezone.localdate()
    return partnerships


def partner_page_details(page) -> dict:
    """What a partner page shows of its relations, which change only with the content (seven queries, and one per
    network in another language, more with partnerships): its municipality, opening hours and the exceptions from
    today on, networks, partnerships, the languages spoken and the accessibility facilities."""
    return {
        "municipality": page.municipality if page.municipality_id else None,
        **opening_hours_context(page),
        "networks": [network.localized for network in page.networks.all()],
        "partnerships": partnerships_of(page),
        "spoken_languages": list(page.languages.all()),
        "facilities": list(page.accessibility.all()),
    }


def opening_hours_context(page) -> dict:
    """Regular hours and the exceptions from today on."""
    return {
        "opening_hours": list(page.opening_hours.all()),
        "opening_hours_exceptions": list(
            page.opening_hours_exceptions.filter(date__gte=timezone.localdate()).order_by("date")
        ),
    }


def child_centre_life_stage_links(request, locale: Locale, stages) -> dict:
    """For the home page's life stages within the child centres' ages (0–4, 4–12), the child-centre listing in
    ``locale`` filtered by the stage's ages (``?age=0&age=1…``); ``registry.register_life_stage_links``. One query."""
    from .filters import CHILD_AGES
    from .models import ChildCentreIndexPage

    listings = ChildCentreIndexPage.objects.live().public().filter(locale=locale).order_by("path")
    page = listings.first()
    listing = page.get_url(request) if page is not None else ""
    if not listing:
        return {}
    links = {}
    for stage in stages:
        if stage.ages is not None and CHILD_AGES[0] <= stage.ages[0] and stage.ages[1] <= CHILD_AGES[-1]:
            ages = list(range(stage.ages[0], stage.ages[1] + 1))
            text = gettext("Child centres for %(whom)s") % {"whom": stage.whom}
            links[stage.code] = [StageLink(f"{listing}?{urlencode({'age': ages}, doseq=True)}", text)]
    return links


def directory_sdg_link(request, locale: Locale, code: str) -> StageLink | None:
    """The partner directory in ``locale`` filtered for an SDG goal or target (``?sdg=4``);
    ``registry.register_sdg_links``."""
    from .models import PartnerIndexPage

    directory = PartnerIndexPage.objects.live().public().filter(locale=locale).order_by("path").first()
    url = directory.get_url(request) if directory is not None else ""
    if not url:
        return None
    text = gettext("Partners working on SDG %(code)s in the directory") % {"code": code}
    return StageLink(f"{url}?{urlencode({'sdg': code})}", text)
