"""The events app's URLs outside the page tree (feeds, embed); the site includes them once at the root."""

app_name = "events"

urlpatterns = []
