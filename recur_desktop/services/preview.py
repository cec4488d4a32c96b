"""Previews of stored resumes: the first page of a PDF as pixels.

The bytes come from the library (so only the owner's resumes are read) and PDFium runs in
:mod:`recur_desktop.extraction.preview`; the window only turns the pixels into an image.
"""

from __future__ import annotations

import uuid

from recur_desktop.domain import ResumeRecord
from recur_desktop.domain.media import MEDIA_PDF
from recur_desktop.extraction.preview import PageImage, render_first_page
from recur_desktop.services.library import LibraryService

__all__ = ["PageImage", "PreviewService"]


class PreviewService:
    def __init__(self, library: LibraryService) -> None:
        self._library = library

    @staticmethod
    def has_page(resume: ResumeRecord) -> bool:
        """A page image can be shown (a PDF); other resumes are previewed by their text."""
        return resume.media_type == MEDIA_PDF

    def first_page(self, resume_id: uuid.UUID, longest_side: int) -> PageImage:
        """The stored PDF's first page, its longest side ``longest_side`` pixels. Reads the
        object and renders it: call it off the GUI thread."""
        return render_first_page(self._library.read_bytes(resume_id), longest_side)
