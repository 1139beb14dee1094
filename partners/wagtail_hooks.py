"""The admin for what is not a page: networks, partnerships and municipalities, under one "Partners" menu."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Municipality, Network, Partnership


class ParticipantsColumn(Column):
    """The partners of a partnership, from the prefetched participants."""

    def get_value(self, instance):
        return ", ".join(str(participant) for participant in instance.participants.all())


class NetworkViewSet(SnippetViewSet):
    model = Network
    icon = "group"
    menu_label = _("Networks")
    list_display = ["name", "slug", "website"]
    search_fields = ["name", "slug", "description"]
    search_backend_name = None


class PartnershipViewSet(SnippetViewSet):
    model = Partnership
    icon = "link"
    menu_label = _("Partnerships")
    list_display = ["title", "kind", "status", ParticipantsColumn("participants", label=_("Partners")), "start_date"]
    list_filter = ["kind", "status"]
    search_fields = ["title", "description"]
    search_backend_name = None

    def get_queryset(self, request):
        return Partnership.objects.prefetch_related("participants__partner")


class MunicipalityViewSet(SnippetViewSet):
    model = Municipality
    icon = "home"
    menu_label = _("Municipalities")
    list_display = ["name", "code", "region", "site"]
    list_filter = ["region"]
    search_fields = ["name", "code", "region"]
    search_backend_name = None


class PartnersGroup(SnippetViewSetGroup):
    menu_label = _("Partners")
    menu_icon = "group"
    menu_order = 250
    items = (NetworkViewSet, PartnershipViewSet, MunicipalityViewSet)


register_snippet(PartnersGroup)
