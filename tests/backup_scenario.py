"""A site to back up and a fingerprint to compare after restoring it, for tests/test_backup.py.

Run in a separate process against its own database and media folder (DATABASE_URL and
MEDIA_ROOT in the environment): ``python -m tests.backup_scenario populate|snapshot``.
``snapshot`` prints JSON: pages, revisions, taxonomies, tags, users, images and documents
with the SHA-256 of every media file.
"""

import hashlib
import io
import json
import os
import sys
from pathlib import Path


def populate():
    from django.contrib.auth import get_user_model
    from django.core.files.base import ContentFile
    from django.core.files.images import ImageFile
    from django.core.management import call_command
    from PIL import Image as PillowImage
    from wagtail.documents.models import Document
    from wagtail.images.models import Image

    from practices.models import PracticePage

    call_command("bootstrap", verbosity=0)
    get_user_model().objects.create_superuser("drift", "drift@example.no", "et-langt-passord-for-drift")
    picture = io.BytesIO()
    PillowImage.new("RGB", (64, 48), (11, 53, 88)).save(picture, format="PNG")
    image = Image.objects.create(title="Bostedsløse i Tromsø", file=ImageFile(picture, name="tromso.png"))
    image.get_rendition("fill-32x32")  # a generated file under images/ too
    Document.objects.create(
        title="Sluttrapport", file=ContentFile(b"Sluttrapport for prosjektet.\n", name="sluttrapport.txt")
    )
    # An unpublished draft: an editor's work in progress must survive too.
    page = PracticePage.objects.get(slug="fra-bostedslos-til-beboer")
    page.title = "Fra bostedsløs til beboer (utkast)"
    page.save_revision()


def snapshot():
    from django.apps import apps
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from taggit.models import Tag
    from wagtail.documents.models import Document
    from wagtail.images.models import Image
    from wagtail.models import Page, Revision

    media = Path(settings.MEDIA_ROOT)
    taxonomies = {
        label: sorted(str(obj) for obj in apps.get_model("practices", label).objects.all())
        for label in ("County", "Municipality", "Law", "LegalProvision", "Theme", "TargetGroup", "FundingSource")
    }
    return {
        "pages": [
            [p.pk, p.path, p.slug, p.title, p.live, p.has_unpublished_changes, p.latest_revision_id]
            for p in Page.objects.order_by("path")
        ],
        "revisions": [
            [r.pk, r.object_id, r.object_str, json.dumps(r.content, sort_keys=True, default=str)]
            for r in Revision.objects.order_by("pk")
        ],
        "taxonomies": taxonomies,
        "tags": sorted(Tag.objects.values_list("name", flat=True)),
        "users": sorted(get_user_model().objects.values_list("username", "password", "is_superuser")),
        "images": sorted([i.title, i.file.name, i.renditions.count()] for i in Image.objects.all()),
        "documents": sorted([d.title, d.file.name] for d in Document.objects.all()),
        "files": {
            path.relative_to(media).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(media.rglob("*"))
            if path.is_file()
        },
    }


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kunnskapsbase.settings.base")
    import django

    django.setup()
    if sys.argv[1] == "populate":
        populate()
    else:
        print(json.dumps(snapshot(), ensure_ascii=False, default=list))
