"""Hostile names: a copy's file name follows the sniffed type, and text shown on a screen or a
terminal shows control and bidi characters as escapes instead of obeying them."""

from __future__ import annotations

import json
import unicodedata
import uuid
from datetime import UTC, datetime

import pytest

from recur_desktop.cli.library_cmds import _render_resume_page
from recur_desktop.cli.main import _emit
from recur_desktop.extraction.extract import MEDIA_DOCX, MEDIA_PDF, MEDIA_TEXT
from recur_desktop.text_safety import (
    EXTENSIONS,
    HIDDEN_CATEGORIES,
    MAX_NAME_BYTES,
    safe_file_name,
    visible,
    visible_text,
    with_safe_extension,
)

HOSTILE = "a\x1b[31mred\u202eexe.pdf\nx"
HOSTILE_SHOWN = "a\\x1b[31mred\\u202eexe.pdf\\nx"


def _has_hidden(text: str) -> bool:
    return any(unicodedata.category(ch) in HIDDEN_CATEGORIES for ch in text)


# ------------------------------------------------------------------ copy names
@pytest.mark.parametrize(
    ("stored", "media_type", "expected"),
    [
        ("cv.bat", MEDIA_TEXT, "cv.bat.txt"),
        ("cv.hta", MEDIA_TEXT, "cv.hta.txt"),
        ("cv\u202efdp.js", MEDIA_TEXT, "cvfdp.js.txt"),  # shows as "cvsj.pdf" in a file manager
        ("evil\u202efdp.exe", MEDIA_PDF, "evilfdp.exe.pdf"),  # a polyglot that is also a PDF
        ("cv.pdf", MEDIA_PDF, "cv.pdf"),
        ("Lebenslauf.DOCX", MEDIA_DOCX, "Lebenslauf.docx"),
        ("résumé.pdf", MEDIA_DOCX, "résumé.pdf.docx"),
    ],
)
def test_a_copy_ends_in_the_sniffed_extension_without_hidden_characters(
    stored: str, media_type: str, expected: str
):
    name = safe_file_name(stored, media_type)
    assert name == expected
    assert name.endswith(EXTENSIONS[media_type])
    assert not _has_hidden(name)


@pytest.mark.parametrize(
    "hidden",
    ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"]
    + ["\u200e", "\u200f", "\u061c", "\u200b", "\ufeff", "\U000e0041", "\x00", "\x7f", "\x85"]
    + ["\u2028", "\u2029", "\r", "\n", "\t", "\x1b"],
)
def test_every_control_and_bidi_character_is_removed_from_a_copy_name(hidden: str):
    name = safe_file_name(f"cv{hidden}gpj.exe", MEDIA_TEXT)
    assert hidden not in name and not _has_hidden(name)
    assert name == "cvgpj.exe.txt"


@pytest.mark.parametrize(
    ("stored", "expected"),
    [
        ("CON", "_CON.pdf"),
        ("con.pdf", "_con.pdf"),
        ("NUL.tar.pdf", "_NUL.tar.pdf"),  # Windows only looks before the first dot
        ("nul .pdf", "_nul.pdf"),
        ("COM1.pdf", "_COM1.pdf"),
        ("lpt9", "_lpt9.pdf"),
        ("COM¹.pdf", "_COM¹.pdf"),
        ("CONSOLE.pdf", "CONSOLE.pdf"),  # only the device names themselves
    ],
)
def test_windows_device_names_are_never_produced(stored: str, expected: str):
    assert safe_file_name(stored, MEDIA_PDF) == expected


@pytest.mark.parametrize(
    ("stored", "expected"),
    [
        ("cv.pdf. . .", "cv.pdf"),
        ("cv. . .", "cv.pdf"),
        ("  .hidden", "hidden.pdf"),
        ("..", "resume.pdf"),
        ("\u202e", "resume.pdf"),
        ("", "resume.pdf"),
        ('a<b>c:d"e/f\\g|h?i*j', "a_b_c_d_e_f_g_h_i_j.pdf"),
    ],
)
def test_dots_spaces_and_forbidden_characters(stored: str, expected: str):
    assert safe_file_name(stored, MEDIA_PDF) == expected


def test_a_long_name_is_cut_to_the_byte_limit_and_keeps_its_extension():
    name = safe_file_name("é" * 500 + ".exe", MEDIA_PDF)
    assert len(name.encode("utf-8")) <= MAX_NAME_BYTES
    assert name.endswith(".pdf") and name.startswith("éé")
    assert "\ufffd" not in name  # never half a character


def test_an_unknown_type_gets_an_extension_no_desktop_runs():
    assert safe_file_name("tool.exe", "application/octet-stream") == "tool.exe.bin"
    assert safe_file_name("tool.exe", None) == "tool.exe.bin"


def test_the_extensions_follow_the_extraction_media_types():
    assert EXTENSIONS == {MEDIA_PDF: ".pdf", MEDIA_DOCX: ".docx", MEDIA_TEXT: ".txt"}


def test_a_typed_save_name_gets_the_sniffed_extension_appended():
    assert with_safe_extension("cv.exe", MEDIA_PDF) == "cv.exe.pdf"
    assert with_safe_extension("cv", MEDIA_TEXT) == "cv.txt"
    assert with_safe_extension("cv.PDF", MEDIA_PDF) == "cv.PDF"


# ------------------------------------------------------------------ shown text
def test_control_and_bidi_characters_are_shown_as_escapes():
    assert visible(HOSTILE) == HOSTILE_SHOWN
    assert visible("\r\t\u2066\u200f\u061c\U000e0041\u2028\ud800") == (
        "\\r\\t\\u2066\\u200f\\u061c\\U000e0041\\u2028\\ud800"
    )


def test_ordinary_names_are_left_exactly_as_they_are():
    for name in (
        "Zoë Brontë-O'Neil",
        "محمد.pdf",
        "李小龙 简历.docx",
        "C:\\cv\\ada.pdf",
        "👩 ok",
    ):
        assert visible(name) == name


def test_showing_twice_changes_nothing():
    assert visible(visible(HOSTILE)) == visible(HOSTILE)


def test_multi_line_text_keeps_its_lines_and_tabs_but_not_escapes():
    assert visible_text("one\ttwo\nthree\x1b[2J\u202e") == "one\ttwo\nthree\\x1b[2J\\u202e"


# ------------------------------------------------------------------ the command line
def _resume_doc(file_name: str) -> dict:
    return {
        "id": uuid.UUID(int=1),
        "file_name": file_name,
        "candidate_name": "Eve\rMallory",
        "media_type": "application/pdf",
        "created_at": datetime(2024, 5, 1, 9, 30, tzinfo=UTC),
    }


def test_a_cli_table_row_shows_a_hostile_file_name_escaped(capsys):
    _emit({"items": [_resume_doc(HOSTILE)], "total": 1}, _render_resume_page, False)
    out = capsys.readouterr().out
    row = out.splitlines()[1]
    assert HOSTILE_SHOWN in row and "Eve\\rMallory" in row
    assert "\x1b" not in out and "\u202e" not in out and "\r" not in out
    assert len(out.splitlines()) == 4  # header, one row, blank, count: no forged line


def test_cli_lines_outside_tables_are_escaped_too(capsys):
    _emit({"file_name": HOSTILE}, lambda d: f"Moved {d['file_name']} to the trash.", False)
    assert capsys.readouterr().out == f"Moved {HOSTILE_SHOWN} to the trash.\n"


def test_cli_json_keeps_the_exact_name_and_escapes_it_for_the_terminal(capsys):
    _emit({"items": [_resume_doc(HOSTILE)], "total": 1}, _render_resume_page, True)
    out = capsys.readouterr().out
    assert json.loads(out)["items"][0]["file_name"] == HOSTILE
    assert "\x1b" not in out and "\u202e" not in out and "\n" not in out.rstrip("\n")
