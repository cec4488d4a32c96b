"""Attacker-controlled text made safe to show and to name files with.

File names, candidate names, job titles and resume text come from whoever sent the resume. On a
screen or a terminal, control characters (``ESC [31m``, a carriage return, a newline) and
bidirectional overrides (U+202E turns ``cv\\u202efdp.exe`` into "cvexe.pdf") let such text
repaint a terminal, forge table rows or disguise an extension. :func:`visible` shows them as
escapes instead (``\\x1b``, ``\\n``, ``\\u202e``); the command line and every view-model use it,
so there is one rule for what "shown as is" means.

On disk, a copy of a resume is named by :func:`safe_file_name`: the extension comes from the
type sniffed from the bytes at import, never from the name the sender chose, so "Open" can only
ever hand the desktop a PDF, a Word document or a text file.

This module is plain Python (no Qt, no I/O) so the CLI, the services and the view-models can all
import it.
"""

from __future__ import annotations

import unicodedata

# The media types an import stores and the only extensions a copy may carry (anything else, a
# migrated file of unknown type, becomes ``.bin``, which no desktop runs): one map, in domain.
from recur_desktop.domain.media import EXTENSIONS as EXTENSIONS
from recur_desktop.domain.media import UNKNOWN_EXTENSION as UNKNOWN_EXTENSION
from recur_desktop.domain.media import extension_for as extension_for

#: Unicode categories never shown as they are: controls (Cc), format characters (Cf: the bidi
#: embeddings, overrides and isolates, zero-width characters, the tag block), lone surrogates
#: (Cs, from undecodable file names) and the line and paragraph separators (Zl, Zp), which
#: break lines like a newline does.
HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})

_SHORT_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}

#: Device names Windows opens instead of a file, whatever extension follows (``NUL.txt`` too).
WINDOWS_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$", "CLOCK$"}
    | {f"{device}{n}" for device in ("COM", "LPT") for n in [*"0123456789", "¹", "²", "³"]}
)
#: Characters Windows refuses in names, and the path separators of every system.
_FORBIDDEN = frozenset('<>:"/\\|?*')
#: A copy's name, extension included, stays under this many UTF-8 bytes: file systems allow
#: 255, and the temporary folder's path must still fit Windows' 260-character limit.
MAX_NAME_BYTES = 120
DEFAULT_STEM = "resume"


def is_hidden(ch: str) -> bool:
    """True for a character that changes how text around it is shown instead of showing."""
    return unicodedata.category(ch) in HIDDEN_CATEGORIES


def _escape(ch: str) -> str:
    short = _SHORT_ESCAPES.get(ch)
    if short is not None:
        return short
    code = ord(ch)
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def visible(text: str) -> str:
    """``text`` with every control, format and separator character written as an escape.

    Idempotent (an escape is plain ASCII), and ``text`` comes back unchanged (the same object)
    when there is nothing to escape. Backslashes are left alone: Windows paths stay readable,
    and a name that *spells* ``\\u202e`` is harmless.
    """
    if text.isprintable() and text.isascii():
        return text  # the common case, without a per-character look-up
    if not any(is_hidden(ch) for ch in text):
        return text
    return "".join(_escape(ch) if is_hidden(ch) else ch for ch in text)


def visible_text(text: str) -> str:
    """Like :func:`visible`, but line breaks and tabs are kept: for multi-line bodies (a
    resume's text, an analyzer's reasoning, a tooltip) where they are layout, not an attack.

    Carriage returns are still escaped: alone they rewrite a terminal line.
    """
    if "\n" not in text and "\t" not in text:
        return visible(text)
    return "\n".join(
        "\t".join(visible(part) for part in line.split("\t")) for line in text.split("\n")
    )


def _truncate_utf8(text: str, limit: int) -> str:
    encoded = text.encode("utf-8", "surrogatepass")
    if len(encoded) <= limit:
        return text
    return encoded[:limit].decode("utf-8", "ignore")  # never half a character


def _is_reserved(stem: str) -> bool:
    # Windows looks at the part before the first dot, ignoring trailing spaces: "nul .txt",
    # "COM1.tar.gz" and "con" are all the device.
    base = stem.split(".", 1)[0].rstrip(" ").upper()
    return base in WINDOWS_RESERVED


def safe_file_name(name: str, media_type: str | None) -> str:
    """A name for a copy of a stored resume that no desktop can mistake for a program.

    - Control, format and separator characters (bidi overrides among them) are removed, so
      what the file manager shows is what the name is.
    - Characters Windows forbids become ``_``; leading and trailing dots and spaces go.
    - The name ends in the extension of the *sniffed* type. An original name already ending in
      it keeps it once; any other ending stays visible but inert (``cv.bat`` that is text
      becomes ``cv.bat.txt``).
    - Windows device names (``CON``, ``NUL``, ``COM1``...) get a leading ``_``.
    - The whole name stays within :data:`MAX_NAME_BYTES` UTF-8 bytes.
    """
    extension = extension_for(media_type)
    # Separators become "_" with the other forbidden characters: "../../x.pdf" from a migrated
    # row stays one name inside the folder it is written to.
    text = unicodedata.normalize("NFC", name or "")
    cleaned = "".join("" if is_hidden(ch) else "_" if ch in _FORBIDDEN else ch for ch in text)
    stem = cleaned.strip(" .")
    if stem.lower().endswith(extension):
        stem = stem[: -len(extension)].rstrip(" .")
    budget = MAX_NAME_BYTES - len(extension.encode("ascii"))
    stem = _truncate_utf8(stem, budget - 1).rstrip(" .")  # one byte for a reserved-name "_"
    if not stem:
        stem = DEFAULT_STEM
    if _is_reserved(stem):
        stem = f"_{stem}"
    return f"{stem}{extension}"


def with_safe_extension(file_name: str, media_type: str | None) -> str:
    """``file_name`` (a name the user typed in a Save dialog) with the sniffed type's extension
    appended when it ends in anything else: ``cv.exe`` for a PDF becomes ``cv.exe.pdf``."""
    extension = extension_for(media_type)
    if file_name.lower().endswith(extension):
        return file_name
    return f"{file_name.rstrip(' .')}{extension}"


__all__ = [
    "EXTENSIONS",
    "HIDDEN_CATEGORIES",
    "MAX_NAME_BYTES",
    "extension_for",
    "is_hidden",
    "safe_file_name",
    "visible",
    "visible_text",
    "with_safe_extension",
]
