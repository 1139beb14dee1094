from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.api.v3.urls import api
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

import events.api
import learningcity.api
import learningcity.openapi
import partners.api
from learningcity.sitemaps import MultilingualSitemap

from . import views

# Each app's API router joins Wagtail's v3 API once, before api.urls is read (ninja refuses routers after that);
# the check keeps a second import of this module (a test reloading the URLconf) from mounting them twice.
_mounted = {registration[1] for registration in api._router_registrations}
for _router in (learningcity.api.router, partners.api.router, events.api.router):
    if _router not in _mounted:
        api.add_router("/", _router)
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

handler500 = learningcity.api.server_error

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Pages carry their language in the URL: /nl/…, /en/…, /fr/…; "/" redirects to the visitor's best language.
urlpatterns += i18n_patterns(path("", include(wagtail_urls)), prefix_default_language=True)
