"""``manage.py make_partner_editor USERNAME PARTNER``: let a user keep one partner's pages and events up to date."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from partners.editors import grant_partner_editor
from partners.models import PartnerPage


class Command(BaseCommand):
    help = (
        "Make USERNAME an editor of PARTNER (page id or slug): page rights on the partner's page in every language "
        "and on the events under it, the partner's own image and document collection. Creates the user when missing "
        "(without a usable password unless --password is given)."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("partner", help="The partner page's id or slug.")
        parser.add_argument("--email", default="", help="E-mail address of a new user (or to set on an existing one).")
        parser.add_argument("--password", help="Password of a new user; without it the user signs in by reset.")

    def handle(self, *args, username, partner, email, password, **options):
        page = self.find_partner(partner)
        with transaction.atomic():
            group = grant_partner_editor(page)
            User = get_user_model()
            user, created = User.objects.get_or_create(username=username, defaults={"email": email})
            if created:
                if password:
                    user.set_password(password)
                else:
                    user.set_unusable_password()
                user.save()
            elif email and user.email != email:
                user.email = email
                user.save(update_fields=["email"])
            user.groups.add(group)
        verb = "Created" if created else "Updated"
        self.stdout.write(self.style.SUCCESS(f"{verb} user {username}, member of “{group.name}”."))

    def find_partner(self, value: str) -> PartnerPage:
        pages = PartnerPage.objects.filter(pk=int(value)) if value.isdigit() else PartnerPage.objects.filter(slug=value)
        keys = set(pages.values_list("translation_key", flat=True))
        if not keys:
            raise CommandError(f"No partner page with id or slug {value!r}.")
        if len(keys) > 1:
            raise CommandError(f"Several partners have the slug {value!r}; give the page id instead.")
        return pages.order_by("pk").first()
