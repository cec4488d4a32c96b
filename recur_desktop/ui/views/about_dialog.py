"""About Recur Desktop and the Getting started guide."""

from __future__ import annotations

import html
from dataclasses import replace

from PySide6.QtCore import Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from recur_desktop.ui.viewmodels.about import AboutInfo
from recur_desktop.ui.views.widgets import icon


def about_html(info: AboutInfo) -> str:
    e = html.escape
    rows = [
        ("Version", info.version),
        ("Profile", info.profile),
        ("User", info.user),
        ("Database", info.database),
        ("Files", info.storage),
        ("Runtime", info.runtime),
    ]
    table = "".join(
        f"<tr><td style='padding-right:12px'><b>{e(k)}</b></td><td>{e(v)}</td></tr>"
        for k, v in rows
    )
    licenses = "".join(
        f"<tr><td style='padding-right:12px'>{e(name)}</td><td>{e(kind)}</td></tr>"
        for name, kind in info.licenses
    )
    warnings = "".join(
        f"<p style='color:#b3261e'><b>Warning:</b> {e(warning)}</p>" for warning in info.warnings
    )
    return (
        "<h2 style='margin-bottom:2px'>Recur Desktop</h2>"
        "<p>A resume library for recruiters: import once, analyse for every job, keep the "
        "history.</p>"
        f"{warnings}"
        f"<table>{table}</table>"
        "<h4>Bundled components and their licenses</h4>"
        f"<table>{licenses}</table>"
        "<p>Qt and PySide6 are used under the LGPL-3.0: you may replace the Qt libraries in "
        "the application folder with your own build.</p>"
    )


def about_text(info: AboutInfo) -> str:
    """The same facts as plain text, for Copy."""
    lines = [
        f"Recur Desktop {info.version}",
        f"Profile: {info.profile}",
        f"User: {info.user}",
        f"Database: {info.database}",
        f"Files: {info.storage}",
        f"Runtime: {info.runtime}",
    ]
    lines += [f"Warning: {warning}" for warning in info.warnings]
    return "\n".join(lines)


class AboutDialog(QDialog):
    def __init__(self, info: AboutInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self.setWindowTitle("About Recur Desktop")
        self.info = info
        picture = QLabel()
        picture.setPixmap(icon("app").pixmap(64, 64))
        self.text = QTextBrowser()
        self.text.setObjectName("aboutText")
        self.text.setAccessibleName("About Recur Desktop")
        self.text.setOpenLinks(False)
        self.text.setFrameShape(QTextBrowser.Shape.NoFrame)
        self.text.setHtml(about_html(info))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy = buttons.addButton("Copy", QDialogButtonBox.ButtonRole.ActionRole)
        self.copy.setAccessibleName("Copy version and profile")
        self.copy.clicked.connect(self.copy_details)
        buttons.rejected.connect(self.close)
        top = QHBoxLayout()
        top.addWidget(picture, 0, Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.text, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top, 1)
        layout.addWidget(buttons)
        self.resize(620, 560)

    @Slot(list)
    def show_warnings(self, warnings: list[str]) -> None:
        """The security check answered (it runs off the GUI thread after the dialog opened)."""
        if tuple(warnings) != self.info.warnings:
            self.info = replace(self.info, warnings=tuple(warnings))
            self.text.setHtml(about_html(self.info))

    @Slot()
    def copy_details(self) -> None:
        QGuiApplication.clipboard().setText(about_text(self.info))


class GuideDialog(QDialog):
    """Help → Getting started: one page, shown beside the window (not modal)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("guideDialog")
        self.setWindowTitle("Getting started with Recur Desktop")
        self.browser = QTextBrowser()
        self.browser.setObjectName("guide")
        self.browser.setAccessibleName("Getting started guide")
        self.browser.setOpenLinks(False)
        self.browser.anchorClicked.connect(self._link)
        self.browser.setPlainText("Loading the guide…")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser, 1)
        layout.addWidget(buttons)
        self.resize(680, 720)

    @Slot(str)
    def show_guide(self, text: str) -> None:
        self.browser.setHtml(text)

    @Slot(QUrl)
    def _link(self, url: QUrl) -> None:
        if url.scheme() in ("http", "https", "mailto"):
            QDesktopServices.openUrl(url)
        elif url.hasFragment():
            self.browser.scrollToAnchor(url.fragment())
