"""Links the partner editor groups named after a partner's title to the partner's translation key.

Groups shared by partners with equal titles are split: each partner gets a group of its own (no members yet) and
the shared group keeps its members without any rights, renamed "Partner editors to reassign: <title>". See
``partners.editors.rekey_editor_groups``; the lines it returns name the groups whose members must be added again
(``manage.py make_partner_editor USERNAME PARTNER``).
"""

import sys

from django.db import migrations

from partners.editors import rekey_editor_groups


def rekey(apps, schema_editor):
    for line in rekey_editor_groups(apps):
        sys.stdout.write(f"\n  {line}")


class Migration(migrations.Migration):
    dependencies = [
        ("partners", "0003_partner_editor_group"),
        ("wagtailadmin", "0006_formstate"),
    ]

    # Backwards: the rows of partners.PartnerEditorGroup go with the table; groups keep their (new) names.
    operations = [migrations.RunPython(rekey, migrations.RunPython.noop)]
