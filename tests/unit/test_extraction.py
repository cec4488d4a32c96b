"""Extraction: type sniffing from bytes, every rejection, text normalisation and contacts."""

from __future__ import annotations

import io
import pickle
import zipfile
from pathlib import Path

import pytest

from recur_desktop.extraction import (
    DEFAULT_MAX_BYTES,
    ExtractedDocument,
    RejectedDocument,
    extract_document,
)
from recur_desktop.extraction.contacts import find_email, find_phone, guess_name
from recur_desktop.extraction.extract import MEDIA_DOCX, REJECTION_CODES
from tests import samples

RESUME = samples.sample_resume_text("Jane Roe", ["Python", "PostgreSQL", "Kubernetes"])
PEER_RESUMES = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "peer-resumes"


def extract(data: bytes, file_name: str = "resume.bin", **kwargs: int) -> ExtractedDocument:
    return extract_document(data, file_name=file_name, **kwargs)


def rejection(data: bytes, file_name: str = "resume.pdf", **kwargs: int) -> RejectedDocument:
    with pytest.raises(RejectedDocument) as caught:
        extract(data, file_name, **kwargs)
    assert caught.value.code in REJECTION_CODES
    assert str(caught.value).endswith(".")  # a sentence, not a library message
    return caught.value


# --- readable documents -------------------------------------------------------------------------


def test_pdf_is_read_with_contacts() -> None:
    doc = extract(samples.make_pdf(RESUME), "jane.pdf")

    assert doc.media_type == "application/pdf"
    assert doc.extension == ".pdf"
    assert "PostgreSQL" in doc.text
    assert "Technical University of Munich" in doc.text
    assert doc.candidate_name == "Jane Roe"
    assert doc.candidate_email == "jane.roe@example.com"
    assert doc.candidate_phone == "+1 415 555 0134"


def test_multi_page_pdf_reads_every_page() -> None:
    doc = extract(samples.make_pdf(RESUME + "\fReferences\nAvailable from Northwind Traders"))

    assert "Summary" in doc.text
    assert "Available from Northwind Traders" in doc.text


def test_docx_reads_paragraphs_tables_and_header() -> None:
    data = samples.make_docx(
        RESUME.split("\n"),
        table_rows=(("Languages", "English, German"), ("Certificates", "CKA")),
        header="Confidential candidate profile",
    )
    doc = extract(data, "jane.docx")

    assert doc.media_type == MEDIA_DOCX
    assert doc.extension == ".docx"
    assert "PostgreSQL" in doc.text
    assert "English, German" in doc.text  # table cell
    assert "CKA" in doc.text
    assert doc.text.startswith("Confidential candidate profile")  # header first
    assert doc.candidate_name == "Jane Roe"
    assert doc.candidate_email == "jane.roe@example.com"


def test_docx_text_box_is_read_once() -> None:
    data = samples.make_docx(["Data Engineer", "Spark, Airflow"], text_box="Priya Raman")
    doc = extract(data)

    assert doc.text.count("Priya Raman") == 1
    assert doc.candidate_name == "Priya Raman"
    assert doc.text.index("Priya Raman") < doc.text.index("Spark, Airflow")


def test_macro_enabled_word_document_is_read() -> None:
    data = samples.make_docx(["Jane Roe", "Python"])
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        entries = {name: archive.read(name) for name in archive.namelist()}
    entries["[Content_Types].xml"] = entries["[Content_Types].xml"].replace(
        b"wordprocessingml.document.main+xml", b"ms-word.document.macroEnabled.main+xml"
    )
    doc = extract(samples.make_zip(entries), "cv.docm")

    assert doc.extension == ".docx"
    assert doc.text.startswith("Jane Roe\nPython")


def test_owner_password_only_pdf_is_read() -> None:
    doc = extract(samples.make_owner_only_pdf(RESUME), "locked-for-editing.pdf")

    assert doc.media_type == "application/pdf"
    assert "Kubernetes" in doc.text
    assert doc.candidate_email == "jane.roe@example.com"


def test_pdf_header_after_leading_junk_is_still_a_pdf() -> None:
    doc = extract(b"X-Mailer junk\r\n" * 60 + samples.make_pdf(RESUME))  # 900 bytes of junk

    assert doc.media_type == "application/pdf"
    assert "Kubernetes" in doc.text


@pytest.mark.parametrize(
    ("encoding", "newline"),
    [
        ("utf-8", "\n"),
        ("utf-8-sig", "\r\n"),
        ("utf-16", "\r\n"),
        ("utf-16-be", "\n"),
        ("cp1252", "\r\n"),
        ("latin-1", "\r"),
    ],
)
def test_text_encodings(encoding: str, newline: str) -> None:
    text = "José Müller-Lüdenscheidt\nIngénieur logiciel à Genève\njose@example.ch\n"
    doc = extract(samples.make_text(text, encoding, newline=newline), "cv.txt")

    assert doc.media_type == "text/plain"
    assert doc.extension == ".txt"
    assert doc.text == text.rstrip("\n")
    assert "\r" not in doc.text and "\ufeff" not in doc.text
    assert doc.candidate_name == "José Müller-Lüdenscheidt"


def test_windows_1252_smart_quotes_survive() -> None:
    doc = extract("Jane’s “résumé” – 2024\nPython".encode("cp1252"))

    assert doc.text == "Jane’s “résumé” – 2024\nPython"


def test_text_named_pdf_is_read_as_text() -> None:
    doc = extract(samples.make_text(RESUME), "jane_roe.pdf")

    assert doc.media_type == "text/plain"
    assert doc.extension == ".txt"
    assert "Jane Roe" in doc.text
    assert "jane_roe" not in doc.text  # never the file name


def test_pdf_named_txt_is_read_as_pdf() -> None:
    doc = extract(samples.make_pdf(RESUME), "notes.txt")

    assert doc.media_type == "application/pdf"
    assert doc.extension == ".pdf"
    assert "Kubernetes" in doc.text


def test_docx_named_pdf_is_read_as_docx() -> None:
    doc = extract(samples.make_docx(["Jane Roe", "Go, Rust"]), "scan.pdf")

    assert doc.extension == ".docx"
    assert doc.text.splitlines()[:2] == ["Jane Roe", "Go, Rust"]


def test_text_is_normalised() -> None:
    raw = "Jane Roe  \r\nProﬁle:\u00a0ﬂexible, of\u00adfice work\x00\t \r\n\r\n\r\n\r\nEnd\f"
    doc = extract(samples.make_text(raw))

    assert doc.text == "Jane Roe\nProfile: flexible, office work\n\nEnd"


def test_file_name_never_becomes_text() -> None:
    one = extract(samples.make_text("Some content here"), "Alice Example.txt")
    two = extract(samples.make_text("Some content here"), "other.pdf")

    assert one == two
    assert one.candidate_name is None


# --- rejections -----------------------------------------------------------------------------


@pytest.mark.parametrize("data", [b"", b"   \r\n\t\n", b"\xef\xbb\xbf", b"\xff\xfe"])
def test_empty(data: bytes) -> None:
    exc = rejection(data)

    assert exc.code == "empty"
    assert str(exc) == "The file is empty."


def test_empty_docx_is_empty() -> None:
    assert rejection(samples.make_docx([], table_rows=())).code == "empty"


def test_too_large_names_size_and_limit() -> None:
    data = samples.make_text("x" * (3 * 1024 * 1024))
    exc = rejection(data, max_bytes=2 * 1024 * 1024)

    assert exc.code == "too_large"
    assert "3 MB" in str(exc) and "2 MB" in str(exc)


def test_default_limit_is_25_mb() -> None:
    assert DEFAULT_MAX_BYTES == 25 * 1024 * 1024
    exc = rejection(b"%PDF-1.7\n" + b"0" * DEFAULT_MAX_BYTES)

    assert exc.code == "too_large"
    assert "25 MB" in str(exc)


def test_file_at_the_limit_is_not_too_large() -> None:
    data = samples.make_text(RESUME)
    assert extract(data, max_bytes=len(data)).text


def test_password_protected_pdf() -> None:
    exc = rejection(samples.make_encrypted_pdf(RESUME))

    assert exc.code == "password_protected"
    assert "password-protected" in str(exc)


def test_password_protected_docx() -> None:
    exc = rejection(samples.make_encrypted_docx(), "cv.docx")

    assert exc.code == "password_protected"
    assert "Word document is password-protected" in str(exc)


def test_scanned_pdf_has_no_text_layer() -> None:
    exc = rejection(samples.make_scanned_pdf(pages=2))

    assert exc.code == "no_text_layer"
    assert "OCR" in str(exc)


def test_pdf_with_only_a_page_number_has_no_text_layer() -> None:
    assert rejection(samples.make_pdf("1")).code == "no_text_layer"


def test_image_only_docx_has_no_text() -> None:
    assert rejection(samples.make_image_only_docx(), "cv.docx").code == "no_text_layer"


def test_damaged_pdf() -> None:
    exc = rejection(samples.make_damaged_pdf())

    assert exc.code == "damaged"
    assert str(exc) == "The PDF is damaged and can't be read."


@pytest.mark.parametrize("how", ["truncated", "bad_xml", "missing_part"])
def test_damaged_docx(how: str) -> None:
    exc = rejection(samples.make_damaged_docx(how), "cv.docx")  # type: ignore[arg-type]

    assert exc.code == "damaged"
    assert str(exc).startswith("The Word document is damaged")


@pytest.mark.parametrize("extension", sorted(samples.OLD_FORMATS))
def test_old_formats_and_images(extension: str) -> None:
    exc = rejection(samples.OLD_FORMATS[extension], "cv.pdf")

    assert exc.code == samples.OLD_FORMAT_CODES[extension]
    if exc.code == "old_format":
        assert "Save it as PDF or DOCX" in str(exc)
    else:
        assert str(exc).startswith("This is an image, not a document.")


def test_old_format_reasons_name_the_format() -> None:
    assert "(.doc)" in str(rejection(samples.OLD_FORMATS[".doc"]))
    assert "(.rtf)" in str(rejection(samples.OLD_FORMATS[".rtf"]))
    assert "(.odt)" in str(rejection(samples.OLD_FORMATS[".odt"]))


def test_binary_garbage_is_not_a_supported_type() -> None:
    exc = rejection(samples.make_binary_garbage(), "resume.txt")

    assert exc.code == "unsupported_type"
    assert str(exc) == (
        "This file is not a PDF, Word (DOCX) or text document, whatever its name says."
    )


def test_control_characters_without_nul_are_not_text() -> None:
    data = bytes(range(1, 32)) * 40 + b"some words"
    assert rejection(data, "cv.txt").code == "unsupported_type"


def test_other_zips_are_unsupported() -> None:
    archive = samples.make_zip({"resumes/jane.pdf": samples.make_pdf(RESUME)})
    spreadsheet = samples.make_zip({"[Content_Types].xml": b"<x/>", "xl/workbook.xml": b"<x/>"})

    assert rejection(archive).code == "unsupported_type"
    assert "ZIP archive" in str(rejection(archive))
    assert rejection(spreadsheet).code == "unsupported_type"


def test_html_is_not_read_as_text() -> None:
    page = b"<!DOCTYPE html>\n<html><body><h1>Jane Roe</h1></body></html>"
    assert rejection(page, "cv.txt").code == "unsupported_type"


def test_library_failure_becomes_unreadable(monkeypatch: pytest.MonkeyPatch) -> None:
    from recur_desktop.extraction import extract as module

    def explode(data: bytes) -> str:
        raise RuntimeError("boom")

    monkeypatch.setattr(module, "_read_docx", explode)
    exc = rejection(samples.make_docx(["Jane Roe"]))

    assert exc.code == "unreadable"
    assert "boom" not in str(exc)


def test_rejection_carries_code_and_pickles() -> None:
    exc = RejectedDocument("The file is empty.", "empty")
    copy = pickle.loads(pickle.dumps(exc))

    assert (str(copy), copy.code) == ("The file is empty.", "empty")


# --- PDF readers: the pypdf fallback and thread safety -------------------------------------


@pytest.fixture
def without_pdfium(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make PDFium fail on every document so only the pypdf path runs."""
    from recur_desktop.extraction import extract as module

    def broken(data: bytes) -> str:
        raise RuntimeError("PDFium unavailable")

    monkeypatch.setattr(module, "_pdfium_text", broken)


@pytest.mark.usefixtures("without_pdfium")
class TestPypdfFallback:
    def test_text_pdf(self) -> None:
        doc = extract(samples.make_pdf(RESUME))

        assert "Kubernetes" in doc.text
        assert doc.candidate_email == "jane.roe@example.com"

    def test_owner_only_pdf(self) -> None:
        assert "Kubernetes" in extract(samples.make_owner_only_pdf(RESUME)).text

    def test_password_protected(self) -> None:
        assert rejection(samples.make_encrypted_pdf(RESUME)).code == "password_protected"

    def test_scanned(self) -> None:
        assert rejection(samples.make_scanned_pdf()).code == "no_text_layer"

    def test_damaged(self) -> None:
        assert rejection(samples.make_damaged_pdf()).code == "damaged"


def test_concurrent_pdf_extraction_is_safe() -> None:
    from concurrent.futures import ThreadPoolExecutor

    names = ["Ada Lovelace", "Alan Turing", "Grace Hopper", "Edsger Dijkstra", "Barbara Liskov"]
    pdfs = [samples.make_pdf(samples.sample_resume_text(name, ["Go"])) for name in names] * 4
    with ThreadPoolExecutor(max_workers=6) as pool:
        docs = list(pool.map(extract, pdfs))

    assert [doc.candidate_name for doc in docs] == names * 4


# --- contacts -----------------------------------------------------------------------------


def test_contacts_found_in_messy_text() -> None:
    text = (
        "CURRICULUM VITAE\n"
        "MARIA DE LA CRUZ\n"
        "Calle Mayor 5, 28013 Madrid\n"
        "Tel.: +34 (0) 91 123 45 67 · E-Mail: Maria.Cruz@Example.ES\n"
        "Experience 2015 - 2019 at Contoso\n"
    )

    assert find_email(text) == "maria.cruz@example.es"
    assert find_phone(text) == "+34 (0) 91 123 45 67"
    assert guess_name(text) == "Maria de la Cruz"


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        ("Phone: 030 1234567", "030 1234567"),
        ("(555) 123-4567", "(555) 123-4567"),
        ("call 555.123.4567 today", "555.123.4567"),
        ("M: 07700 900123", "07700 900123"),
        ("+44 20 7946 0958", "+44 20 7946 0958"),
        ("2018 - 2022 Engineer, 2012 - 2016 Student", None),
        ("Born 12/05/1990, GPA 9.5/10", None),
        ("Employee ID 123456789", None),
        ("Phone 123-45", None),
        ("Tel. 030/1234567", "030/1234567"),
        ("Case 1234/5678 closed", None),
        ("Fax: +49 30 1234567", None),
    ],
)
def test_phone(text: str, phone: str | None) -> None:
    assert find_phone(text) == phone


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Jane Roe\nSoftware Engineer", "Jane Roe"),
        ("Resume\n\nLudwig van Beethoven\nComposer", "Ludwig van Beethoven"),
        ("JOHN O'NEIL\nPROFESSIONAL SUMMARY", "John O'Neil"),
        ("Name: Anna-Lena Schmidt", "Anna-Lena Schmidt"),
        ("Senior Software Engineer\nPython Developer", None),
        ("Curriculum Vitae\nProfessional Experience\nSkills", None),
        ("jane roe\nsome text", None),
        ("Jane\nRoe", None),
        ("123 Main Street\njane@example.com", None),
        ("Job Description: Java Developer\nTech Solutions, San Francisco", None),
    ],
)
def test_name(text: str, name: str | None) -> None:
    assert guess_name(text) == name


def test_email_ignores_image_names_and_bad_addresses() -> None:
    assert find_email("logo@2x.png and a..b@example.com") is None
    assert find_email("mailto:jane@mail.example.co.uk.") == "jane@mail.example.co.uk"


def test_no_contacts_means_none_not_guesses() -> None:
    doc = extract(
        samples.make_pdf("Experience\nBuilt data pipelines in 2019 - 2021 for clients.\n")
    )

    assert doc.candidate_name is None
    assert doc.candidate_email is None
    assert doc.candidate_phone is None


# --- real-world PDFs from another project (LaTeX, icon fonts) -----------------------------------


def _peer_resume_pdfs() -> list[Path]:
    return sorted(p for p in PEER_RESUMES.glob("*.pdf") if not p.name.startswith("job_"))


@pytest.fixture
def peer_dir() -> Path:
    if not PEER_RESUMES.is_dir():
        pytest.skip(f"peer resumes not available at {PEER_RESUMES}")
    return PEER_RESUMES


def test_peer_resumes(peer_dir: Path) -> None:
    resumes = _peer_resume_pdfs()
    assert resumes, "the peer-resumes folder holds no resumes"
    for path in resumes:
        doc = extract(path.read_bytes(), path.name)
        assert doc.media_type == "application/pdf", path.name
        assert len(doc.text) > 1000, path.name
        assert "Experience" in doc.text or "EXPERIENCE" in doc.text, path.name
        assert doc.candidate_email and doc.candidate_email.endswith(".com"), path.name
        assert doc.candidate_phone and "456-789" in doc.candidate_phone, path.name
        assert doc.candidate_name, path.name
        assert "\ufffe" not in doc.text and "\r" not in doc.text, path.name


def test_peer_resume_names_and_hyphenation(peer_dir: Path) -> None:
    doc = extract((peer_dir / "alfred_pennyworth_pm.pdf").read_bytes())
    assert doc.candidate_name == "Alfred Pennyworth"
    assert doc.candidate_email == "alfred.pennyworth@email.com"
    assert "Developing product strategies" in doc.text  # "Devel-\noping" joined

    assert extract((peer_dir / "john_doe.pdf").read_bytes()).candidate_name == "John Doe"


def test_peer_job_descriptions_are_read_without_a_name(peer_dir: Path) -> None:
    for path in sorted(peer_dir.glob("job_desc_*.pdf")):
        doc = extract(path.read_bytes(), path.name)
        assert "Requirements" in doc.text, path.name
        assert doc.candidate_name is None, path.name
