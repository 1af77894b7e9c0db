"""The editorial set-up: who may write, who may approve, and the review workflow.

``ensure_editorial_setup()`` is run by ``manage.py bootstrap`` and is safe to run again: it
creates what is missing and never removes anything an administrator has added since.

* **Redaktører** write: admin access, add and change pages in the content sections (the index
  pages of practices, reports and articles), upload and choose documents and images, view the
  taxonomies. They cannot publish; they send pages for review («Send til godkjenning»).
* **Godkjennere** approve: the same, plus publish (and unpublish), approve or reject in the
  workflow, edit the taxonomies, change uploaded documents and images, and manage redirects
  (when content is retired).
* The workflow **Faglig godkjenning** has one task, **Faglig vurdering**, approved by
  Godkjennere, and applies to every content section. The task is a «Godkjenning av en annen
  person» (``FourEyesApprovalTask``, practices/models/workflow.py): nobody approves their own
  changes. An installation from before that rule had a plain group approval task; it is turned
  into the new type in place, so pages in review stay in review.
* What Wagtail's own migrations create in English gets a Norwegian name (only while it still has
  Wagtail's name): the groups «Moderators» and «Editors», and the workflow and task «Moderators
  approval» (for the root page) that editors see in the workflow reports' filters and the groups
  listed in «Sidevern».
"""

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Task,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from .models import (
    ArticleIndexPage,
    County,
    FourEyesApprovalTask,
    FundingSource,
    Law,
    LegalProvision,
    Municipality,
    PracticeIndexPage,
    ReportIndexPage,
    TargetGroup,
    Theme,
)

EDITORS = "Redaktører"
APPROVERS = "Godkjennere"
EDITORIAL_GROUPS = (EDITORS, APPROVERS)

# Wagtail's default groups, workflow and task (its migrations) and their Norwegian names.
WAGTAIL_DEFAULT_NAMES = {
    Group: {"Moderators": "Moderatorer", "Editors": "Wagtail-redaktører"},
    Workflow: {"Moderators approval": "Moderatorgodkjenning"},
    Task: {"Moderators approval": "Moderatorgodkjenning"},
}
WORKFLOW_NAME = "Faglig godkjenning"
TASK_NAME = "Faglig vurdering"

# The content sections: their index pages carry the page permissions and the workflow.
SECTION_MODELS = (PracticeIndexPage, ReportIndexPage, ArticleIndexPage)
TAXONOMY_MODELS = (Law, LegalProvision, Theme, TargetGroup, County, Municipality, FundingSource)

PAGE_PERMISSIONS = {
    EDITORS: ("add", "change"),
    APPROVERS: ("add", "change", "publish"),
}
COLLECTION_PERMISSIONS = {
    EDITORS: {"wagtaildocs.document": ("add", "choose"), "wagtailimages.image": ("add", "choose")},
    APPROVERS: {
        "wagtaildocs.document": ("add", "change", "choose"),
        "wagtailimages.image": ("add", "change", "choose"),
    },
}
TAXONOMY_PERMISSIONS = {
    EDITORS: ("view",),
    APPROVERS: ("view", "add", "change"),
}
# Model permissions besides the taxonomies ("app_label.codename").
OTHER_PERMISSIONS = {
    EDITORS: ("wagtailadmin.access_admin",),
    APPROVERS: (
        "wagtailadmin.access_admin",
        "wagtailredirects.add_redirect",
        "wagtailredirects.change_redirect",
        "wagtailredirects.delete_redirect",
        # «Innsendte eksempler» (practices/submissions/admin.py): see, change status, ask the submitter.
        "practices.view_submission",
        "practices.change_submission",
    ),
}


def _permission(app_label, codename):
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def _model_permission(model, action):
    content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
    return Permission.objects.get(content_type=content_type, codename=f"{action}_{model._meta.model_name}")


def section_pages():
    """The index pages of the content sections that exist (bootstrap creates them first)."""
    pages = []
    for model in SECTION_MODELS:
        page = model.objects.first()
        if page is not None:
            pages.append(page)
    return pages


@transaction.atomic
def ensure_editorial_setup():
    """Create the groups, their permissions and the review workflow where missing.

    Returns counts of what was created, e.g. ``{"grupper": 2, "tillatelser": 61, "arbeidsflyt": 1,
    "seksjoner med arbeidsflyt": 3}`` on a fresh database and zeros on the next run."""
    counts = {"grupper": 0, "tillatelser": 0, "arbeidsflyt": 0, "seksjoner med arbeidsflyt": 0}
    rename_wagtail_defaults()
    sections = section_pages()
    root_collection = Collection.get_first_root_node()
    page_permissions = {
        action: Permission.objects.get(
            content_type=ContentType.objects.get_for_model(Page), codename=f"{action}_page"
        )
        for action in ("add", "change", "publish")
    }

    groups = {}
    for name in EDITORIAL_GROUPS:
        group, created = Group.objects.get_or_create(name=name)
        counts["grupper"] += created
        groups[name] = group

        wanted = [_permission(*dotted.split(".")) for dotted in OTHER_PERMISSIONS[name]]
        wanted += [
            _model_permission(model, action) for model in TAXONOMY_MODELS for action in TAXONOMY_PERMISSIONS[name]
        ]
        existing = set(group.permissions.values_list("pk", flat=True))
        missing = [permission for permission in wanted if permission.pk not in existing]
        group.permissions.add(*missing)
        counts["tillatelser"] += len(missing)

        for page in sections:
            for action in PAGE_PERMISSIONS[name]:
                _obj, created = GroupPagePermission.objects.get_or_create(
                    group=group, page=page, permission=page_permissions[action]
                )
                counts["tillatelser"] += created

        for model_label, actions in COLLECTION_PERMISSIONS[name].items():
            app_label, model_name = model_label.split(".")
            for action in actions:
                _obj, created = GroupCollectionPermission.objects.get_or_create(
                    group=group, collection=root_collection, permission=_permission(app_label, f"{action}_{model_name}")
                )
                counts["tillatelser"] += created

    workflow, created = Workflow.objects.get_or_create(name=WORKFLOW_NAME)
    counts["arbeidsflyt"] += created
    task = ensure_review_task()
    task.groups.add(groups[APPROVERS])
    if not WorkflowTask.objects.filter(workflow=workflow, task=task).exists():
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=workflow.workflow_tasks.count())

    # A section an administrator has given another workflow keeps it.
    for page in sections:
        _link, created = WorkflowPage.objects.get_or_create(page=page, defaults={"workflow": workflow})
        counts["seksjoner med arbeidsflyt"] += created
    return counts


def rename_wagtail_defaults():
    """Give Wagtail's default groups, workflow and task their Norwegian names, unless an
    administrator has renamed them or the Norwegian name is taken."""
    for model, names in WAGTAIL_DEFAULT_NAMES.items():
        for english, norwegian in names.items():
            if not model.objects.filter(name=norwegian).exists():
                model.objects.filter(name=english).update(name=norwegian)


def ensure_review_task():
    """The task «Faglig vurdering» as a ``FourEyesApprovalTask``.

    Before the four-eyes rule the task was a plain ``GroupApprovalTask``. That row gets the new
    type in place (a row in the subclass's table with the same id, and the new content type), so
    the workflow, its groups and every page in review keep pointing at the same task."""
    task = FourEyesApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is not None:
        return task
    old = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
    if old is None:
        return FourEyesApprovalTask.objects.create(name=TASK_NAME)
    content_type = ContentType.objects.get_for_model(FourEyesApprovalTask)
    upgraded = FourEyesApprovalTask(
        task_ptr_id=old.pk, groupapprovaltask_ptr_id=old.pk, name=old.name, active=old.active, content_type=content_type
    )
    upgraded.save_base(raw=True)  # only the subclass's own table; the parent rows exist
    Task.objects.filter(pk=old.pk).update(content_type=content_type)
    return FourEyesApprovalTask.objects.get(pk=old.pk)
