import factory
import wagtail_factories

from partners.models import (
    ChildCentreIndexPage,
    ChildCentrePage,
    Municipality,
    Network,
    PartnerIndexPage,
    PartnerKind,
    PartnerPage,
    Partnership,
    PartnershipKind,
    Sector,
)


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"Proefgem {n}")
    code = factory.Sequence(lambda n: f"9{n:04d}")
    region = "Rivierenland"


class NetworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Network

    name = factory.Sequence(lambda n: f"Netwerk {n}")
    slug = factory.Sequence(lambda n: f"netwerk-{n}")


class PartnerIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = PartnerIndexPage

    title = "Partners"
    slug = "partners"


class PartnerPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = PartnerPage

    title = factory.Sequence(lambda n: f"Partner {n}")
    kind = PartnerKind.LIBRARY
    sector = Sector.GOVERNMENT
    summary = "Een partner van de lerende stad."
    municipality = factory.SubFactory(MunicipalityFactory)


class ChildCentreIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = ChildCentreIndexPage

    title = "Kindcentra"
    slug = "kindcentra"


class ChildCentrePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = ChildCentrePage

    title = factory.Sequence(lambda n: f"Kindcentrum {n}")
    summary = "Opvang en onderwijs onder één dak."
    min_age_months = 0
    max_age_months = 144
    municipality = factory.SubFactory(MunicipalityFactory)


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership

    title = factory.Sequence(lambda n: f"Samenwerking {n}")
    kind = PartnershipKind.SCHOOL_PARTNERSHIP
    start_date = factory.Faker("date_between", start_date="-5y", end_date="today")
