"""The admin's "Activities on your site" page: a partner's embed code and feed links, ready to copy.

A partner editor puts their own activities on their organisation's website without asking anyone: the embeddable
agenda and the calendar, Atom, RSS and JSON feeds filtered on ``partner=<id>`` (what the partner organises or
hosts), in each of the site's languages. Municipal editors see the same for any partner (``?partner=<id>``); the
saved feeds under Snippets are theirs for feeds with other filters.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.html import format_html
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.models import Locale

from learningcity.filters import parse_integer
from learningcity.views import AdminPageMixin
from partners.editors import nameable_partners
from partners.models import PartnerPage

from .context import agenda_page_url
from .feeds.links import as_webcal, feed_url

SHOWN_PARTNERS = 20


@dataclass(frozen=True)
class LanguageLinks:
    language: str
    name: str
    agenda: str
    calendar: str
    webcal: str
    atom: str
    rss: str
    json: str
    embed_code: str


class PartnerFeedsView(AdminPageMixin, TemplateView):
    template_name = "events/admin/partner_feeds.html"
    page_title = _("Activities on your site")
    header_icon = "calendar"

    def get_context_data(self, **kwargs):
        partners = self.partners()
        chosen = self.chosen(partners)
        return super().get_context_data(
            partners=partners[:SHOWN_PARTNERS],
            chosen=chosen,
            languages=self.links(chosen) if chosen else [],
            **kwargs,
        )

    def partners(self) -> list[PartnerPage]:
        """The partners the editor may act for, once each, as their copy in the site's first language."""
        allowed = nameable_partners(self.request.user)
        pages = PartnerPage.objects.live().filter(locale=Locale.get_default())
        if allowed is not None:
            pages = pages.filter(translation_key__in=allowed.values("translation_key"))
        return list(pages.order_by("title", "pk"))

    def chosen(self, partners: list[PartnerPage]) -> PartnerPage | None:
        raw = self.request.GET.get("partner")
        if raw is None:
            return partners[0] if len(partners) == 1 else None
        try:
            pk = parse_integer(raw, minimum=1)
        except ValidationError:
            raise Http404 from None
        for partner in partners:
            if partner.pk == pk:
                return partner
        raise Http404

    def links(self, partner: PartnerPage) -> list[LanguageLinks]:
        rows = []
        for code, _name in settings.LANGUAGES:
            params = {"partner": partner.pk, "locale": code}
            calendar = feed_url(self.request, "events:events_ics", **params)
            embed = feed_url(self.request, "events:events_embed", **params)
            title = _("Activities of %(partner)s") % {"partner": partner.title}
            rows.append(
                LanguageLinks(
                    language=code,
                    name=get_language_info(code)["name_translated"],
                    agenda=agenda_page_url(self.request, code, {"partner": partner.pk}),
                    calendar=calendar,
                    webcal=as_webcal(calendar),
                    atom=feed_url(self.request, "events:events_atom", **params),
                    rss=feed_url(self.request, "events:events_rss", **params),
                    json=feed_url(self.request, "events:events_json", **params),
                    embed_code=format_html(
                        '<iframe src="{}" title="{}" width="100%" height="600" loading="lazy"></iframe>', embed, title
                    ),
                )
            )
        return rows


partner_feeds = PartnerFeedsView.as_view()
