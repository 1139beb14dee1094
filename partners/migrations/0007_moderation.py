"""Moderation: partner editors submit their pages and events, the municipal editors approve or reject them.

Every page (all locale trees hang under the root) gets the workflow "Goedkeuring door de gemeente": one group
approval task for the group "Municipal editors". A new installation's root carries Wagtail's default workflow
"Moderators approval" (one task for the group "Moderators"), made by Wagtail's own migration: it is taken over,
renamed and given the municipal editors too. A root with a workflow of the site's own making is left as it is.
Partner editors' groups lose the right to publish, so their changes wait for approval.
"""

from django.db import migrations

WORKFLOW_NAME = "Goedkeuring door de gemeente"
TASK_NAME = "Goedkeuring door de gemeentelijke redactie"
WAGTAIL_DEFAULT = "Moderators approval"
MUNICIPAL_EDITORS = "Municipal editors"


def moderate(apps, schema_editor):
    Page = apps.get_model("wagtailcore", "Page")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    PartnerEditorGroup = apps.get_model("partners", "PartnerEditorGroup")

    root = Page.objects.filter(depth=1).first()
    municipal = Group.objects.filter(name=MUNICIPAL_EDITORS).first()
    if root is not None and municipal is not None:
        assigned = WorkflowPage.objects.filter(page=root).select_related("workflow").first()
        if assigned is None or assigned.workflow.name == WAGTAIL_DEFAULT:
            workflow = assigned.workflow if assigned else Workflow.objects.create(name=WORKFLOW_NAME, active=True)
            workflow.name, workflow.active = WORKFLOW_NAME, True
            workflow.save()
            link = WorkflowTask.objects.filter(workflow=workflow).order_by("sort_order").first()
            task = GroupApprovalTask.objects.filter(pk=link.task_id).first() if link else None
            if task is None:
                content_type, _created = ContentType.objects.get_or_create(
                    app_label="wagtailcore", model="groupapprovaltask"
                )
                task = GroupApprovalTask.objects.create(name=TASK_NAME, content_type=content_type, active=True)
                WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
            task.name = TASK_NAME
            task.save()
            task.groups.add(municipal)
            if assigned is None:
                WorkflowPage.objects.create(page=root, workflow=workflow)

    publish = Permission.objects.filter(content_type__app_label="wagtailcore", codename="publish_page")
    GroupPagePermission.objects.filter(
        group__in=PartnerEditorGroup.objects.values("group"), permission__in=publish
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("partners", "0006_log_live_index_pages"),
        ("learningcity", "0004_municipal_editors_group"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(moderate, migrations.RunPython.noop)]
