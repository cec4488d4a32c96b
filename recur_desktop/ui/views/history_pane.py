"""The history pane: the picked resume's preview, score chart and analysis timeline."""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, QPointF, QRectF, QSize, Qt, Slot
from PySide6.QtGui import QColor, QImage, QPainter, QPainterPath, QPalette, QPen, QPixmap
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from recur_desktop.ui.viewmodels.history import HistoryViewModel, Preview, ScorePoint
from recur_desktop.ui.views.widgets import icon, make_table, muted

OVERALL_COLOR = QColor("#2f6fb3")
SKILL_COLOR = QColor("#d9822b")


class ScoreChart(QWidget):
    """Overall fit and skill match over time, oldest left; painted, no chart library."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("scoreChart")
        self.setAccessibleName("Scores over time")
        self.setMinimumHeight(140)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._points: list[ScorePoint] = []

    def sizeHint(self) -> QSize:
        return QSize(320, 150)

    @property
    def points(self) -> list[ScorePoint]:
        return list(self._points)

    @Slot(list)
    def set_points(self, points: list[ScorePoint]) -> None:
        self._points = list(points)
        self.setToolTip(
            "\n".join(
                f"{p.day} {p.label}: fit {p.overall:.0f}, skills {p.skill_match:.0f}"
                for p in self._points[-12:]
            )
        )
        self.update()

    def paintEvent(self, event: object) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        text = palette.color(QPalette.ColorRole.WindowText)
        grid = palette.color(QPalette.ColorRole.Mid)
        metrics = self.fontMetrics()
        left = metrics.horizontalAdvance("100") + 10
        legend_h = metrics.height() + 4
        axis_h = metrics.height() + 2
        plot = QRectF(
            left, legend_h + 4, self.width() - left - 10, self.height() - legend_h - axis_h - 10
        )
        painter.setPen(QPen(grid, 1, Qt.PenStyle.DotLine))
        for value in (0, 50, 100):
            y = plot.bottom() - plot.height() * value / 100
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.setPen(text)
            painter.drawText(
                QRectF(0, y - metrics.height() / 2, left - 6, metrics.height()),
                int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                str(value),
            )
            painter.setPen(QPen(grid, 1, Qt.PenStyle.DotLine))
        x = plot.left()
        for label, color in (("Overall fit", OVERALL_COLOR), ("Skill match", SKILL_COLOR)):
            painter.fillRect(QRectF(x, 4 + metrics.height() / 2 - 4, 10, 8), color)
            painter.setPen(text)
            painter.drawText(QPointF(x + 14, 2 + metrics.ascent()), label)
            x += 24 + metrics.horizontalAdvance(label)
        if not self._points:
            painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(plot, int(Qt.AlignmentFlag.AlignCenter), "No scores yet")
            return
        count = len(self._points)
        step = plot.width() / max(count - 1, 1)
        painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
        axis = QRectF(plot.left(), plot.bottom() + 4, plot.width(), axis_h)
        first, last = self._points[0].day, self._points[-1].day
        painter.drawText(axis, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop), first)
        if last != first:
            painter.drawText(
                axis, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop), last
            )

        def at(i: int, value: float) -> QPointF:
            x = plot.left() + (step * i if count > 1 else plot.width() / 2)
            return QPointF(x, plot.bottom() - plot.height() * max(0.0, min(value, 100.0)) / 100)

        for color, values in (
            (SKILL_COLOR, [p.skill_match for p in self._points]),
            (OVERALL_COLOR, [p.overall for p in self._points]),
        ):
            path = QPainterPath(at(0, values[0]))
            for i, value in enumerate(values[1:], start=1):
                path.lineTo(at(i, value))
            painter.setPen(QPen(color, 2))
            painter.drawPath(path)
            painter.setBrush(color)
            for i, value in enumerate(values):
                painter.drawEllipse(at(i, value), 3.5, 3.5)
            painter.setBrush(Qt.BrushStyle.NoBrush)


class PreviewWidget(QStackedWidget):
    """The first page of a PDF as an image, the text of anything else, or a message."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("preview")
        self.setAccessibleName("Document preview")
        self.message = muted(QLabel("Pick a resume to see its preview and analyses."))
        self.message.setTextFormat(Qt.TextFormat.PlainText)  # names are text, never markup
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self.page = QLabel()
        self.page.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.page.setAccessibleName("First page")
        self.scroll = QScrollArea()
        self.scroll.setWidget(self.page)
        self.scroll.setWidgetResizable(True)
        self.scroll.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        self.text.setAccessibleName("Resume text")
        self.addWidget(self.message)
        self.addWidget(self.scroll)
        self.addWidget(self.text)
        self._image: QImage | None = None

    @property
    def image(self) -> QImage | None:
        return self._image

    @Slot(object)
    def show_preview(self, preview: Preview) -> None:
        if preview.image is not None:
            self._image = preview.image
            self.setCurrentWidget(self.scroll)
            self._fit()
        else:
            self._image = None
            self.text.setPlainText(preview.text or "")
            self.setCurrentWidget(self.text)

    @Slot(str)
    def show_message(self, message: str) -> None:
        self._image = None
        self.message.setText(message)
        self.setCurrentWidget(self.message)

    def resizeEvent(self, event: object) -> None:
        super().resizeEvent(event)  # type: ignore[arg-type]
        self._fit()

    def _fit(self) -> None:
        if self._image is None:
            return
        ratio = self.devicePixelRatioF()
        width = max(self.scroll.viewport().width() - 4, 50)
        scaled = self._image.scaledToWidth(
            int(width * ratio), Qt.TransformationMode.SmoothTransformation
        )
        pixmap = QPixmap.fromImage(scaled)
        pixmap.setDevicePixelRatio(ratio)
        self.page.setPixmap(pixmap)


class HistoryPane(QWidget):
    def __init__(self, vm: HistoryViewModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.vm = vm
        self.setObjectName("historyPane")
        self.heading = QLabel("No resume picked")
        self.heading.setTextFormat(Qt.TextFormat.PlainText)  # names are text, never markup
        self.heading.setObjectName("historyHeading")
        self.heading.setWordWrap(True)
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        self.warning = QLabel()
        self.warning.setTextFormat(Qt.TextFormat.PlainText)  # names are text, never markup
        self.warning.setObjectName("historyWarning")
        self.warning.setWordWrap(True)
        self.warning.setAccessibleName("Warning about this resume")
        warning_icon = QLabel()
        warning_icon.setPixmap(icon("warning").pixmap(16, 16))
        self.warning_row = QWidget()
        warning_layout = QHBoxLayout(self.warning_row)
        warning_layout.setContentsMargins(0, 0, 0, 0)
        warning_layout.addWidget(warning_icon, 0, Qt.AlignmentFlag.AlignTop)
        warning_layout.addWidget(self.warning, 1)
        self.warning_row.hide()
        self.preview = PreviewWidget()
        self.chart = ScoreChart()
        self.timeline = make_table(vm.timeline, "Analysis timeline", stretch=1)
        self.detail = QTextBrowser()
        self.detail.setObjectName("historyDetail")
        self.detail.setAccessibleName("Analysis detail")
        self.detail.setOpenLinks(False)
        right = QSplitter(Qt.Orientation.Vertical)
        right.setObjectName("historyRightSplit")
        right.addWidget(self.timeline)
        right.addWidget(self.detail)
        right.setSizes([150, 300])
        right_box = QWidget()
        right_layout = QVBoxLayout(right_box)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.chart)
        right_layout.addWidget(right, 1)
        self.split = QSplitter(Qt.Orientation.Horizontal)
        self.split.setObjectName("historySplit")
        self.split.addWidget(self.preview)
        self.split.addWidget(right_box)
        self.split.setChildrenCollapsible(False)
        self.split.setSizes([280, 380])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.warning_row)
        layout.addWidget(self.split, 1)

        vm.resume_changed.connect(self._heading)
        vm.warning_changed.connect(self._warning)
        vm.detail_changed.connect(self.detail.setHtml)
        vm.chart_changed.connect(self.chart.set_points)
        vm.preview_ready.connect(self.preview.show_preview)
        vm.preview_failed.connect(self.preview.show_message)
        self.timeline.selectionModel().selectionChanged.connect(self._entry_picked)
        vm.timeline_loaded.connect(self._select_first)

    @Slot(str)
    def _heading(self, text: str) -> None:
        self.heading.setText(text or "No resume picked")

    @Slot(str)
    def _warning(self, text: str) -> None:
        self.warning.setText(text)
        self.warning_row.setVisible(bool(text))

    @Slot(int)
    def _select_first(self, count: int) -> None:
        if count:
            self.timeline.selectRow(0)

    @Slot(QItemSelection, QItemSelection)
    def _entry_picked(self, selected: QItemSelection, deselected: QItemSelection) -> None:
        rows = self.timeline.selectionModel().selectedRows()
        if rows:
            self.vm.select_entry(rows[0].row())
