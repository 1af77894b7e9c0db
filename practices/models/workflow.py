"""The review task of «Faglig godkjenning»: approval by a Godkjenner who is not the author.

``FourEyesApprovalTask`` («Godkjenning av en annen person») is Wagtail's group approval task
with one more rule: the person who submitted the page, or saved the version under review, may
not approve it; another member of the task's groups must. Superusers are exempt (they may also
publish directly). ``practices/editorial.py`` puts it in the workflow, and
``practices/wagtail_hooks.py`` explains the rule in the admin and stops members of the task's
groups from publishing their own changes directly past the workflow.
"""

from django.db.models import Q
from wagtail.models import GroupApprovalTask

OWN_CHANGE_MESSAGE = (
    "Du kan ikke godkjenne «{title}» fordi du selv har endret eller sendt inn denne versjonen. "
    "En annen godkjenner må godkjenne den."
)


class FourEyesRefused(Exception):
    """An approval by the page's own author; the message is shown to the editor in Norwegian."""


class FourEyesApprovalTask(GroupApprovalTask):
    def authors(self, obj, task_state=None):
        """Ids of the users who may not approve ``obj`` now: who submitted it, who saved the
        version under review, and who saved the latest version (edits made during the review)."""
        ids = set()
        workflow_state = task_state.workflow_state if task_state else obj.current_workflow_state
        if workflow_state is not None:
            ids.add(workflow_state.requested_by_id)
            task_state = task_state or workflow_state.current_task_state
        if task_state is not None:
            ids.add(task_state.revision.user_id)
        latest = obj.get_latest_revision()
        if latest is not None:
            ids.add(latest.user_id)
        ids.discard(None)
        return ids

    def is_own_change(self, obj, user, task_state=None):
        return not user.is_superuser and user.pk in self.authors(obj, task_state)

    def get_actions(self, obj, user):
        actions = super().get_actions(obj, user)
        if actions and self.is_own_change(obj, user):
            return []
        return actions

    def on_action(self, task_state, user, action_name, **kwargs):
        if action_name == "approve":
            obj = task_state.workflow_state.content_object
            if self.is_own_change(obj, user, task_state):
                title = getattr(obj, "get_admin_display_title", obj.__str__)()
                raise FourEyesRefused(OWN_CHANGE_MESSAGE.format(title=title))
        return super().on_action(task_state, user, action_name, **kwargs)

    def get_task_states_user_can_moderate(self, user, **kwargs):
        states = super().get_task_states_user_can_moderate(user, **kwargs)
        if user.is_superuser:
            return states
        return states.exclude(Q(workflow_state__requested_by=user) | Q(revision__user=user))

    @classmethod
    def get_description(cls):
        return (
            "Medlemmer av de valgte gruppene kan godkjenne, men ikke endringer de selv har gjort "
            "eller sendt inn: det må en annen person gjøre."
        )

    class Meta:
        verbose_name = "Godkjenning av en annen person"
        verbose_name_plural = "Godkjenninger av en annen person"
