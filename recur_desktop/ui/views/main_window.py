"""The main window: library on the left, session and history on the right, status bar below.

Layout and bindings only; every decision and every service call is in the view-models.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer, QUrl, Signal, Slot
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDesktopServices,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QKeySequence,
)
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QMainWindow,
    QPushButton,
    QSplitter,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from recur_desktop.text_safety import visible
from recur_desktop.ui.viewmodels.app import AppViewModel
from recur_desktop.ui.viewmodels.folders import COPY, IMPORT, FolderMemory
from recur_desktop.ui.views.about_dialog import AboutDialog, GuideDialog
from recur_desktop.ui.views.erase_dialog import EraseDialog
from recur_desktop.ui.views.history_pane import HistoryPane
from recur_desktop.ui.views.legacy_banner import LegacyBanner
from recur_desktop.ui.views.library_pane import LibraryPane
from recur_desktop.ui.views.session_pane import SessionPane
from recur_desktop.ui.views.settings_dialog import SettingsDialog
from recur_desktop.ui.views.widgets import (
    Banner,
    ImportSummaryDialog,
    TaskProgress,
    icon,
    muted,
)

RESUME_FILTER = "Resumes (*.pdf *.docx *.txt);;All files (*)"
UNDO_VISIBLE_MS = 30_000


def local_paths(mime: object) -> list[str]:
    urls = mime.urls() if mime.hasUrls() else []  # type: ignore[attr-defined]
    return [url.toLocalFile() for url in urls if url.isLocalFile()]


class MainWindow(QMainWindow):
    #: Files and folders dropped on the window; the view-model imports them.
    files_dropped = Signal(list)

    def __init__(
        self,
        vm: AppViewModel,
        settings: QSettings | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.vm = vm
        self._settings = settings if settings is not None else QSettings()
        self.setWindowTitle("Recur Desktop")
        self.setWindowIcon(icon("app"))
        self.setAcceptDrops(True)
        self.resize(1360, 820)

        self.banner = Banner()
        self.legacy_banner = LegacyBanner(vm.legacy)
        self.library_pane = LibraryPane(vm.library)
        self.library_pane.search.setAcceptDrops(False)
        #: Where file dialogs open: documents at first, then the last folder used.
        self.folders = FolderMemory(self._settings)
        self.session_pane = SessionPane(vm.session, folders=self.folders)
        self.history_pane = HistoryPane(vm.history)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("tabs")
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.session_pane, "Session")
        self.tabs.addTab(self.history_pane, "History")
        self.split = QSplitter(Qt.Orientation.Horizontal)
        self.split.setObjectName("mainSplit")
        self.split.addWidget(self.library_pane)
        self.split.addWidget(self.tabs)
        self.split.setChildrenCollapsible(False)
        self.split.setSizes([700, 660])  # until the user's own sizes are restored
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(8, 6, 8, 4)
        layout.addWidget(self.banner)
        layout.addWidget(self.legacy_banner)
        layout.addWidget(self.split, 1)
        self.setCentralWidget(central)
        self.summary = ImportSummaryDialog(self)
        self._guide: GuideDialog | None = None

        self._build_status_bar()
        self._build_actions()
        self._bind()
        self.restore_state()

    # ------------------------------------------------------------- construction
    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.import_progress = TaskProgress("Importing")
        self.import_progress.setObjectName("importProgress")
        self.analysis_progress = TaskProgress("Analysing")
        self.analysis_progress.setObjectName("analysisProgress")
        self.undo_button = QPushButton("Undo")
        self.undo_button.setObjectName("undoDelete")
        self.undo_button.setAccessibleName("Undo delete")
        self.undo_button.hide()
        self.profile_label = muted(QLabel(self.vm.profile))
        self.profile_label.setTextFormat(Qt.TextFormat.PlainText)  # names are text, never markup
        self.profile_label.setObjectName("profile")
        bar.addPermanentWidget(self.import_progress)
        bar.addPermanentWidget(self.analysis_progress)
        bar.addPermanentWidget(self.undo_button)
        bar.addPermanentWidget(self.profile_label)
        self._undo_timer = QTimer(self)
        self._undo_timer.setSingleShot(True)
        self._undo_timer.setInterval(UNDO_VISIBLE_MS)
        self._undo_timer.timeout.connect(self.undo_button.hide)

    def _action(
        self,
        text: str,
        slot: Callable[[], object],
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
        *,
        icon_name: str | None = None,
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if icon_name:
            action.setIcon(icon(icon_name))
        action.triggered.connect(slot)
        return action

    def _build_actions(self) -> None:
        keys = QKeySequence.StandardKey
        self.import_action = self._action(
            "&Import resumes…", self.choose_files, keys.Open, icon_name="import"
        )
        self.import_folder_action = self._action("Import a &folder…", self.choose_folder)
        self.samples_action = self._action("Load &sample resumes", self.vm.library.load_samples)
        self.settings_action = self._action("Se&ttings…", self.open_settings, keys.Preferences)
        self.quit_action = self._action("&Quit", self.close, keys.Quit)
        self.find_action = self._action("&Find", self.library_pane.focus_search, keys.Find)
        self.delete_action = self._action(
            "&Delete to trash", self.delete_selected, keys.Delete, icon_name="delete"
        )
        # Del in the search box edits text; only the table (or the menu) deletes resumes.
        self.delete_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.open_action = self._action("&Open original", self.open_selected)
        self.save_copy_action = self._action("Save a &copy…", self.save_selected_copy)
        # Erasure (a candidate's request) is its own, named action: never the Delete key.
        self.erase_action = self._action("&Erase for good…", self.erase_selected)
        self.library_pane.table.addActions(
            [self.open_action, self.save_copy_action, self.delete_action, self.erase_action]
        )
        self.undo_action = self._action("&Undo delete", self.vm.library.undo_delete, keys.Undo)
        self.undo_action.setEnabled(False)
        self.new_job_action = self._action(
            "&New job…", self.session_pane.open_job_dialog, "Ctrl+N", icon_name="job"
        )
        self.edit_job_action = self._action("&Edit job…", self.session_pane.open_edit_job_dialog)
        self.edit_job_action.setEnabled(False)
        self.analyze_action = self._action("&Analyze", self.analyze, "Ctrl+R", icon_name="analyze")
        self.cancel_analysis_action = self._action(
            "&Cancel analysis", self.vm.session.cancel_analysis
        )
        self.cancel_analysis_action.setEnabled(False)
        self.session_tab_action = self._action("&Session", self.show_session, "Ctrl+1")
        self.history_tab_action = self._action("&History", self.show_history, "Ctrl+2")
        self.about_action = self._action("&About Recur Desktop", self.about)
        self.guide_action = self._action(
            "&Getting started", self.show_guide, keys.HelpContents, icon_name="help"
        )
        self.log_folder_action = self._action("Open &log folder", self.vm.help.open_log_folder)

        menus = self.menuBar()
        file_menu = menus.addMenu("&File")
        file_menu.addActions([self.import_action, self.import_folder_action, self.samples_action])
        file_menu.addSeparator()
        file_menu.addActions([self.open_action, self.save_copy_action])
        file_menu.addSeparator()
        file_menu.addAction(self.settings_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        edit_menu = menus.addMenu("&Edit")
        edit_menu.addActions([self.find_action, self.delete_action, self.undo_action])
        edit_menu.addSeparator()
        edit_menu.addAction(self.erase_action)
        analysis_menu = menus.addMenu("&Analysis")
        analysis_menu.addActions(
            [
                self.new_job_action,
                self.edit_job_action,
                self.analyze_action,
                self.cancel_analysis_action,
            ]
        )
        view_menu = menus.addMenu("&View")
        view_menu.addActions([self.session_tab_action, self.history_tab_action])
        help_menu = menus.addMenu("&Help")
        help_menu.addActions([self.guide_action, self.log_folder_action])
        help_menu.addSeparator()
        help_menu.addAction(self.about_action)

        toolbar = QToolBar("Main")
        toolbar.setObjectName("mainToolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        toolbar.addActions([self.import_action, self.delete_action])
        toolbar.addSeparator()
        toolbar.addActions([self.new_job_action, self.analyze_action])
        self.addToolBar(toolbar)
        for action in self.findChildren(QAction):
            if action.shortcut().toString():
                action.setToolTip(
                    f"{action.text().replace('&', '').rstrip('…')} "
                    f"({action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)})"
                )

    def _bind(self) -> None:
        vm = self.vm
        self.files_dropped.connect(vm.library.import_files)
        self.banner.retry_clicked.connect(vm.retry)
        vm.banner_changed.connect(self.banner.show_message)
        vm.message.connect(self.show_message)
        vm.notice.connect(self.show_notice)
        self.library_pane.import_clicked.connect(self.choose_files)
        self.library_pane.resume_picked.connect(self._library_pick)
        self.session_pane.resume_picked.connect(vm.history.set_resume)

        library = vm.library
        library.import_started.connect(self.import_progress.start)
        library.import_progress.connect(self.import_progress.update_progress)
        library.importing_changed.connect(self.import_progress.set_running)
        library.import_finished.connect(self.summary.show_summary)
        self.summary.import_anyway_requested.connect(library.import_anyway)
        library.trash_changed.connect(self._trash_changed)
        library.trash_mode_changed.connect(self._trash_mode_changed)
        library.file_ready.connect(self._file_ready)
        self.library_pane.open_requested.connect(library.open_original)
        self.import_progress.cancel_clicked.connect(library.cancel_import)
        self.undo_button.clicked.connect(library.undo_delete)

        session = vm.session
        session.run_started.connect(self.analysis_progress.start)
        session.run_progress.connect(self.analysis_progress.update_progress)
        session.running_changed.connect(self.analysis_progress.set_running)
        session.running_changed.connect(self.cancel_analysis_action.setEnabled)
        session.job_created.connect(self._job_created)
        session.context_changed.connect(self._context_changed)
        session.exported.connect(self.show_notice)
        vm.help.guide_ready.connect(self._guide_ready)
        vm.help.log_folder_ready.connect(self._open_folder)
        self.analysis_progress.cancel_clicked.connect(session.cancel_analysis)

    # ------------------------------------------------------------- commands
    @Slot()
    def choose_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(
            self, "Import resumes", self.folders.folder(IMPORT), RESUME_FILTER
        )
        if paths:
            self.folders.remember(IMPORT, paths[0])
            self.vm.library.import_files(paths)

    @Slot()
    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, "Import a folder of resumes", self.folders.folder(IMPORT)
        )
        if folder:
            self.folders.remember(IMPORT, folder, is_folder=True)
            self.vm.library.import_files([folder])

    @Slot()
    def delete_selected(self) -> None:
        ids = self.library_pane.selected_ids()
        if ids:
            self.vm.library.delete(ids)
        else:
            self.show_notice("Select the resumes to move to the trash first.")

    @Slot()
    def erase_selected(self) -> EraseDialog | None:
        """The Erase dialog for the picked resume (library or trash); the view-model erases,
        off the GUI thread, only once the candidate's name or ERASE was typed."""
        resume_id = self.library_pane.picked_id()
        request = None if resume_id is None else self.vm.library.erase_request(resume_id)
        if request is None:
            self.show_notice("Select the resume to erase first.")
            return None
        dialog = EraseDialog(request, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.erase_confirmed.connect(self.vm.library.erase)
        dialog.open()
        return dialog

    @Slot()
    def open_selected(self) -> None:
        resume_id = self.library_pane.picked_id()
        if resume_id is not None:
            self.vm.library.open_original(resume_id)

    @Slot()
    def save_selected_copy(self) -> None:
        """Offers the safe name and the sniffed type only; a typed name ending otherwise gets
        the type's extension appended by the view-model (the notice shows the final name)."""
        resume_id = self.library_pane.picked_id()
        if resume_id is None:
            return
        suggestion = self.vm.library.save_copy_suggestion(resume_id)
        if suggestion is None:
            return
        name, type_filter = suggestion
        path, _ = QFileDialog.getSaveFileName(
            self, "Save a copy", self.folders.suggest(COPY, name), type_filter
        )
        if path:
            self.folders.remember(COPY, path)
            self.vm.library.save_copy(resume_id, path)

    @Slot(str, bool)
    def _file_ready(self, path: str, open_it: bool) -> None:
        if open_it and not QDesktopServices.openUrl(QUrl.fromLocalFile(path)):
            self.show_message(f"No application opens this file; it is at {visible(path)}.")

    @Slot(bool)
    def _trash_mode_changed(self, on: bool) -> None:
        self.delete_action.setEnabled(not on)

    @Slot()
    def analyze(self) -> None:
        self.show_session()
        self.session_pane.analyze()

    @Slot()
    def show_session(self) -> None:
        self.tabs.setCurrentWidget(self.session_pane)

    @Slot()
    def show_history(self) -> None:
        self.tabs.setCurrentWidget(self.history_pane)

    @Slot()
    def open_settings(self) -> SettingsDialog:
        """Non-modal, so a slow Test connection never holds the window."""
        vm = self.vm.settings_editor()
        dialog = SettingsDialog(vm, self)
        vm.setParent(dialog)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.vm.saved.connect(self.show_message)
        dialog.show()
        return dialog

    @Slot()
    def about(self) -> AboutDialog:
        """Shown at once; a warning about the server (it doesn't check passwords) is added
        when the check, run off the GUI thread, answers."""
        dialog = AboutDialog(self.vm.help.about(), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.vm.help.security_checked.connect(dialog.show_warnings)
        dialog.show()
        self.vm.help.check_security()
        return dialog

    @Slot()
    def show_guide(self) -> GuideDialog:
        """One guide window; the page itself is read off the GUI thread."""
        if self._guide is None:
            self._guide = GuideDialog(self)
            self.vm.help.load_guide()
        self._guide.show()
        self._guide.raise_()
        return self._guide

    @Slot(str)
    def _guide_ready(self, text: str) -> None:
        if self._guide is not None:
            self._guide.show_guide(text)

    @Slot(str)
    def _open_folder(self, path: str) -> None:
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(path)):
            self.show_message(f"The log files are in {path}.")
        else:
            self.show_notice(f"Opened {path}.")

    # ------------------------------------------------------------- bindings
    @Slot(object)
    def _library_pick(self, resume_id: object) -> None:
        self.vm.history.set_resume(resume_id)  # type: ignore[arg-type]
        self.show_history()

    @Slot(str)
    def show_message(self, message: str) -> None:
        self.statusBar().showMessage(message, 15_000)

    @Slot(str)
    def show_notice(self, message: str) -> None:
        self.statusBar().showMessage(message, 8_000)

    @Slot(str, bool)
    def _trash_changed(self, message: str, can_undo: bool) -> None:
        self.show_notice(message)
        self.undo_button.setVisible(can_undo)
        self.undo_action.setEnabled(can_undo)
        if can_undo:
            self._undo_timer.start()

    @Slot(str)
    def _context_changed(self, label: str) -> None:
        self.edit_job_action.setEnabled(self.vm.session.can_edit_job)

    @Slot(str)
    def _job_created(self, title: str) -> None:
        self.show_notice(f"Created the job “{title}”.")
        self.show_session()

    # ------------------------------------------------------------- drag and drop
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        paths = local_paths(event.mimeData())
        if paths:
            event.acceptProposedAction()
            self.statusBar().showMessage(f"Release to import {len(paths)} item(s).", 3000)
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if local_paths(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        """Only hands the paths on: walking folders and reading files happen off-thread."""
        paths = local_paths(event.mimeData())
        if not paths:
            event.ignore()
            return
        event.acceptProposedAction()
        self.files_dropped.emit(paths)

    # ------------------------------------------------------------- persistence
    def _splitters(self) -> dict[str, QSplitter]:
        return {s.objectName(): s for s in self.findChildren(QSplitter) if s.objectName()}

    def restore_state(self) -> None:
        s = self._settings
        geometry = s.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        state = s.value("window/state")
        if isinstance(state, QByteArray):
            self.restoreState(state)
        for name, splitter in self._splitters().items():
            sizes = s.value(f"splitters/{name}")
            if isinstance(sizes, QByteArray):
                splitter.restoreState(sizes)
        tab = s.value("window/tab")
        if tab is not None:
            self.tabs.setCurrentIndex(int(tab))

    def save_state(self) -> None:
        """Layout only: geometry, splitters, the open tab. Never a path, URL or secret."""
        s = self._settings
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/state", self.saveState())
        for name, splitter in self._splitters().items():
            s.setValue(f"splitters/{name}", splitter.saveState())
        s.setValue("window/tab", self.tabs.currentIndex())
        s.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_state()
        self.summary.close()
        self.vm.shutdown()
        super().closeEvent(event)
