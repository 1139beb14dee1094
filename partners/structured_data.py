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


def organisation(page, request=None) -> dict:
    """The JSON-LD object of a partner or child centre page."""
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
    languages = [language.code for language in page.languages.all()]
    if languages:
        data["knowsLanguage"] = languages
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
