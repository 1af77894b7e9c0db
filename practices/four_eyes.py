"""The four-eyes rule in the admin: nobody publishes their own changes to content under review.

The rule itself lives in the task type (``FourEyesApprovalTask``, practices/models/workflow.py):
its approve actions are absent for the page's own author. Here, registered in
``wagtail_hooks.py``, the admin says so and closes the ways around it for members of the task's
groups (the Godkjennere): the «Publiser» button and direct or bulk publishing of pages the
workflow covers. Superusers are exempt. ``FourEyesMiddleware`` turns a refused approval (an
approver who changed the page in the same save) into a Norwegian message instead of an error page.
"""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse

from .models.workflow import OWN_CHANGE_MESSAGE, FourEyesApprovalTask, FourEyesRefused

DIRECT_PUBLISH_MESSAGE = (
    "Sider i arbeidsflyten «{workflow}» publiseres når en annen godkjenner har godkjent dem. "
    "Endringene dine er lagret som kladd: send siden til godkjenning."
)


def four_eyes_task(page):
    """The four-eyes task of the active workflow that covers ``page`` (None if there is none)."""
    workflow = page.get_workflow()
    if workflow is None or not workflow.active:
        return None
    for task in workflow.tasks.filter(active=True).specific():
        if isinstance(task, FourEyesApprovalTask):
            return task
    return None


def must_not_publish_directly(user, page):
    """Whether ``user`` is one of the approvers of ``page``'s four-eyes workflow (not a superuser)."""
    if user.is_superuser:
        return False
    task = four_eyes_task(page)
    return task is not None and task._user_in_groups(user)


def explain_own_change(request, page):
    """``before_edit_page``: tell an approver looking at their own change why they cannot approve it."""
    if request.method != "GET":
        return None
    task = page.current_workflow_task
    if task is None:
        return None
    task = task.specific
    if (
        isinstance(task, FourEyesApprovalTask)
        and task._user_in_groups(request.user)
        and task.is_own_change(page, request.user)
    ):
            messages.info(request, OWN_CHANGE_MESSAGE.format(title=page.get_admin_display_title()))
    return None


def refuse_direct_publish(request, page):
    """``before_publish_page`` (edit and create views): the change stays a draft."""
    if must_not_publish_directly(request.user, page):
        if page.live and page.live_revision_id is None:
            # The create view adds a new page as live before this hook: keep it a draft.
            type(page).objects.filter(pk=page.pk).update(live=False, has_unpublished_changes=True)
            page.live = False
        messages.error(request, DIRECT_PUBLISH_MESSAGE.format(workflow=page.get_workflow().name))
        return redirect("wagtailadmin_pages:edit", page.pk)
    return None


def hide_publish_button(menu_items, request, context):
    """``construct_page_action_menu``: no «Publiser» where it would be refused."""
    page = context.get("page") if context.get("view") != "create" else context.get("parent_page")
    if page is not None and must_not_publish_directly(request.user, page):
        menu_items[:] = [item for item in menu_items if item.name != "action-publish"]


def refuse_bulk_publish(request, action_type, objects, action_class_instance):
    """``before_bulk_action``: publishing selected pages is refused if any of them is covered."""
    if action_type != "publish":
        return None
    for page in objects:
        if must_not_publish_directly(request.user, page):
            messages.error(request, DIRECT_PUBLISH_MESSAGE.format(workflow=page.get_workflow().name))
            return redirect(request.GET.get("next") or reverse("wagtailadmin_home"))
    return None


class FourEyesMiddleware:
    """Shows a refused approval as a message on the page's edit view (its edits are kept)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, FourEyesRefused):
            return None
        messages.error(request, str(exception))
        page_id = request.resolver_match.kwargs.get("page_id") if request.resolver_match else None
        if page_id is not None:
            return redirect("wagtailadmin_pages:edit", page_id)
        return redirect("wagtailadmin_home")
