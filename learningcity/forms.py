"""Forms of the admin that the learning city adjusts."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm


class LoginForm(WagtailLoginForm):
    """Wagtail's sign-in form with its password field labelled in the editor's language.

    Wagtail declares the field without a label, so Django shows its English name, "Password", on a Dutch page
    (``WAGTAILADMIN_USER_LOGIN_FORM`` points here).
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].label = _("Password")
