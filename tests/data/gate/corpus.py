"""The resume gate's labelled set, read from where each part lives.

Committed (every run):

- ``tests/data/gate/<kind>/*.txt``: small texts written for the gate, one folder per kind
  (``resume`` or the kind of non-resume they are: ``job_ad``, ``readme``, ``cover_letter``, ...).
  Every person, company and address in them is invented.
- ``rendered``: a few of those texts made into PDF and DOCX files (``tests.samples``) and read
  back with :func:`recur_desktop.extraction.extract_document`, as an import would.
- ``samples``: the project's sample resumes in ``resources/samples`` (PDF, DOCX, text).
- ``labelled``: the resumes of the analyzer's labelled set (``tests/data/labelled/resumes``), and
  its six job descriptions (``labels.json``, title and description) as job advertisements.
- ``generated``: :func:`tests.samples.sample_resume_text` for a few people.

Shared, read in place when ``../shared/data`` exists beside the repository, never copied:
``peer-resumes`` (PDF resumes and four job descriptions) and ``real-cvs`` (DOCX, all resumes).

Only the shared files keep their real names as ``file_name``; the committed ones are judged by
their text alone (their folder names are the labels).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
SHARED_DATA = (REPO / ".." / "shared" / "data").resolve()
PEER_RESUMES = SHARED_DATA / "peer-resumes"
REAL_CVS = SHARED_DATA / "real-cvs"

#: Gate texts rendered to files and read back (path under tests/data/gate, format).
RENDERED = (
    ("resume/en_backend_classic.txt", "pdf"),
    ("resume/en_academic_cv.txt", "pdf"),
    ("resume/en_no_headings.txt", "pdf"),
    ("resume/en_student_no_experience.txt", "docx"),
    ("resume/de_lebenslauf.txt", "docx"),
    ("resume/fr_developpeur.txt", "docx"),
    ("job_ad/en_backend_long.txt", "pdf"),
    ("job_ad/de_stellenanzeige.txt", "docx"),
    ("readme/python_library.txt", "pdf"),
    ("cover_letter/en_classic.txt", "docx"),
    ("invoice/en_freelance.txt", "pdf"),
    ("notes/en_meeting.txt", "docx"),
)

#: People for :func:`tests.samples.sample_resume_text`.
GENERATED = (
    ("Ada Lovelace", ("Python", "SQL", "Statistics"), {}),
    ("Grace Hopper", ("COBOL", "Compilers"), {"phone": None, "title": "Programmer"}),
    ("Alan Turing", (), {"email": "alan@example.org", "title": "Researcher"}),
)


@dataclass(frozen=True)
class Item:
    """One labelled document."""

    source: str
    """``gate``, ``rendered``, ``samples``, ``labelled``, ``generated``, ``peer-resumes`` or
    ``real-cvs``."""
    name: str
    """Where it comes from, for the list of misclassified files."""
    kind: str
    """``resume``, or what the document is instead."""
    text: str
    file_name: str = ""
    """The real file name for shared files; ``""`` for committed ones (judged by text alone)."""

    @property
    def is_resume(self) -> bool:
        return self.kind == "resume"


def gate_texts() -> Iterator[Item]:
    for path in sorted(HERE.glob("*/*.txt")):
        kind = path.parent.name
        yield Item("gate", str(path.relative_to(HERE)), kind, path.read_text(encoding="utf-8"))


def rendered() -> Iterator[Item]:
    from tests.samples import make_docx, make_pdf

    for relative, fmt in RENDERED:
        path = HERE / relative
        text = path.read_text(encoding="utf-8")
        data = make_pdf(text) if fmt == "pdf" else make_docx(text.split("\n"), table_rows=())
        name = f"{path.stem}.{fmt}"
        yield Item("rendered", f"{relative} as {fmt}", path.parent.name, _extract(data, name))


def project_samples() -> Iterator[Item]:
    for path in sorted((REPO / "resources" / "samples").iterdir()):
        if path.is_file():
            text = _extract(path.read_bytes(), path.name)
            yield Item("samples", f"resources/samples/{path.name}", "resume", text)


def labelled() -> Iterator[Item]:
    folder = REPO / "tests" / "data" / "labelled"
    for path in sorted((folder / "resumes").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        yield Item("labelled", f"tests/data/labelled/resumes/{path.name}", "resume", text)
    labels = json.loads((folder / "labels.json").read_text(encoding="utf-8"))
    for key, job in sorted(labels["jobs"].items()):
        text = f"{job['title']}\n\n{job['description']}\n"
        yield Item("labelled", f"tests/data/labelled/labels.json jobs.{key}", "job_ad", text)


def generated() -> Iterator[Item]:
    from tests.samples import sample_resume_text

    for name, skills, options in GENERATED:
        text = sample_resume_text(name, skills, **options)  # type: ignore[arg-type]
        yield Item("generated", f"sample_resume_text({name!r})", "resume", text)


def committed() -> list[Item]:
    """Every labelled document in the repository."""
    return [*gate_texts(), *rendered(), *project_samples(), *labelled(), *generated()]


def shared() -> list[Item]:
    """The shared documents that are there (none when ``../shared/data`` is absent)."""
    items: list[Item] = []
    if PEER_RESUMES.is_dir():
        for path in sorted(PEER_RESUMES.glob("*.pdf")):
            kind = "job_ad" if path.name.startswith("job_desc") else "resume"
            text = _extract(path.read_bytes(), path.name)
            items.append(Item("peer-resumes", f"peer-resumes/{path.name}", kind, text, path.name))
    if REAL_CVS.is_dir():
        for path in sorted(REAL_CVS.glob("*.docx")):
            text = _extract(path.read_bytes(), path.name)
            items.append(Item("real-cvs", f"real-cvs/{path.name}", "resume", text, path.name))
    return items


def _extract(data: bytes, file_name: str) -> str:
    from recur_desktop.extraction import extract_document

    return extract_document(data, file_name=file_name).text
