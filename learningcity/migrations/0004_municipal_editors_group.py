"""The "Municipal editors" group: municipal communication staff edit and publish all content."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_NAME = "Municipal editors"
PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page", "lock_page", "unlock_page")
COLLECTION_PERMISSIONS = {
    "wagtailimages": ("add_image", "change_image", "delete_image", "choose_image"),
    "wagtaildocs": ("add_document", "change_document", "delete_document", "choose_document"),
    "wagtailcore": ("add_collection", "change_collection", "delete_collection"),
}
# Model permissions: admin access, snippets, settings and translations (only those that exist are granted).
MODEL_PERMISSIONS = {
    "wagtailadmin": ("access_admin",),
    "partners": tuple(
        f"{action}_{model}"
        for model in ("network", "partnership", "municipality")
        for action in ("add", "change", "delete")
    ),
    "learningcity": ("add_footertext", "change_footertext", "delete_footertext", "change_learningcitysettings"),
    "wagtail_localize": ("submit_translation",),
}


def ensure_permissions(apps):
    # Permissions are normally created after migrate; create them now so that the group can hold them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def permissions(apps, table):
    Permission = apps.get_model("auth", "Permission")
    return [
        permission
        for app_label, codenames in table.items()
        for permission in Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
    ]


def create_group(apps, schema_editor):
    ensure_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    Permission = apps.get_model("auth", "Permission")

    group, _created = Group.objects.get_or_create(name=GROUP_NAME)
    group.permissions.add(*permissions(apps, MODEL_PERMISSIONS))
    root = Page.objects.filter(depth=1).first()
    if root is not None:
        for permission in Permission.objects.filter(
            content_type__app_label="wagtailcore", codename__in=PAGE_PERMISSIONS
        ):
            GroupPagePermission.objects.get_or_create(group=group, page=root, permission=permission)
    root_collection = Collection.objects.filter(depth=1).first()
    if root_collection is not None:
        for permission in permissions(apps, COLLECTION_PERMISSIONS):
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=root_collection, permission=permission
            )


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("learningcity", "0003_changelog"),
        ("partners", "0002_load_term_lists"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtail_localize", "0016_rename_page_revision_translationlog_revision"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
