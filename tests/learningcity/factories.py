import factory
import wagtail_factories
from wagtail.models import Locale

from learningcity.models import ContentPage, HomePage, SDGIndexPage


class LocaleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Locale
        django_get_or_create = ("language_code",)

    language_code = "nl"


class HomePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = HomePage

    title = "Leerstad Proefstad"
    city_name = "Proefstad"


class ContentPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = ContentPage

    title = factory.Sequence(lambda n: f"Inhoudspagina {n}")
    intro = "Een korte inleiding."


class SDGIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = SDGIndexPage

    title = "Duurzame ontwikkelingsdoelen"
    slug = "sdg"
