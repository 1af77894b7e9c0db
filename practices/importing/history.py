"""What an import may do to a page: who acts, whether an editor has changed it since its last
import, and how the import's revision is recorded, published or sent for review.

Every importer (content files, Word and Markdown reports, ``bootstrap``) goes through here, so
they all follow one rule: a page edited in the admin since it was last imported is never
published over. The import either stops for that page (:class:`EditedSinceImport`) or, when
asked, saves the file's version as a draft revision for a person to review.

"Edited since import" is read from :class:`~practices.models.ImportRecord`: the revisions the
imports wrote are known, so any other revision newer than the last one an import wrote (and
that was accepted: published, a plain draft, or a review draft someone published) is an edit.
Pages imported before the records existed count revisions without a user as the import's.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.formats import date_format
from wagtail.models import PageLogEntry, WorkflowState

from ..four_eyes import must_not_publish_directly
from ..models import ImportRecord
from .content_file import ContentFileError

# What an import does with a page edited in the admin since its last import.
STOP = "stop"  # report it and leave the page alone (the default)
REVIEW_DRAFT = "review-draft"  # save the file's version as a draft revision for review, never publish


class EditedSinceImport(ContentFileError):
    """A page was changed in the admin after its last import; the import left it alone."""

    def __init__(self, path, page, revision, hint=""):
        self.page = page
        self.revision = revision
        who, when = describe_revision(revision)
        message = (
            f"«{page.get_admin_display_title()}» er redigert i admin av {who} {when}, etter forrige import. "
            "Importen ble stoppet for denne siden, så endringene ikke blir overskrevet."
        )
        super().__init__(path, f"{message} {hint}".strip())


def user_label(user):
    if user is None:
        return "en ukjent bruker"
    full_name = user.get_full_name().strip() if hasattr(user, "get_full_name") else ""
    return f"{full_name} ({user.get_username()})" if full_name else f"«{user.get_username()}»"


def norwegian_datetime(value):
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{date_format(local, 'j. F Y')} kl. {local:%H.%M}"


def describe_revision(revision):
    """(who, when) in Norwegian for a revision: «Rita Redaktør (rita)», «den 3. mars 2026 kl. 14.05»."""
    return user_label(revision.user), f"den {norwegian_datetime(revision.created_at)}"


# --- The acting user --------------------------------------------------------------------------


FOUR_EYES_MESSAGE = (
    "Brukeren «{user}» er godkjenner i arbeidsflyten «{workflow}» og kan ikke publisere sin egen import "
    "direkte: en annen godkjenner må godkjenne den (fire øyne). Importer uten --publish, så sendes utkastet "
    "til «{workflow}», der en annen godkjenner godkjenner og publiserer det."
)


class ImportUserError(Exception):
    """The acting user does not exist or may not do what was asked; message in Norwegian."""


def find_user(username):
    """The active user called ``username``, or ImportUserError."""
    User = get_user_model()
    user = User.objects.filter(**{User.USERNAME_FIELD: username}).first()
    if user is None or not user.is_active:
        raise ImportUserError(f"Fant ingen aktiv bruker med brukernavnet «{username}».")
    return user


def acting_user(username, publish, without_user):
    """The user a command's import acts as, or None for the installation itself (``bootstrap``).

    ImportUserError for an unknown name, or with ``without_user`` as its message when
    ``--publish`` is asked for without a user whose right to publish can be checked."""
    user = find_user(username) if username else None
    if publish and user is None:
        raise ImportUserError(without_user)
    return user


def _publish_rights(user, parent, existing):
    """(may write, has publish permission) for ``user`` on ``existing`` or a new page under ``parent``."""
    if existing is not None:
        permissions = existing.permissions_for_user(user)
        return permissions.can_edit(), permissions.can_publish()
    permissions = parent.permissions_for_user(user)
    return permissions.can_add_subpage(), permissions.can_publish_subpage()


def may_publish_directly(user, parent, existing=None):
    """Whether ``user`` may publish this import at once, as in the page editor.

    That takes permission to publish there, and not being one of the approvers of a four-eyes
    workflow covering the page (a Godkjenner's own change goes to review; see ``four_eyes.py``).
    ``user`` None is the installation itself (``bootstrap``): it may."""
    if user is None:
        return True
    _may_write, may_publish = _publish_rights(user, parent, existing)
    return may_publish and not must_not_publish_directly(user, existing if existing is not None else parent)


def check_permission(path, user, parent, existing, publish):
    """Refuse (ContentFileError) when ``user`` may not write, or publish, this page.

    Publishing needs what the page editor needs: permission to publish, and no four-eyes rule
    against publishing one's own change (a Godkjenner's import goes to another Godkjenner).
    ``user`` None is the installation itself (``bootstrap``, a trusted caller): no check."""
    if user is None:
        return
    section = parent.get_admin_display_title()
    may_write, may_publish = _publish_rights(user, parent, existing)
    if not may_write:
        raise ContentFileError(
            path, f"Brukeren «{user.get_username()}» har ikke lov til å skrive sider under «{section}»."
        )
    if publish and not may_publish:
        raise ContentFileError(
            path,
            f"Brukeren «{user.get_username()}» har ikke lov til å publisere under «{section}». "
            "Importer uten --publish, så sendes utkastet til godkjenning.",
        )
    page = existing if existing is not None else parent
    if publish and must_not_publish_directly(user, page):
        workflow = page.get_workflow().name
        raise ContentFileError(path, FOUR_EYES_MESSAGE.format(user=user.get_username(), workflow=workflow))


# --- Edited since import ----------------------------------------------------------------------


def _legacy_baseline(page):
    """For a page imported before import records existed: its newest revision without a user."""
    return page.revisions.filter(user__isnull=True).order_by("-pk").values_list("pk", flat=True).first()


def accepted_baseline(page, records):
    """The newest revision an import wrote that stands as the page's accepted import, or None."""
    review_ids = [r.revision_id for r in records if r.outcome == ImportRecord.Outcome.REVIEW and r.revision_id]
    published_reviews = set(
        PageLogEntry.objects.filter(page=page, action="wagtail.publish", revision_id__in=review_ids).values_list(
            "revision_id", flat=True
        )
    )
    if page.live_revision_id in review_ids:
        published_reviews.add(page.live_revision_id)
    accepted = [
        r.revision_id
        for r in records
        if r.revision_id and (r.outcome != ImportRecord.Outcome.REVIEW or r.revision_id in published_reviews)
    ]
    return max(accepted, default=None)


def edit_since_import(page):
    """The newest revision made outside the importers since the page's last import, or None."""
    records = list(ImportRecord.objects.filter(page=page))
    if records:
        baseline = accepted_baseline(page, records)
        imported = {r.revision_id for r in records if r.revision_id}
    else:
        baseline = _legacy_baseline(page)
        imported = set()
    edits = page.revisions.exclude(pk__in=imported).select_related("user").order_by("-created_at", "-pk")
    if baseline is not None:
        edits = edits.filter(pk__gt=baseline)
    return edits.first()


def last_record(page):
    return ImportRecord.objects.filter(page=page).first()


@dataclass
class Decision:
    """What to do with an existing page: ``unchanged`` (nothing), ``write`` (normally) or
    ``review`` (the file's version as a draft beside an editor's edit)."""

    action: str
    edit: object = None  # the editor's revision, when there is one


def decide(path, page, sha256, importer_version, publish, on_edited=STOP, hint="", legacy_digest=None):
    """Decide about re-importing a file into an existing ``page``; raises EditedSinceImport."""
    record = last_record(page)
    if record is not None:
        same_file = record.sha256 == sha256 and record.importer_version == importer_version
    else:
        same_file = legacy_digest is not None and getattr(page, "import_checksum", "") == legacy_digest
    edit = edit_since_import(page)
    if edit is None:
        if same_file and (not publish or (page.live and not page.has_unpublished_changes)):
            return Decision("unchanged")
        return Decision("write")
    if same_file:
        return Decision("unchanged", edit)  # the file brings nothing new; the editor's edit stands
    if on_edited == REVIEW_DRAFT:
        return Decision("review", edit)
    raise EditedSinceImport(path, page, edit, hint=hint)


# --- Writing ----------------------------------------------------------------------------------


def record(page, revision, *, kind, source_name, sha256, importer_version, outcome, user):
    return ImportRecord.objects.create(
        page=page,
        revision=revision,
        kind=kind,
        source_name=str(source_name)[-255:],
        sha256=sha256,
        importer_version=importer_version,
        outcome=outcome,
        user=user if user is not None and user.is_authenticated else None,
    )


def submit_for_review(page, user):
    """Send the page's latest revision into its workflow (e.g. «Faglig godkjenning») as ``user``.

    Returns the workflow's name, or "" when the page has no workflow. A workflow already in
    progress reviews the new revision (approval publishes the latest revision); one waiting for
    changes is resumed."""
    workflow = page.get_workflow()
    if workflow is None or not workflow.active:
        return ""
    state = page.current_workflow_state
    if state is None:
        workflow.start(page, user)
    elif state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        state.resume(user)
    return workflow.name
