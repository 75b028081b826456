"""Documents: attach, version, withdraw and download, as each role; refusals by content."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from PIL import Image

from partnership.core.exceptions import ApplicationError, PermissionDeniedError
from partnership.core.models import Marking, User
from partnership.core.services import marking_apply
from partnership.documents import files, services
from partnership.documents.models import Document, DocumentKind, DocumentVersion
from partnership.framework.models import Agreement, Body, Meeting, MeetingLevel
from tests.partnership.core.test_selectors import EXPECTED, MARKINGS, client_for

pytestmark = pytest.mark.django_db


def pdf_bytes(colour: str = "white") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (200, 280), colour).save(out, format="PDF")
    return out.getvalue()


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (1200, 900), "navy").save(out, format="PNG")
    return out.getvalue()


def meeting(marking: str = Marking.PARTNERSHIP, nations: list[str] | None = None) -> Meeting:
    record = Meeting(
        body=Body.objects.get(slug="nuc"),
        level=MeetingLevel.AMBASSADORS,
        title_en="Documents test meeting",
        date="2026-11-02",
    )
    marking_apply(record=record, marking=marking, nations=nations or [])
    record.save()
    return record


def attach(parent: Any, data: bytes = b"", name: str = "paper.pdf", **kwargs: Any) -> Document:
    options: dict[str, Any] = {
        "kind": DocumentKind.PAPER,
        "title_en": "Food for thought paper",
        "title_uk": "Аналітична записка",
        "marking": parent.marking,
        "nations": parent.releasable_codes,
    }
    options.update(kwargs)
    return services.document_attach(
        by=User.objects.get(username="nato-editor"),
        parent=parent,
        upload=SimpleUploadedFile(name, data or pdf_bytes()),
        **options,
    )


def stored_files() -> set[str]:
    root = Path(settings.MEDIA_ROOT) / "documents"
    return {str(p) for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def test_an_editor_attaches_a_paper_on_the_meeting_page_and_downloads_it() -> None:
    # Given a NATO editor on a meeting's page
    record = meeting()
    client = client_for("nato-editor")
    page = client.get(f"/en/framework/meetings/{record.pk}/")
    assert b"Attach a document" in page.content
    form = client.get(f"/en/documents/attach/meeting/{record.pk}/")
    # The form starts at the meeting's own marking.
    assert form.context["form"].initial["marking"] == Marking.PARTNERSHIP
    data = pdf_bytes()
    # When they attach a PDF
    answer = client.post(
        f"/en/documents/attach/meeting/{record.pk}/",
        {
            "kind": DocumentKind.PAPER,
            "title_en": "Food for thought paper",
            "title_uk": "Аналітична записка",
            "marking": Marking.PARTNERSHIP,
            "file": SimpleUploadedFile("../../etc/Food for thought; rm -rf.PDF", data),
        },
    )
    # Then it is saved and the page redirects to the document (POST-redirect-GET)
    document = Document.objects.get(meeting=record)
    assert answer.status_code == 302 and answer["Location"].endswith(f"/documents/{document.pk}/")
    version = document.versions.get()
    assert version.number == 1 and version.content_type == "application/pdf"
    # The name is sanitised: no directories, no shell characters, the extension kept.
    assert version.filename == "Food_for_thought_rm_-rf.pdf"
    # The stored name is not the uploader's.
    assert "Food" not in version.file.name
    # And the meeting page lists it; the download gives back the same bytes as an attachment
    listing = client.get(f"/en/framework/meetings/{record.pk}/").content.decode()
    assert "Food for thought paper" in listing
    download = client.get(f"/en/documents/{document.pk}/download/")
    assert b"".join(download.streaming_content) == data
    assert download["Content-Disposition"].startswith("attachment;")
    assert "Food_for_thought_rm_-rf.pdf" in download["Content-Disposition"]
    assert download["Cache-Control"] == "private, no-store"
    # In Ukrainian the list shows the Ukrainian title
    uk = client.get(f"/uk/framework/meetings/{record.pk}/").content.decode()
    assert "Аналітична записка" in uk


def test_a_new_version_is_a_file_of_its_own_and_the_old_one_stays() -> None:
    # Given a document with a first version
    first_bytes = pdf_bytes("white")
    document = attach(meeting(), first_bytes)
    first = document.versions.get()
    client = client_for("nato-editor")
    second_bytes = pdf_bytes("yellow")
    # When a second version is uploaded through the page
    answer = client.post(
        f"/en/documents/{document.pk}/new-version/",
        {"file": SimpleUploadedFile("paper-rev1.pdf", second_bytes)},
    )
    assert answer.status_code == 302
    # Then both are kept, each with its own file; "download" gives the newest
    assert list(document.versions.values_list("number", flat=True)) == [2, 1]
    second = document.versions.get(number=2)
    assert second.file.name != first.file.name
    newest = client.get(f"/en/documents/{document.pk}/download/")
    assert b"".join(newest.streaming_content) == second_bytes
    older = client.get(f"/en/documents/{document.pk}/v1/download/")
    assert b"".join(older.streaming_content) == first_bytes
    # And the history records both
    assert DocumentVersion.history.filter(document_id=document.pk).count() == 2


def _document_on(parent_marking: tuple[str, list[str]], own: tuple[str, list[str]]) -> Document:
    """A document written straight to the database, so that a wrong marking (wider than its
    parent's) is possible here: visibility must still take the parent's."""
    parent = meeting(parent_marking[0], parent_marking[1])
    document = attach(parent)
    marking_apply(record=document, marking=own[0], nations=own[1])
    document.save()
    return document


@pytest.mark.parametrize("who", sorted(EXPECTED))
def test_who_may_download_what(who: str) -> None:
    """The releasability matrix extended to documents: a document is downloadable by exactly
    those who may see both it and its meeting (EXPECTED is written out by hand)."""
    made = {}
    for parent_name, parent_marking in MARKINGS.items():
        for own_name, own_marking in MARKINGS.items():
            made[(parent_name, own_name)] = _document_on(parent_marking, own_marking)
    client = client_for(who)
    for (parent_name, own_name), document in made.items():
        allowed = parent_name in EXPECTED[who] and own_name in EXPECTED[who]
        download = client.get(f"/en/documents/{document.pk}/download/")
        page = client.get(f"/en/documents/{document.pk}/")
        api = client.get(f"/api/documents/{document.pk}/versions/1/file")
        assert (download.status_code == 200) is allowed, (who, parent_name, own_name)
        assert (page.status_code == 200) is allowed, (who, parent_name, own_name)
        assert (api.status_code == 200) is allowed, (who, parent_name, own_name)
        if not allowed:
            assert download.status_code == 404 and api.status_code == 404


def test_no_media_url_serves_a_document() -> None:
    # Given a stored document
    document = attach(meeting(Marking.PUBLIC))
    name = document.versions.get().file.name
    anonymous = Client()
    # Then no URL made of its storage name reaches it, only the permission-checked view does
    assert not settings.MEDIA_URL or settings.MEDIA_URL == "/"
    for url in (f"/{name}", f"/media/{name}", f"/en/media/{name}", f"/static/{name}"):
        assert anonymous.get(url).status_code == 404, url
    assert anonymous.get(f"/en/documents/{document.pk}/download/").status_code == 200


@pytest.mark.parametrize(
    ("data", "name", "found"),
    [
        (Path("/bin/ls").read_bytes()[:65536], "minutes.pdf", "a program library"),
        (b"\x7fELF\x02\x01\x01" + b"\x00" * 9 + b"\x02\x00>\x00" + b"\x00" * 44, "a.pdf", None),
        (b"<!DOCTYPE html><html><script>alert(1)</script></html>", "agenda.pdf", "HTML"),
        (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64, "x.pdf", None),
    ],
)
def test_a_pdf_that_is_a_program_or_html_is_refused_and_nothing_is_saved(
    data: bytes, name: str, found: str | None
) -> None:
    # Given a meeting and the files already stored
    record = meeting()
    before = stored_files()
    client = client_for("nato-editor")
    # When a file named .pdf that is something else is attached
    answer = client.post(
        f"/en/documents/attach/meeting/{record.pk}/",
        {
            "kind": DocumentKind.PAPER,
            "title_en": "Paper",
            "title_uk": "Документ",
            "marking": Marking.PARTNERSHIP,
            "file": SimpleUploadedFile(name, data, content_type="application/pdf"),
        },
    )
    # Then the form says why, on the file field, with what a document may be
    assert answer.status_code == 200
    error = " ".join(answer.context["form"].errors["file"])
    assert "by its content; a document may be PDF, PNG, JPEG" in error
    if found:
        assert f"is {found} by its content" in error
    # And nothing is saved: no document, no file
    assert not Document.objects.filter(meeting=record).exists()
    assert stored_files() == before


def test_a_png_named_pdf_is_refused_naming_what_it_is() -> None:
    with pytest.raises(ApplicationError) as refused:
        attach(meeting(), png_bytes(), name="scan.pdf")
    assert refused.value.field == "file"
    assert "is PNG by its content, but its name ends in “.pdf”; name it *.png" in str(
        refused.value.message
    )


@override_settings(UPLOAD_MAX_BYTES={**settings.UPLOAD_MAX_BYTES, "document": 1024 * 1024})
def test_a_file_too_large_is_refused_with_the_limit_in_either_language() -> None:
    record = meeting()
    client = client_for("nato-editor")
    big = pdf_bytes() + b"\x00" * (1024 * 1024)
    for language, expected in (
        ("en", "The file is larger than 1 MB, the most a document file may be."),
        ("uk", "1 МБ"),
    ):
        answer = client.post(
            f"/{language}/documents/attach/meeting/{record.pk}/",
            {
                "kind": DocumentKind.PAPER,
                "title_en": "Paper",
                "title_uk": "Документ",
                "marking": Marking.PARTNERSHIP,
                "file": SimpleUploadedFile("big.pdf", big),
            },
        )
        assert expected in " ".join(answer.context["form"].errors["file"]), language
    assert not Document.objects.filter(meeting=record).exists()


def test_a_document_may_not_be_wider_than_its_parent() -> None:
    # Given a NATO-only meeting
    record = meeting(Marking.NATO)
    # When a document on it is marked for the partnership (or the public)
    for wider in (Marking.PARTNERSHIP, Marking.PUBLIC):
        with pytest.raises(ApplicationError) as refused:
            attach(record, marking=wider, nations=[])
        # Then it is refused on the marking, naming the parent's
        assert refused.value.field == "marking"
        assert "(NATO)" in str(refused.value.message)
    # A narrower marking (named Allies) is accepted
    narrower = attach(record, marking=Marking.NATIONS, nations=["US"])
    assert narrower.releasable_to == ",US,"


def test_a_partner_viewer_may_not_attach_and_the_button_is_not_shown() -> None:
    record = meeting()
    client = client_for("ua-viewer")
    assert b"Attach a document" not in client.get(f"/en/framework/meetings/{record.pk}/").content
    assert client.get(f"/en/documents/attach/meeting/{record.pk}/").status_code == 403
    with pytest.raises(PermissionDeniedError):
        services.document_attach(
            by=User.objects.get(username="ua-viewer"),
            parent=record,
            kind=DocumentKind.PAPER,
            title_en="x",
            title_uk="х",
            marking=Marking.PARTNERSHIP,
            upload=SimpleUploadedFile("a.pdf", pdf_bytes()),
        )


def test_a_kind_the_parent_does_not_take_is_refused() -> None:
    agreement = Agreement.objects.filter(marking=Marking.PUBLIC).first()
    assert agreement is not None
    with pytest.raises(ApplicationError) as refused:
        attach(agreement, kind=DocumentKind.MINUTES)
    assert refused.value.field == "kind"
    assert "Signed text" in str(refused.value.message)


def test_the_signed_text_of_an_agreement_is_attached_on_its_page() -> None:
    agreement = Agreement.objects.filter(marking=Marking.PUBLIC).first()
    assert agreement is not None
    document = attach(agreement, kind=DocumentKind.SIGNED_TEXT, title_en="Signed text")
    page = Client().get(f"/en/framework/agreements/{agreement.slug}/").content.decode()
    assert f"/en/documents/{document.pk}/download/" in page


def test_a_preview_is_drawn_once_and_served_through_the_same_check() -> None:
    # Given a PDF on a NATO meeting
    document = attach(meeting(Marking.NATO))
    nato = client_for("nato-editor")
    # When a NATO reader opens its preview twice
    first = nato.get(f"/en/documents/{document.pk}/v1/preview.png")
    stored = DocumentVersion.objects.get(document=document).preview.name
    second = nato.get(f"/en/documents/{document.pk}/v1/preview.png")
    # Then it is a PNG of the first page, drawn once and kept
    png = b"".join(first.streaming_content)
    assert first["Content-Type"] == "image/png" and png.startswith(b"\x89PNG")
    assert Image.open(io.BytesIO(png)).width <= files.PREVIEW_WIDTH
    assert DocumentVersion.objects.get(document=document).preview.name == stored
    assert b"".join(second.streaming_content) == png
    # And a partner reader, who may not see the meeting, gets no preview either
    assert (
        client_for("ua-viewer").get(f"/en/documents/{document.pk}/v1/preview.png").status_code
        == 404
    )


def test_an_image_gets_a_preview_and_a_text_file_none() -> None:
    picture = attach(meeting(), png_bytes(), name="photo.png")
    client = client_for("nato-editor")
    answer = client.get(f"/en/documents/{picture.pk}/v1/preview.png")
    assert Image.open(io.BytesIO(b"".join(answer.streaming_content))).size == (480, 360)
    text = attach(meeting(), "Протокол\n".encode(), name="minutes.txt")
    assert client.get(f"/en/documents/{text.pk}/v1/preview.png").status_code == 404


def test_withdrawing_asks_for_confirmation_and_then_no_one_downloads_it() -> None:
    record = meeting()
    document = attach(record)
    client = client_for("nato-editor")
    # Without the confirmation nothing happens
    unconfirmed = client.post(f"/en/documents/{document.pk}/withdraw/", {})
    assert unconfirmed.status_code == 400 and "confirm" in unconfirmed.context["form"].errors
    assert Document.objects.get(pk=document.pk).withdrawn_at is None
    # With it, the document is withdrawn, kept, and no longer offered
    done = client.post(f"/en/documents/{document.pk}/withdraw/", {"confirm": "on"})
    assert done.status_code == 302 and done["Location"] == f"/en/framework/meetings/{record.pk}/"
    assert Document.objects.get(pk=document.pk).withdrawn_at is not None
    assert default_storage.exists(document.versions.get().file.name)
    assert client.get(f"/en/documents/{document.pk}/download/").status_code == 404
    assert (
        "Food for thought"
        not in client.get(f"/en/framework/meetings/{record.pk}/").content.decode()
    )


def test_evidence_on_a_quarterly_report_is_attached_by_the_agency_reporter() -> None:
    from partnership.anp.models import QuarterlyReport

    report = QuarterlyReport.objects.filter(measure__agency__slug="ua-mod").first()
    if report is None:
        pytest.skip("the demo data has no quarterly report of ua-mod")
    reporter = User.objects.get(username="ua-reporter")
    document = services.document_attach(
        by=reporter,
        parent=report,
        kind=DocumentKind.EVIDENCE,
        title_en="Training record",
        title_uk="Журнал навчань",
        marking=report.measure.marking,
        nations=report.measure.releasable_codes,
        upload=SimpleUploadedFile("evidence.png", png_bytes()),
    )
    # The document is kept with the report's measure, whose marking it is read through
    assert document.measure_id == report.measure_id
    client = client_for("ua-reporter")
    page = client.get(f"/en/anp/measures/{report.measure_id}/").content.decode()
    assert f"/en/documents/{document.pk}/download/" in page
    # Another agency's reporter may not attach to it
    with pytest.raises(PermissionDeniedError):
        services.document_attach(
            by=User.objects.get(username="ua-ses-reporter"),
            parent=report,
            kind=DocumentKind.EVIDENCE,
            title_en="x",
            title_uk="х",
            marking=report.measure.marking,
            nations=report.measure.releasable_codes,
            upload=SimpleUploadedFile("evidence.png", png_bytes()),
        )


def test_the_api_attaches_lists_versions_and_withdraws() -> None:
    from partnership.core.models import ApiToken

    record = meeting()
    raw = ApiToken.generate()
    ApiToken.objects.create(
        user=User.objects.get(username="nato-editor"), name="t", digest=ApiToken.hash(raw)
    )
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    client = Client()
    created = client.post(
        "/api/documents",
        {
            "parent": "meeting",
            "parent_id": record.pk,
            "kind": "agenda",
            "title_en": "Agenda",
            "title_uk": "Порядок денний",
            "file": SimpleUploadedFile("agenda.pdf", pdf_bytes()),
        },
        **auth,
    )
    assert created.status_code == 201, created.content
    body = created.json()
    # The marking defaults to the meeting's
    assert body["marking"] == Marking.PARTNERSHIP and body["versions"][0]["number"] == 1
    refused = client.post(
        f"/api/documents/{body['id']}/versions",
        {"file": SimpleUploadedFile("agenda.pdf", b"<html><body>x</body></html>")},
        **auth,
    )
    assert refused.status_code == 400 and refused.json()["field"] == "file"
    added = client.post(
        f"/api/documents/{body['id']}/versions",
        {"file": SimpleUploadedFile("agenda-2.pdf", pdf_bytes("red"))},
        **auth,
    )
    assert added.status_code == 201 and added.json()["number"] == 2
    listed = client.get(f"/api/documents?parent=meeting&parent_id={record.pk}", **auth).json()
    assert [v["number"] for v in listed[0]["versions"]] == [2, 1]
    # The public may not see the meeting, so not its documents either
    assert Client().get(f"/api/documents?parent=meeting&parent_id={record.pk}").status_code == 404
    assert client.post(f"/api/documents/{body['id']}/withdraw", {}, **auth).status_code == 400
    gone = client.post(f"/api/documents/{body['id']}/withdraw", {"confirm": "true"}, **auth)
    assert gone.status_code == 200
    assert client.get(f"/api/documents/{body['id']}", **auth).status_code == 404


def test_names_are_sanitised() -> None:
    assert files.sanitised_name("..") == "document"
    assert files.sanitised_name("C:\\Users\\x\\Протокол №5.DOCX") == "Протокол_5.docx"
    assert files.sanitised_name("a\x00b\u202e.pdf") == "ab.pdf"
    assert len(files.sanitised_name("x" * 500 + ".pdf")) == files.NAME_MAX
    assert files.sanitised_name(".htaccess") == "htaccess"


def test_the_same_attach_form_sent_twice_attaches_one_document() -> None:
    import re

    # Given an editor on the attach form, with its one-time token
    record = meeting()
    client = client_for("nato-editor")
    page = client.get(f"/en/documents/attach/meeting/{record.pk}/").content.decode()
    token = re.search(r'name="form_once" value="([0-9a-f]{32})"', page)
    assert token is not None

    def send() -> Any:
        return client.post(
            f"/en/documents/attach/meeting/{record.pk}/",
            {
                "kind": DocumentKind.MINUTES,
                "title_en": "Minutes",
                "title_uk": "Протокол",
                "marking": Marking.PARTNERSHIP,
                "file": SimpleUploadedFile("minutes.pdf", pdf_bytes()),
                "form_once": token[1],
            },
        )

    # When it is sent, then sent again (Back + submit)
    assert send().status_code == 302
    send()
    # Then one document is attached
    assert Document.objects.filter(meeting=record, title_en="Minutes").count() == 1


def test_grants_and_projects_take_documents_from_their_own_people_only() -> None:
    from partnership.programmes.models import Grant
    from partnership.trustfunds.models import Project

    # Given an SPS grant (its programme managed by nato-editor) and a trust-fund project
    grant = Grant.objects.filter(marking=Marking.PUBLIC, programme__slug="sps").first()
    project = Project.objects.filter(marking=Marking.PUBLIC, fund__marking=Marking.PUBLIC).first()
    assert grant is not None and project is not None
    # When the application is attached by the programme's manager
    application = attach(grant, kind=DocumentKind.APPLICATION, title_en="Application form")
    plan = attach(project, kind=DocumentKind.PLAN, title_en="Verification plan")
    # Then each page lists it to the public, offering to attach only to those who may
    grant_page = f"/en/programmes/grants/{grant.reference}/"
    project_page = f"/en/trust-funds/projects/{project.slug}/"
    for url, document in ((grant_page, application), (project_page, plan)):
        public = Client().get(url).content.decode()
        assert f"/en/documents/{document.pk}/download/" in public
        assert "Attach a document" not in public
        assert "Attach a document" in client_for("nato-editor").get(url).content.decode()
        assert "Attach a document" not in client_for("ge-viewer").get(url).content.decode()
    # A Georgian viewer may not attach to either
    for parent in (grant, project):
        with pytest.raises(PermissionDeniedError):
            services.document_attach(
                by=User.objects.get(username="ge-viewer"),
                parent=parent,
                kind=DocumentKind.OTHER,
                title_en="x",
                title_uk="х",
                marking=Marking.PUBLIC,
                upload=SimpleUploadedFile("a.pdf", pdf_bytes()),
            )
