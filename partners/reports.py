"""The partners' part of the learning city's report: the ecosystem, and their columns of the SDG coverage.

Partners and child centres are counted as the directory's API lists them: the live, public pages of the site in
its first language (the source every translation follows), so a report's count for a kind, a municipality or a
goal is the ``count`` of ``/api/v3/partners/`` with the same parameter. Partnerships count when they run during
the period and a partner of the site (of the municipality, of the editor) takes part.
"""

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from learningcity.api import default_language
from learningcity.reports import Chart, ReportScope, Section, Table
from learningcity.sdg import sdg_counts

from .enums import SCHOOL_KINDS, PartnerKind, PartnershipKind, PartnershipStatus, Sector
from .models import ChildCentrePage, Network, PartnerPage, Partnership
from .models.childcentres import MAX_AGE_MONTHS
from .models.taxonomy import CHILD_CENTRE_SERVICES

CHILD_AGES = range(0, MAX_AGE_MONTHS // 12 + 1)


def _shown(model, scope: ReportScope):
    if scope.site is None:
        return model.objects.none()
    pages = model.objects.shown_on(scope.site, scope.restricted_paths()).filter(
        locale__language_code=default_language()
    )
    if scope.municipality:
        pages = pages.in_municipalities([scope.municipality])
    return pages


def partners_in(scope: ReportScope):
    """The partners a report counts: the site's, in the municipality, the editor's own."""
    pages = _shown(PartnerPage, scope)
    if scope.partners is not None:
        pages = pages.filter(pk__in=scope.partners)
    return pages


def child_centres_in(scope: ReportScope):
    """The child centres a report counts; for a partner editor, those their organisation is a member of."""
    pages = _shown(ChildCentrePage, scope)
    if scope.partners is not None:
        pages = pages.filter(
            pk__in=ChildCentrePage._base_manager.filter(member_partners__in=scope.partners).values("pk")
        )
    return pages


def partnerships_in(scope: ReportScope):
    """Partnerships running during the period with a partner the report counts, one row per partnership."""
    keys = partners_in(scope).values("translation_key")
    taking_part = Partnership.objects.filter(participants__partner__translation_key__in=keys).values("translation_key")
    return Partnership.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gte=scope.date_from),
        translation_key__in=taking_part,
        locale__language_code=default_language(),
        start_date__lte=scope.date_to,
    )


def partner_counts(scope):
    return sdg_counts(partners_in(scope))


def child_centre_counts(scope):
    return sdg_counts(child_centres_in(scope))


def partnership_counts(scope):
    return sdg_counts(partnerships_in(scope))


def _counted(queryset, *fields, **filters) -> dict:
    rows = queryset.values_list(*fields).annotate(count=Count("translation_key", distinct=True, **filters)).order_by()
    return {row[:-1] if len(fields) > 1 else row[0]: row[-1] for row in rows}


def ecosystem_section(scope: ReportScope) -> Section:
    """Partners by kind, sector, membership and network; partnerships by kind, status and documents; child centres
    with their ages, services and places. Eleven queries."""
    partners = partners_in(scope)
    by_kind = _counted(partners, "kind")
    by_sector = _counted(partners, "sector")
    memberships = partners.aggregate(
        total=Count("translation_key", distinct=True),
        schools=Count("translation_key", distinct=True, filter=Q(kind__in=SCHOOL_KINDS)),
        aspnet=Count("translation_key", distinct=True, filter=Q(is_aspnet_member=True)),
        gnlc=Count("translation_key", distinct=True, filter=Q(is_gnlc_member=True)),
    )
    tags = PartnerPage.networks.through.objects.filter(partnerpage__in=partners.order_by().values("pk"))
    per_network = dict(
        tags.values_list("network__translation_key")
        .annotate(count=Count("partnerpage__translation_key", distinct=True))
        .order_by()
    )
    network_names = dict(
        Network.objects.filter(translation_key__in=list(per_network), locale__language_code=default_language())
        .order_by("name")
        .values_list("translation_key", "name")
    )

    partnerships = partnerships_in(scope)
    by_kind_status = _counted(partnerships, "kind", "status")
    documents = {
        row["status"]: row
        for row in partnerships.values("status")
        .annotate(
            total=Count("translation_key", distinct=True),
            agreement=Count("translation_key", distinct=True, filter=Q(agreement__isnull=False)),
            action_plan=Count("translation_key", distinct=True, filter=Q(action_plan__isnull=False)),
        )
        .order_by()
    }

    centres = child_centres_in(scope)
    centre_figures = centres.aggregate(
        total=Count("pk"),
        places=Sum("capacity"),
        without_capacity=Count("pk", filter=Q(capacity__isnull=True)),
        **{
            f"age_{year}": Count("pk", filter=Q(min_age_months__lte=12 * year + 11, max_age_months__gte=12 * year))
            for year in CHILD_AGES
        },
    )
    services = dict(
        ChildCentrePage.services.through.objects.filter(childcentrepage__in=centres.order_by().values("pk"))
        .values_list("childcentreservice__code")
        .annotate(count=Count("childcentrepage", distinct=True))
        .order_by()
    )

    partners_label = _("Partners")
    centres_label = _("Child centres")
    status_columns = list(PartnershipStatus)
    return Section(
        key="ecosystem",
        title=_("The learning ecosystem"),
        feature="conditions",
        intro=_(
            "The partners of the learning city by kind and by sector (the four O's: government, business, "
            "education and research, with civil society), their memberships and networks, the partnerships "
            "running in the period and the integral child centres."
        ),
        tables=[
            Table(
                "partners-by-kind",
                _("Partners by kind"),
                [_("Kind"), partners_label],
                [[kind.label, by_kind.get(kind.value, 0)] for kind in PartnerKind],
                chart=Chart(),
            ),
            Table(
                "partners-by-sector",
                _("Partners by sector"),
                [_("Sector"), partners_label],
                [[sector.label, by_sector.get(sector.value, 0)] for sector in Sector],
                chart=Chart(),
            ),
            Table(
                "memberships",
                _("Schools and memberships"),
                [_("Membership"), partners_label],
                [
                    [_("All partners"), memberships["total"]],
                    [_("Schools"), memberships["schools"]],
                    [_("UNESCO Associated Schools (ASPnet)"), memberships["aspnet"]],
                    [_("Members of the Global Network of Learning Cities"), memberships["gnlc"]],
                ],
            ),
            Table(
                "networks",
                _("Networks"),
                [_("Network"), partners_label],
                [[name, per_network[key]] for key, name in network_names.items()],
                chart=Chart(),
            ),
            Table(
                "partnerships",
                _("Partnerships by kind and status"),
                [_("Kind"), *[status.label for status in status_columns], _("Total")],
                [
                    [
                        kind.label,
                        *[by_kind_status.get((kind.value, status.value), 0) for status in status_columns],
                        sum(by_kind_status.get((kind.value, status.value), 0) for status in status_columns),
                    ]
                    for kind in PartnershipKind
                ],
            ),
            Table(
                "partnership-documents",
                _("Partnership agreements and action plans"),
                [
                    _("Status"),
                    _("Partnerships"),
                    _("With an agreement"),
                    _("Without an agreement"),
                    _("With an action plan"),
                    _("Without an action plan"),
                ],
                [
                    [
                        status.label,
                        row["total"],
                        row["agreement"],
                        row["total"] - row["agreement"],
                        row["action_plan"],
                        row["total"] - row["action_plan"],
                    ]
                    for status in status_columns
                    for row in [documents.get(status.value, {"total": 0, "agreement": 0, "action_plan": 0})]
                ],
            ),
            Table(
                "child-centres",
                _("Integral child centres"),
                [_("Figure"), _("Number")],
                [
                    [centres_label, centre_figures["total"]],
                    [_("Places"), centre_figures["places"] or 0],
                    [_("Centres that give no capacity"), centre_figures["without_capacity"]],
                ],
            ),
            Table(
                "child-centre-ages",
                _("Child centres by age served"),
                [_("Age (years)"), centres_label],
                [[year, centre_figures[f"age_{year}"]] for year in CHILD_AGES],
                chart=Chart(kind="columns"),
            ),
            Table(
                "child-centre-services",
                _("Child centres by service"),
                [_("Service"), centres_label],
                [[label, services.get(code, 0)] for code, label in CHILD_CENTRE_SERVICES.items()],
                chart=Chart(),
            ),
        ],
    )


def confined_partners(user):
    """A partner editor sees their own organisations' figures (its pages in every language); others the city's."""
    from .editors import is_partner_editor, nameable_partners

    if not is_partner_editor(user):
        return None
    return list(nameable_partners(user).values_list("pk", flat=True))


def register() -> None:
    from learningcity import registry

    from .filters import municipality_choices

    registry.register_sdg_counter("partners", _("Partners"), partner_counts, position=10)
    registry.register_sdg_counter("childcentres", _("Child centres"), child_centre_counts, position=20)
    registry.register_sdg_counter("partnerships", _("Partnerships"), partnership_counts, position=30)
    registry.register_report_section(ecosystem_section, position=60)
    registry.register_report_scope(confined_partners)
    registry.register_report_municipalities(municipality_choices)
