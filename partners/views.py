"""The admin's "Partner editors" page: municipal editors invite a person to keep a partner up to date, and remove
them, without the command line (``make_partner_editor`` stays for scripts).

An invitation makes the person's account (their e-mail address is their username) without a password, adds it
to the partner's editor group (``editors.grant_partner_editor``) and e-mails a link where they choose a password
(Wagtail's password reset confirmation, valid for ``PASSWORD_RESET_TIMEOUT``). Removing takes the person out of
that partner's group only; an account left without any group cannot enter the admin any more.
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.urls import reverse, reverse_lazy
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from django.views.generic import FormView
from wagtail.admin.auth import permission_required
from wagtail.models import Locale

from learningcity.views import AdminPageMixin

from .editors import grant_partner_editor
from .models import PartnerEditorGroup, PartnerPage

PERMISSION = "partners.manage_partner_editors"


class InviteForm(forms.Form):
    partner = forms.ModelChoiceField(
        label=_("Partner"),
        queryset=PartnerPage.objects.none(),
        help_text=_("The organisation whose pages and activities this person keeps up to date."),
    )
    email = forms.EmailField(label=_("E-mail address"), help_text=_("The invitation goes here; it is their username."))
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Each partner once: its copy in the site's first language (every partner has one, translations follow).
        self.fields["partner"].queryset = PartnerPage.objects.filter(locale=Locale.get_default()).order_by("title")

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        user = get_user_model().objects.filter(email__iexact=email).first()
        if user is not None and (user.is_superuser or not user.is_active):
            raise forms.ValidationError(_("This address belongs to an account that cannot be invited."))
        return email


class PartnerEditorsView(AdminPageMixin, FormView):
    template_name = "partners/admin/partner_editors.html"
    form_class = InviteForm
    page_title = _("Partner editors")
    header_icon = "group"
    success_url = reverse_lazy("partner_editors")

    def get_context_data(self, **kwargs):
        groups = (
            PartnerEditorGroup.objects.select_related("group")
            .prefetch_related("group__user_set")
            .order_by("group__name")
        )
        memberships = [
            (link, user)
            for link in groups
            for user in sorted(link.group.user_set.all(), key=lambda user: user.email or user.get_username())
        ]
        return super().get_context_data(memberships=memberships, **kwargs)

    def form_valid(self, form):
        partner = form.cleaned_data["partner"]
        email = form.cleaned_data["email"]
        User = get_user_model()
        with transaction.atomic():
            group = grant_partner_editor(partner)
            user = User.objects.filter(email__iexact=email).first()
            created = user is None
            if created:
                user = User(username=email, email=email)
                user.first_name = form.cleaned_data["first_name"]
                user.last_name = form.cleaned_data["last_name"]
                user.set_unusable_password()
                user.save()
            user.groups.add(group)
        if created or not user.has_usable_password():
            self.send_invitation(user, partner)
            messages.success(
                self.request,
                _("%(email)s is invited to keep %(partner)s up to date.")
                % {
                    "email": email,
                    "partner": partner.title,
                },
            )
        else:
            messages.success(
                self.request,
                _("%(email)s now also keeps %(partner)s up to date.")
                % {
                    "email": email,
                    "partner": partner.title,
                },
            )
        return super().form_valid(form)

    def send_invitation(self, user, partner):
        uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
        token = default_token_generator.make_token(user)
        path = reverse("wagtailadmin_password_reset_confirm", kwargs={"uidb64": uidb64, "token": token})
        link = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path
        context = {
            "partner": partner.title,
            "site_name": getattr(settings, "WAGTAIL_SITE_NAME", ""),
            "link": link,
            "days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
            "inviter": self.request.user.get_full_name() or self.request.user.get_username(),
        }
        subject = render_to_string("partners/admin/invitation_subject.txt", context).strip()
        body = render_to_string("partners/admin/invitation_email.txt", context)
        send_mail(subject, body, None, [user.email])


partner_editors = permission_required(PERMISSION)(PartnerEditorsView.as_view())


@permission_required(PERMISSION)
@require_POST
def remove_partner_editor(request, link_id: int, user_id: int):
    link = get_object_or_404(PartnerEditorGroup.objects.select_related("group"), pk=link_id)
    user = get_object_or_404(link.group.user_set, pk=user_id)
    link.group.user_set.remove(user)
    messages.success(
        request,
        _("%(user)s no longer keeps %(group)s up to date.")
        % {
            "user": user.email or user.get_username(),
            "group": link.group.name,
        },
    )
    return redirect("partner_editors")
