"""Signal receivers of the partner directory: a new translation of a partner keeps its editors.

A translation of the partner page created after ``make_partner_editor`` ran gets the page rights of the partner's
editor group through ``grant_rights_on_new_translation`` (connected in ``PartnersConfig.ready``).
"""

from django.db.models.signals import post_save


def grant_rights_on_new_translation(sender, instance, created, raw=False, **kwargs):
    """A new translation of a partner page gives the partner's editor group the same rights on it."""
    from wagtail.models import GroupPagePermission

    if not created or raw:
        return
    rights = (
        GroupPagePermission.objects.filter(
            page__translation_key=instance.translation_key,
            group__partner_editors__translation_key=instance.translation_key,
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
