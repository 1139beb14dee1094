"""The learning city's panel on the admin's dashboard: images that residents with a screen reader cannot see."""

from wagtail import hooks

from .dashboard import ImagesWithoutAltTextPanel


@hooks.register("construct_homepage_panels")
def add_image_panel(request, panels):
    panels.append(ImagesWithoutAltTextPanel(request))
