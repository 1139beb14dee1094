"""schema.org JSON-LD for partners and child centres: what search engines and maps read."""

from .enums import PartnerKind

SCHEMA_TYPES = {
    PartnerKind.PRIMARY_SCHOOL: "School",
    PartnerKind.SECONDARY_SCHOOL: "School",
    PartnerKind.HIGHER_EDUCATION: "CollegeOrUniversity",
    PartnerKind.ADULT_EDUCATION: "School",
    PartnerKind.ARTS_EDUCATION: "School",
    PartnerKind.SPECIAL_NEEDS_EDUCATION: "School",
    PartnerKind.LIBRARY: "Library",
    PartnerKind.MUSEUM: "Museum",
    PartnerKind.CHILDCARE: "ChildCare",
    PartnerKind.MUNICIPALITY: "GovernmentOrganization",
    PartnerKind.NGO: "NGO",
    PartnerKind.RESEARCH: "ResearchOrganization",
}


def schema_type(page) -> str:
    """``ChildCare`` for a child centre; for a partner the closest type of its kind, else ``Organization``."""
    kind = getattr(page, "kind", None)
    if kind is None:
        return "ChildCare"
    return SCHEMA_TYPES.get(kind, "Organization")


SCHEMA_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
CLOSED = "00:00"


def opening_hours_specification(hours, exceptions) -> list[dict]:
    """schema.org ``OpeningHoursSpecification`` of regular hours (a range of weekdays each) and dated exceptions.

    An exception holds for its one day (``validFrom`` = ``validThrough``); a day closed all day opens and closes
    at 00:00, as schema.org and search engines describe it.
    """
    specifications = [
        {
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": [f"https://schema.org/{SCHEMA_DAYS[day]}" for day in row.days],
            "opens": row.opens.strftime("%H:%M"),
            "closes": row.closes.strftime("%H:%M"),
        }
        for row in hours
    ]
    for exception in exceptions:
        closed = exception.closed or not (exception.opens and exception.closes)
        specifications.append(
            {
                "@type": "OpeningHoursSpecification",
                "dayOfWeek": [f"https://schema.org/{SCHEMA_DAYS[exception.date.weekday()]}"],
                "opens": CLOSED if closed else exception.opens.strftime("%H:%M"),
                "closes": CLOSED if closed else exception.closes.strftime("%H:%M"),
                "validFrom": exception.date.isoformat(),
                "validThrough": exception.date.isoformat(),
            }
        )
    return specifications


def postal_address(page) -> dict | None:
    address = {
        "@type": "PostalAddress",
        "streetAddress": page.street,
        "postalCode": page.postcode,
        "addressLocality": page.town,
        "addressCountry": page.country,
    }
    address = {key: value for key, value in address.items() if value}
    return address if len(address) > 1 else None


def organisation(page, request=None, opening_hours: list[dict] | None = None, languages=None) -> dict:
    """The JSON-LD object of a partner or child centre page; ``opening_hours`` from
    ``opening_hours_specification``, ``languages`` the page's when the caller has read them."""
    data = {
        "@context": "https://schema.org",
        "@type": schema_type(page),
        "name": page.title,
        "url": page.get_full_url(request),
        "description": page.summary,
    }
    address = postal_address(page)
    if address:
        data["address"] = address
    if page.has_coordinates:
        data["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": float(page.latitude),
            "longitude": float(page.longitude),
        }
    if page.email:
        data["email"] = page.email
    if page.phone:
        data["telephone"] = page.phone
    if page.website:
        data["sameAs"] = [page.website]
    languages = [language.code for language in (page.languages.all() if languages is None else languages)]
    if languages:
        data["knowsLanguage"] = languages
    if opening_hours:
        data["openingHoursSpecification"] = opening_hours
    return data


def item_list(pages, request=None) -> dict:
    """An ItemList of the pages shown on one page of a listing."""
    return {
        "@context": "https://schema.org",
        "@type": "ItemList",
        "itemListElement": [
            {"@type": "ListItem", "position": position, "url": page.get_full_url(request), "name": page.title}
            for position, page in enumerate(pages, start=1)
        ],
    }
