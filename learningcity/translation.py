"""Keeping many-to-many tags identical in every translation of a page.

wagtail-localize (1.14) leaves many-to-many fields out when it derives what to synchronise, and when one is
named explicitly it copies only a non-empty list, so removing a page's last tag would never reach its
translations. ``SynchronisedManyToManyField`` copies the whole list, empty included, through an accessor that
reads and writes all values at once.

Use it in ``override_translatable_fields``::

    override_translatable_fields = [SynchronisedManyToManyField("languages")]
"""

from wagtail_localize.fields import SynchronizedField


class _WholeList:
    """A descriptor reading or replacing every value of a ParentalManyToManyField at once."""

    def __init__(self, field_name):
        self.field_name = field_name

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        return list(getattr(instance, self.field_name).all())

    def __set__(self, instance, values):
        getattr(instance, self.field_name).set(list(values))


class _WholeListField:
    """What wagtail-localize sees instead of the many-to-many field: a plain attribute to copy."""

    def __init__(self, field):
        self.field = field
        self.name = field.name
        self.attname = f"{field.name}_synchronised"

    def value_from_object(self, obj):
        return getattr(obj, self.attname)


class SynchronisedManyToManyField(SynchronizedField):
    def __init__(self, field_name):
        super().__init__(field_name, overridable=False)

    def get_field(self, model):
        proxy = _WholeListField(model._meta.get_field(self.field_name))
        if not isinstance(getattr(model, proxy.attname, None), _WholeList):
            setattr(model, proxy.attname, _WholeList(self.field_name))
        return proxy
