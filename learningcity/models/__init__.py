from .changelog import ChangeAction, ChangeLog
from .content_version import ContentVersion
from .pages import ContentPage, HomePage, HomePageFeaturedItem, SDGIndexPage
from .sdg import FIRST_CLASS_GOALS, SDGGoal, SDGTaggedMixin, SDGTarget, pick_text
from .search import SearchDocument, SearchWord
from .settings import FooterText, LearningCitySettings, SocialLink

__all__ = [
    "FIRST_CLASS_GOALS",
    "ChangeAction",
    "ChangeLog",
    "ContentPage",
    "ContentVersion",
    "FooterText",
    "HomePage",
    "HomePageFeaturedItem",
    "LearningCitySettings",
    "SDGGoal",
    "SDGIndexPage",
    "SDGTaggedMixin",
    "SDGTarget",
    "SearchDocument",
    "SearchWord",
    "SocialLink",
    "pick_text",
]
