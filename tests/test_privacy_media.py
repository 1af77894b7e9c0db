"""Images and documents of drafts stay private (practices/media_privacy.py): not listed by the API,
not downloadable, not served as files or renditions – until a page that uses them is published;
private again when it is unpublished. Editors with admin access see everything."""

import io
from urllib.parse import quote

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import caches
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction
from wagtail.rich_text import RichText

from practices.editorial import EDITORS
from practices.models import PracticeAttachment
from tests.factories import PracticePageFactory, ReportPageFactory, edit_form_data

Image = get_image_model()
Document = get_document_model()


def png_bytes(colour="red"):
    buffer = io.BytesIO()
    PILImage.new("RGB", (40, 30), colour).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def no_cached_renditions():
    """Wagtail caches renditions by image id; ids come back after each test's rollback."""
    for cache in caches.all():
        cache.clear()


@pytest.fixture
def editor(db):
    user = get_user_model().objects.create_user("redaktor-media", "redaktor@example.no", "passord-for-test")
    user.groups.add(Group.objects.get(name=EDITORS))
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def uploaded(editor):
    """An image and a document uploaded by an editor through the admin."""
    root = Collection.get_first_root_node()
    response = editor.post(
        reverse("wagtailimages:add"),
        {"title": "Bilde fra boligteamet", "collection": root.pk,
         "file": SimpleUploadedFile("boligteamet.png", png_bytes(), content_type="image/png")},
    )
    assert response.status_code == 302, response.content[:2000]
    response = editor.post(
        reverse("wagtaildocs:add"),
        {"title": "Prosjektplan for boligteamet", "collection": root.pk,
         "file": SimpleUploadedFile("prosjektplan.pdf", b"%PDF-1.4\n% prosjektplan\n", content_type="application/pdf")},
    )
    assert response.status_code == 302, response.content[:2000]
    return Image.objects.get(title="Bilde fra boligteamet"), Document.objects.get(title="Prosjektplan for boligteamet")


def draft_report_using(image, document, **kwargs):
    return ReportPageFactory(
        title="Rapport fra boligteamet (utkast)",
        live=False,
        pdf=document,
        body=[
            ("paragraph", RichText("<p>Slik jobbet boligteamet.</p>")),
            ("image", {"image": image, "alt_text": "Boligteamet", "caption": ""}),
        ],
        **kwargs,
    )


def publish(page):
    page.save_revision().publish()
    page.refresh_from_db()


def addresses(image, document):
    """Every public address of the image and the document."""
    rendition = image.get_rendition("width-1000")  # the rendition the figure block shows
    return {
        "image in the API listing": "/api/v2/images/",
        "image in the API search": "/api/v2/images/?search=boligteamet",
        "image detail": f"/api/v2/images/{image.pk}/",
        "image file": image.file.url,
        "image rendition": rendition.url,
        "document in the API listing": "/api/v2/documents/",
        "document in the API search": "/api/v2/documents/?search=boligteamet",
        "document detail": f"/api/v2/documents/{document.pk}/",
        "document download": document.url,
    }


def visible(client, image, document):
    """What ``client`` gets at each address: True when the item is there, False when not."""
    seen = {}
    for what, url in addresses(image, document).items():
        response = client.get(url)
        if what.endswith(("API listing", "API search")):
            assert response.status_code == 200
            item = image if what.startswith("image") else document
            ids = [entry["id"] for entry in response.json()["items"]]
            seen[what] = item.pk in ids
        else:
            assert response.status_code in (200, 403, 404), f"{what}: {url} svarte {response.status_code}"
            seen[what] = response.status_code == 200
    return seen


def everywhere(value, image, document):
    return dict.fromkeys(addresses(image, document), value)


def test_draft_media_are_private_until_published_and_again_after_unpublishing(client, uploaded):
    image, document = uploaded
    report = draft_report_using(image, document)

    assert visible(client, image, document) == everywhere(False, image, document)

    publish(report)
    assert visible(client, image, document) == everywhere(True, image, document)
    page = client.get(report.url)
    assert document.url in page.content.decode()
    assert image.get_rendition("width-1000").url in page.content.decode()
    # The files are the uploaded ones.
    assert b"".join(client.get(document.url).streaming_content).startswith(b"%PDF-1.4")
    served = client.get(image.file.url)
    assert served["Content-Type"] == "image/png"
    assert "public" in served["Cache-Control"]
    assert b"".join(served.streaming_content) == image.file.open("rb").read()

    report.unpublish()
    assert visible(client, image, document) == everywhere(False, image, document)


def test_editors_see_drafts_media_in_the_admin_and_the_preview(editor, uploaded):
    image, document = uploaded
    report = draft_report_using(image, document)
    seen = visible(editor, image, document)
    # The API is public: it lists only what an anonymous visitor may see, for everyone.
    assert seen == {**everywhere(True, image, document),
        "image in the API listing": False, "image in the API search": False, "image detail": False,
        "document in the API listing": False, "document in the API search": False, "document detail": False
    }
    preview_url = reverse("wagtailadmin_pages:preview_on_edit", args=[report.pk])
    assert editor.post(preview_url, edit_form_data(editor, report)).json() == {"is_valid": True, "is_available": True}
    preview = editor.get(preview_url)
    assert preview.status_code == 200
    assert image.get_rendition("width-1000").url in preview.content.decode()
    assert editor.get(reverse("wagtailimages:edit", args=[image.pk])).status_code == 200
    assert editor.get(reverse("wagtaildocs:edit", args=[document.pk])).status_code == 200


def test_logged_in_readers_without_admin_access_do_not_see_drafts_media(client, uploaded):
    image, document = uploaded
    draft_report_using(image, document)
    reader = get_user_model().objects.create_user("leser-utkast", "leser@example.no", "passord-for-test")
    client.force_login(reader)
    assert visible(client, image, document) == everywhere(False, image, document)


def test_media_used_by_no_page_are_private(client, uploaded):
    image, document = uploaded
    assert visible(client, image, document) == everywhere(False, image, document)


def test_attachments_and_document_links_in_rich_text_of_a_draft_practice(client, uploaded):
    image, document = uploaded
    linked = Document.objects.create(
        title="Evaluering av boligteamet", file=SimpleUploadedFile("evaluering.pdf", b"%PDF-1.4\n"),
        collection=Collection.get_first_root_node(),
    )
    practice = PracticePageFactory(
        title="Boligteam i Bodø (utkast)",
        live=False,
        description=f'<p>Se <a linktype="document" id="{linked.pk}">evalueringen</a>.</p>',
    )
    PracticeAttachment.objects.create(page=practice, document=document, title="Prosjektplanen")
    practice.save()

    for item in (document, linked):
        assert client.get(item.url).status_code == 404
        assert client.get(f"/api/v2/documents/{item.pk}/").status_code == 404

    publish(practice)
    for item in (document, linked):
        assert client.get(item.url).status_code == 200
        assert client.get(f"/api/v2/documents/{item.pk}/").status_code == 200
    api = client.get(f"/api/v2/pages/{practice.pk}/").json()
    assert api["attachments"] == [{"title": "Prosjektplanen", "url": document.url}]

    practice.unpublish()
    for item in (document, linked):
        assert client.get(item.url).status_code == 404


@pytest.mark.parametrize("kind", [PageViewRestriction.LOGIN, PageViewRestriction.PASSWORD])
def test_media_of_a_live_page_with_a_view_restriction_are_for_its_readers_only(client, uploaded, kind):
    image, document = uploaded
    report = draft_report_using(image, document)
    publish(report)
    restriction = PageViewRestriction.objects.create(page=report, restriction_type=kind, password="hemmelig-ord")
    assert visible(client, image, document) == everywhere(False, image, document)

    # A reader who passes the page's restriction sees the page with its images and documents, and
    # the files are not kept by shared caches; the API still lists only the anonymous view.
    if kind == PageViewRestriction.LOGIN:
        client.force_login(get_user_model().objects.create_user("leser-side", "l@example.no", "passord-for-test"))
    else:
        response = client.post(
            reverse("wagtailcore_authenticate_with_password", args=[restriction.pk, report.pk]),
            {"password": "hemmelig-ord", "return_url": report.url},
        )
        assert response.status_code == 302
    page = client.get(report.url)
    assert page.status_code == 200 and image.get_rendition("width-1000").url in page.content.decode()
    seen = visible(client, image, document)
    assert seen == {**everywhere(True, image, document),
        "image in the API listing": False, "image in the API search": False, "image detail": False,
        "document in the API listing": False, "document in the API search": False, "document detail": False
    }
    assert "private" in client.get(image.file.url)["Cache-Control"]


def test_new_media_in_unpublished_changes_of_a_live_page_stay_private(client, uploaded):
    image, document = uploaded
    report = ReportPageFactory(title="Publisert rapport fra boligteamet")
    assert client.get(report.url).status_code == 200
    draft = report.get_latest_revision_as_object()
    draft.pdf = document
    draft.save_revision()  # a draft of the live page, not published
    assert client.get(document.url).status_code == 404

    report.get_latest_revision().publish()
    assert client.get(document.url).status_code == 200


def test_media_in_a_collection_with_a_view_restriction_need_its_login_when_published(client, uploaded):
    image, document = uploaded
    internal = Collection.get_first_root_node().add_child(name="Interne filer")
    CollectionViewRestriction.objects.create(collection=internal, restriction_type=CollectionViewRestriction.LOGIN)
    for item in (image, document):
        item.collection = internal
        item.save()
    publish(draft_report_using(image, document))

    # Not listed for anyone, not served to anonymous visitors: Wagtail asks them to log in for the document.
    assert image.pk not in [item["id"] for item in client.get("/api/v2/images/").json()["items"]]
    assert client.get(f"/api/v2/documents/{document.pk}/").status_code == 404
    assert client.get(image.file.url).status_code == 404
    download = client.get(document.url)
    assert download.status_code == 302 and "/login/" in download["Location"]

    # A logged-in reader (no admin access) passes the collection's login restriction.
    reader = get_user_model().objects.create_user("leser-media", "leser@example.no", "passord-for-test")
    client.force_login(reader)
    assert client.get(document.url).status_code == 200
    served = client.get(image.file.url)
    assert served.status_code == 200
    assert "private" in served["Cache-Control"]  # not to be kept by shared caches for everyone
    assert client.get(f"/api/v2/images/{image.pk}/").status_code == 404  # the API shows the anonymous view


def test_media_addresses_that_belong_to_nothing_are_not_found(client, editor, uploaded):
    image, _document = uploaded
    for url in ("/media/original_images/finnes-ikke.png", "/media/../kunnskapsbase/settings/base.py",
                "/media/%2e%2e/%2e%2e/etc/passwd", "/media/images/", "/media/original_images/a%00b.png",
                "/media/original_images/%0d%0a.png"):
        assert client.get(url).status_code == 404, url
        assert editor.get(url).status_code == 404, url
    assert client.post(image.file.url).status_code == 405


def image_in_collection(title):
    return Image.objects.create(
        title=title, file=SimpleUploadedFile(f"{title}.png", png_bytes()), collection=Collection.get_first_root_node()
    )


def test_api_listings_of_media_make_a_fixed_number_of_queries(client, db):
    def listing(url, expected):
        assert client.get(url).status_code == 200
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        items = response.json()["items"]
        assert {item["title"] for item in items} >= expected
        tagged = [item for item in items if item["title"] in ("bilde-1", "dokument-1")]
        assert len(tagged) == len({"bilde-1", "dokument-1"} & expected)
        assert [item["meta"]["tags"] for item in tagged] == [["alta", "boligteam"]] * len(tagged), tagged
        return len(queries)

    def publish_report_with(images, documents):
        body = [("image", {"image": image, "alt_text": "", "caption": ""}) for image in images]
        body += [("document", {"document": document, "title": ""}) for document in documents]
        publish(ReportPageFactory(live=False, body=body))

    first_image, first_document = image_in_collection("bilde-0"), Document.objects.create(
        title="dokument-0", file=SimpleUploadedFile("dokument-0.pdf", b"%PDF-1.4\n"),
        collection=Collection.get_first_root_node(),
    )
    publish_report_with([first_image], [first_document])
    few_images = listing("/api/v2/images/", {"bilde-0"})
    few_documents = listing("/api/v2/documents/", {"dokument-0"})

    images = [image_in_collection(f"bilde-{n}") for n in range(1, 11)]
    documents = [
        Document.objects.create(title=f"dokument-{n}", file=SimpleUploadedFile(f"dokument-{n}.pdf", b"%PDF-1.4\n"),
                                collection=Collection.get_first_root_node())
        for n in range(1, 11)
    ]
    for item in (images[0], documents[0]):  # «bilde-1», «dokument-1»
        item.tags.add("boligteam", "alta")
        item.save()
    publish_report_with(images[:5], documents[:5])
    publish_report_with(images[5:], documents[5:])
    PageViewRestriction.objects.create(page=PracticePageFactory(), restriction_type=PageViewRestriction.LOGIN)
    many_images = listing("/api/v2/images/", {f"bilde-{n}" for n in range(11)})
    many_documents = listing("/api/v2/documents/", {f"dokument-{n}" for n in range(11)})
    assert (many_images, many_documents) == (few_images, few_documents)


def test_publishing_makes_media_public_even_when_background_tasks_wait(client, uploaded, settings):
    """Wagtail updates its reference index in a background task; with a real task queue it may run
    later, but a published page's images and documents must be public at once."""
    image, document = uploaded
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}  # tasks never run
    report = draft_report_using(image, document)
    assert client.get(document.url).status_code == 404
    publish(report)
    assert client.get(document.url).status_code == 200
    assert client.get(image.file.url).status_code == 200


MEDIA_PATHS = st.one_of(
    st.text(max_size=60),
    st.lists(st.sampled_from(["original_images", "images", "documents", "..", ".", "", "%00", "x.png", "ø å.jpg"]),
             max_size=5).map("/".join),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(path=MEDIA_PATHS)
def test_any_media_address_is_not_found_rather_than_an_error(client, editor, path):
    url = "/media/" + quote(path, safe="/%")
    for requester in (client, editor):
        assert requester.get(url).status_code == 404, url
