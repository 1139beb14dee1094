"""Partner editors: page and collection rights confined to one partner, kept when the partner is translated.

``grant_partner_editor`` gives a "Partner editors: <partner>" group add/change/publish rights on the partner's
page in every locale (and so on the events under it), its own image and document collection and access to the
admin; snippets stay with the municipal editors. A translation of the partner page created later gets the same
page rights through ``grant_rights_on_new_translation`` (connected in ``PartnersConfig.ready``).
"""

from django.contrib.auth.models import Group, Permission
from django.db.models.signals import post_save
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission

GROUP_PREFIX = "Partner editors: "
PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page")
COLLECTION_PERMISSIONS = (
    ("wagtailimages", ("add_image", "change_image", "choose_image")),
    ("wagtaildocs", ("add_document", "change_document", "choose_document")),
)


def page_permissions() -> list[Permission]:
    return list(Permission.objects.filter(content_type__app_label="wagtailcore", codename__in=PAGE_PERMISSIONS))


def grant_partner_editor(partner) -> Group:
    """Create or complete the editor group of ``partner`` (a PartnerPage in any locale) and return it."""
    source = partner.get_translations(inclusive=True).order_by("pk").first()  # the page the others translate
    group, _created = Group.objects.get_or_create(name=f"{GROUP_PREFIX}{source.title}"[:150])
    group.permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    permissions = page_permissions()
    for page in partner.get_translations(inclusive=True):
        for permission in permissions:
            GroupPagePermission.objects.get_or_create(group=group, page=page, permission=permission)
    collection = partner_collection(source)
    for app_label, codenames in COLLECTION_PERMISSIONS:
        for permission in Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames):
            GroupCollectionPermission.objects.get_or_create(group=group, collection=collection, permission=permission)
    return group


def partner_collection(partner) -> Collection:
    """The partner's own image and document collection, under the root collection."""
    name = partner.title[:255]
    root = Collection.get_first_root_node()
    existing = root.get_children().filter(name=name).first()
    return existing if existing is not None else root.add_child(name=name)


def grant_rights_on_new_translation(sender, instance, created, raw=False, **kwargs):
    """A new translation of a partner page inherits the page rights that partner editor groups hold on its siblings."""
    if not created or raw:
        return
    rights = (
        GroupPagePermission.objects.filter(
            page__translation_key=instance.translation_key,
            group__name__startswith=GROUP_PREFIX,
        )
        .exclude(page=instance)
        .values_list("group_id", "permission_id")
        .distinct()
    )
    for group_id, permission_id in rights:
        GroupPagePermission.objects.get_or_create(group_id=group_id, page=instance, permission_id=permission_id)


def connect():
    from .models import PartnerPage

    post_save.connect(grant_rights_on_new_translation, sender=PartnerPage, dispatch_uid="partner-editor-translations")
