from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.api.v3.urls import api
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

import learningcity.api
import learningcity.openapi
from learningcity.search.views import search_page
from learningcity.sitemaps import MultilingualSitemap

from . import views

# The apps mount their routers on Wagtail's v3 API in their AppConfig.ready() (see learningcity.registry);
# the site hardens Wagtail's own endpoints, whose routers exist once every app is ready.
learningcity.api.harden_wagtail_api(api)

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("sitemap.xml", sitemap, {"sitemaps": {"pages": MultilingualSitemap}}, name="sitemap"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    # The published document (read-only, valid) answers before ninja's own at the same URL.
    path("api/v3/openapi.json", learningcity.openapi.openapi_json, name="openapi"),
    path("api/v3/", api.urls),
    re_path(r"^api/", learningcity.api.not_found),  # a problem document, not a page or a redirect
    path("", include("events.urls")),
]

handler400 = learningcity.api.bad_request
handler404 = views.page_not_found
handler500 = learningcity.api.server_error

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Pages carry their language in the URL: /nl/…, /en/…, /fr/…; "/" redirects to the visitor's best language.
# The search page's path is translated: /nl/zoeken/, /en/search/, /fr/recherche/.
urlpatterns += i18n_patterns(
    path(_("search/"), search_page, name="search"),
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)
