"""The learning city's panels on the admin's dashboard: images that residents with a screen reader cannot see, and
how much of the content is tagged with the SDGs."""

from wagtail import hooks

from .dashboard import ImagesWithoutAltTextPanel, SDGCoveragePanel


@hooks.register("construct_homepage_panels")
def add_learning_city_panels(request, panels):
    panels.extend([ImagesWithoutAltTextPanel(request), SDGCoveragePanel(request)])
