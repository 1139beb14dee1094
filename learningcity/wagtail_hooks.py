"""The learning city's panels on the admin's dashboard: images that residents with a screen reader cannot see, and
how much of the content is tagged with the SDGs; and its report in the Reports menu."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .dashboard import ImagesWithoutAltTextPanel, SDGCoveragePanel
from .views import LearningCityReportView


@hooks.register("construct_homepage_panels")
def add_learning_city_panels(request, panels):
    panels.extend([ImagesWithoutAltTextPanel(request), SDGCoveragePanel(request)])


class ReportMenuItem(MenuItem):
    """Every editor reaches the report; a partner editor sees their own organisation's figures in it."""

    shown_to_partner_editors = True


@hooks.register("register_admin_urls")
def register_report_urls():
    return [path("reports/learning-city/", LearningCityReportView.as_view(), name="learningcity_report")]


@hooks.register("register_reports_menu_item")
def register_report_menu_item():
    return ReportMenuItem(
        _("Learning city report"), reverse("learningcity_report"), name="learning-city-report", icon_name="doc-full"
    )
