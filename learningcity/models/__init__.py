from .changelog import ChangeAction, ChangeLog
from .pages import ContentPage, HomePage, HomePageFeaturedItem, SDGIndexPage
from .sdg import FIRST_CLASS_GOALS, SDGGoal, SDGTaggedMixin, SDGTarget, pick_text
from .settings import FooterText, LearningCitySettings, SocialLink

__all__ = [
    "FIRST_CLASS_GOALS",
    "ChangeAction",
    "ChangeLog",
    "ContentPage",
    "FooterText",
    "HomePage",
    "HomePageFeaturedItem",
    "LearningCitySettings",
    "SDGGoal",
    "SDGIndexPage",
    "SDGTaggedMixin",
    "SDGTarget",
    "SocialLink",
    "pick_text",
]
