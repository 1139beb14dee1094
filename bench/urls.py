"""The site's URLs plus a bare Django view, the reference the agenda's figures are read against."""

from django.http import HttpResponse
from django.urls import path

from leerstad_site.urls import urlpatterns as site_urlpatterns


def bare(request):
    return HttpResponse("<!doctype html><title>bare</title><p>Bare Django view.</p>")


urlpatterns = [path("bench/bare/", bare), *site_urlpatterns]
