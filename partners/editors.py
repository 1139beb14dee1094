"""Partner editors: page and collection rights confined to one partner, in every language.

``grant_partner_editor`` gives the partner's editor group add and change rights on the partner's page in every
locale (and so on the events under it), its own image and document collection and access to the admin; snippets
stay with the municipal editors. Partner editors do not publish: they submit to the workflow "Goedkeuring door de
gemeente" (``partners.0007``), which a municipal editor approves. The group and the collection are found through
the partner's ``PartnerEditorGroup`` row, keyed by its translation key: partners with equal titles get a group each.

``is_partner_editor`` tells such an editor from a municipal editor (site-wide reports are not for them), and
``nameable_partners`` is what a user may name as an event's organiser or venue.
"""

from collections.abc import Callable

from django.contrib.auth.models import Group, Permission
from django.db.models import QuerySet
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page
from wagtail.permissions import policy_registry

from .models import PartnerEditorGroup, PartnerPage

GROUP_PREFIX = "Partner editors: "
# A group that held the rights of several partners before groups were keyed (see ``rekey_editor_groups``).
REASSIGN_PREFIX = "Partner editors to reassign: "
PAGE_PERMISSIONS = ("add_page", "change_page")  # no publish_page: their changes wait for the municipality
COLLECTION_PERMISSIONS = (
    ("wagtailimages", ("add_image", "change_image", "choose_image")),
    ("wagtaildocs", ("add_document", "change_document", "choose_document")),
)
GROUP_NAME_LENGTH = 150  # auth.Group.name
COLLECTION_NAME_LENGTH = 255  # wagtailcore.Collection.name


def unique_name(base: str, suffix: str, taken: Callable[[str], bool], max_length: int) -> str:
    """``base``, or ``base`` with ``suffix`` when another object already has that name."""
    name = base[:max_length]
    if not taken(name):
        return name
    return f"{base[: max_length - len(suffix) - 1]} {suffix}"


def editor_group_name(group_model, title: str, source_pk: int) -> str:
    """The display name of a partner's editor group: the title, with the page id when another partner shares it."""
    return unique_name(
        f"{GROUP_PREFIX}{title}",
        f"#{source_pk}",
        lambda name: group_model.objects.filter(name=name).exists(),
        GROUP_NAME_LENGTH,
    )


def page_permissions() -> list[Permission]:
    return list(Permission.objects.filter(content_type__app_label="wagtailcore", codename__in=PAGE_PERMISSIONS))


def grant_page_rights(group: Group, pages) -> None:
    permissions = page_permissions()
    for page in pages:
        for permission in permissions:
            GroupPagePermission.objects.get_or_create(group=group, page=page, permission=permission)


def grant_partner_editor(partner: PartnerPage) -> Group:
    """Create or complete the editor group of ``partner`` (a PartnerPage in any locale) and return it."""
    source = partner.get_translations(inclusive=True).order_by("pk").first()  # the page the others translate
    link = (
        PartnerEditorGroup.objects.select_related("group", "collection")
        .filter(translation_key=partner.translation_key)
        .first()
    )
    if link is None:
        group = Group.objects.create(name=editor_group_name(Group, source.title, source.pk))
        link = PartnerEditorGroup.objects.create(translation_key=partner.translation_key, group=group)
    group = link.group
    group.permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    grant_page_rights(group, partner.get_translations(inclusive=True))
    if link.collection is None:
        link.collection = new_partner_collection(source)
        link.save(update_fields=["collection"])
    for app_label, codenames in COLLECTION_PERMISSIONS:
        for permission in Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames):
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=link.collection, permission=permission
            )
    return group


def new_partner_collection(source: PartnerPage) -> Collection:
    """A new collection for the partner's images and documents under the root collection, named after it."""
    root = Collection.get_first_root_node()
    name = unique_name(
        source.title,
        f"#{source.pk}",
        lambda name: root.get_children().filter(name=name).exists(),
        COLLECTION_NAME_LENGTH,
    )
    return root.add_child(name=name)


def is_partner_editor(user) -> bool:
    """Whether ``user`` edits pages only as a partner editor: a member of a partner's group, no page rights else.

    Superusers and municipal editors (rights on the whole tree) are not; nor is a partner editor who also belongs
    to a group with rights elsewhere. The answer is kept on the user object for the rest of the request.
    """
    if not user.is_authenticated or not user.is_active or user.is_superuser:
        return False
    if not hasattr(user, "_is_partner_editor"):
        groups = Group.objects.filter(user=user)
        user._is_partner_editor = (
            groups.filter(partner_editors__isnull=False).exists()
            and not GroupPagePermission.objects.filter(group__in=groups.filter(partner_editors__isnull=True)).exists()
        )
    return user._is_partner_editor


def nameable_partners(user) -> QuerySet[PartnerPage] | None:
    """The partners ``user`` may name on an event (organiser, venue); ``None`` for any partner.

    A user names a partner in whose name they may act: one whose page (in any language) they may edit. Municipal
    editors may edit every partner; a partner editor only their own.
    """
    if user.is_active and user.is_superuser:
        return None
    editable = policy_registry.get_by_type(Page).instances_user_has_permission_for(user, "change")
    return PartnerPage.objects.filter(translation_key__in=editable.type(PartnerPage).values("translation_key"))


def rekey_editor_groups(apps) -> list[str]:
    """Link the editor groups named after a partner's title to the partner's translation key; split shared ones.

    Before groups were keyed, ``make_partner_editor`` found the group "Partner editors: <title>" and the collection
    "<title>" by name. For every such group not yet linked (``apps`` is a migration's app registry or
    ``django.apps.apps``):

    - page rights on one partner (any of its translations): the group is linked to that partner, with the one
      collection it has rights on (unless that collection is already another group's);
    - page rights on several partners (they had equal titles, so their editors shared the group): nobody can tell
      which member edits which partner, so each partner gets a new group of its own with the rights the shared
      group held on that partner's pages, access to the admin and no members yet; the shared group loses all its
      rights (pages, collections, admin access), keeps its members and is renamed "Partner editors to reassign:
      <title>". Its collection (images of both partners) stays with the municipal editors; the next
      ``make_partner_editor`` for a partner makes the partner a collection of its own;
    - no rights on a partner page: the group is left alone.

    Returns one line per shared group, naming the groups that replace it.
    """
    Group = apps.get_model("auth", "Group")
    GroupPagePermissionModel = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermissionModel = apps.get_model("wagtailcore", "GroupCollectionPermission")
    Partner = apps.get_model("partners", "PartnerPage")
    Link = apps.get_model("partners", "PartnerEditorGroup")

    report = []
    legacy_groups = Group.objects.filter(name__startswith=GROUP_PREFIX, partner_editors__isnull=True).order_by("pk")
    for group in legacy_groups:
        rights = GroupPagePermissionModel.objects.filter(group=group, page_id__in=Partner.objects.values("pk"))
        partner_rows = Partner.objects.filter(pk__in=rights.values("page_id")).order_by("pk")
        keys = [
            key
            for key in dict.fromkeys(partner_rows.values_list("translation_key", flat=True))
            if not Link.objects.filter(translation_key=key).exists()
        ]
        if len(keys) == 1:
            held = GroupCollectionPermissionModel.objects.filter(group=group)
            collections = set(held.values_list("collection_id", flat=True))
            collection_id = collections.pop() if len(collections) == 1 else None
            if collection_id is not None and Link.objects.filter(collection_id=collection_id).exists():
                collection_id = None
            Link.objects.create(translation_key=keys[0], group=group, collection_id=collection_id)
        elif len(keys) > 1:
            report.append(split_shared_group(apps, group, keys, rights))
    return report


def split_shared_group(apps, group, keys, rights) -> str:
    """Give each partner in ``keys`` a group of its own and empty the ``group`` they shared (see above)."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    GroupPagePermissionModel = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermissionModel = apps.get_model("wagtailcore", "GroupCollectionPermission")
    Partner = apps.get_model("partners", "PartnerPage")
    Link = apps.get_model("partners", "PartnerEditorGroup")

    title = group.name.removeprefix(GROUP_PREFIX)
    group.name = unique_name(
        f"{REASSIGN_PREFIX}{title}",
        f"#{group.pk}",
        lambda name: Group.objects.filter(name=name).exists(),
        GROUP_NAME_LENGTH,
    )
    group.save(update_fields=["name"])
    admin_access = Permission.objects.filter(content_type__app_label="wagtailadmin", codename="access_admin")
    new_names = []
    for key in keys:
        pages = Partner.objects.filter(translation_key=key)
        source = pages.order_by("pk").first()
        new_group = Group.objects.create(name=editor_group_name(Group, source.title, source.pk))
        new_group.permissions.add(*admin_access)
        for page_id, permission_id in rights.filter(page_id__in=pages.values("pk")).values_list(
            "page_id", "permission_id"
        ):
            GroupPagePermissionModel.objects.create(group=new_group, page_id=page_id, permission_id=permission_id)
        Link.objects.create(translation_key=key, group=new_group)
        new_names.append(new_group.name)
    GroupPagePermissionModel.objects.filter(group=group).delete()
    GroupCollectionPermissionModel.objects.filter(group=group).delete()
    group.permissions.clear()
    return f"“{group.name}” held the rights of {len(keys)} partners; its members must be added again: " + ", ".join(
        f"“{name}”" for name in new_names
    )
