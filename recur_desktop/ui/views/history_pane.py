"""The history pane: the picked resume's preview, score chart and analysis timeline."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

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

#: One colour per job, in the order the jobs first appear; a line never joins two jobs.
SERIES_COLORS = [
    QColor("#2f6fb3"),
    QColor("#d9822b"),
    QColor("#2e8b57"),
    QColor("#b03a8c"),
    QColor("#7a5cc7"),
    QColor("#8c6d1f"),
    QColor("#1f8c8c"),
    QColor("#c0392b"),
]
#: Overall fit is the solid line, skill match the dashed one, in the job's colour.
METRICS = (("overall", Qt.PenStyle.SolidLine), ("skill_match", Qt.PenStyle.DashLine))


@dataclass(frozen=True)
class ChartSeries:
    """The scores of one job (or of general analysis), oldest first. ``slots`` are the points'
    places on the shared time axis, so the series interleave in the order they were scored."""

    label: str
    job_id: uuid.UUID | None
    color: QColor
    slots: tuple[int, ...]
    points: tuple[ScorePoint, ...]


def chart_series(points: list[ScorePoint]) -> list[ChartSeries]:
    """The points split by job: scores for different jobs measure different things."""
    grouped: dict[uuid.UUID | None, list[tuple[int, ScorePoint]]] = {}
    for slot, point in enumerate(points):
        grouped.setdefault(point.job_id, []).append((slot, point))
    return [
        ChartSeries(
            label=members[0][1].label,
            job_id=job_id,
            color=SERIES_COLORS[i % len(SERIES_COLORS)],
            slots=tuple(slot for slot, _ in members),
            points=tuple(point for _, point in members),
        )
        for i, (job_id, members) in enumerate(grouped.items())
    ]


class ScoreChart(QWidget):
    """Overall fit (solid) and skill match (dashed) over time, oldest left, one colour per job;
    painted, no chart library."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("scoreChart")
        self.setAccessibleName("Scores over time")
        self.setMinimumHeight(140)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._points: list[ScorePoint] = []
        self._series: list[ChartSeries] = []

    def sizeHint(self) -> QSize:
        return QSize(320, 150)

    @property
    def points(self) -> list[ScorePoint]:
        return list(self._points)

    @property
    def series(self) -> list[ChartSeries]:
        return list(self._series)

    @Slot(list)
    def set_points(self, points: list[ScorePoint]) -> None:
        self._points = list(points)
        self._series = chart_series(self._points)
        self.setToolTip(
            "\n".join(
                f"{p.day} {p.label}: fit {p.overall:.0f}, skills {p.skill_match:.0f}"
                for p in self._points[-12:]
            )
        )
        self.update()

    def plot_area(self) -> QRectF:
        metrics = self.fontMetrics()
        left = metrics.horizontalAdvance("100") + 10
        legend_h = metrics.height() + 4
        axis_h = metrics.height() + 2
        return QRectF(
            left, legend_h + 4, self.width() - left - 10, self.height() - legend_h - axis_h - 10
        )

    def lines(self, plot: QRectF | None = None) -> list[tuple[ChartSeries, str, list[QPointF]]]:
        """What is drawn: (series, metric, points) per line, each within one job."""
        plot = plot if plot is not None else self.plot_area()
        count = len(self._points)
        step = plot.width() / max(count - 1, 1)

        def at(slot: int, value: float) -> QPointF:
            x = plot.left() + (step * slot if count > 1 else plot.width() / 2)
            return QPointF(x, plot.bottom() - plot.height() * max(0.0, min(value, 100.0)) / 100)

        return [
            (
                series,
                metric,
                [
                    at(slot, getattr(p, metric))
                    for slot, p in zip(series.slots, series.points, strict=True)
                ],
            )
            for series in self._series
            for metric, _ in METRICS
        ]

    def paintEvent(self, event: object) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        text = palette.color(QPalette.ColorRole.WindowText)
        grid = palette.color(QPalette.ColorRole.Mid)
        metrics = self.fontMetrics()
        plot = self.plot_area()
        left = plot.left()
        axis_h = metrics.height() + 2
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
        self._paint_legend(painter, plot, text)
        if not self._points:
            painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(plot, int(Qt.AlignmentFlag.AlignCenter), "No scores yet")
            return
        painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
        axis = QRectF(plot.left(), plot.bottom() + 4, plot.width(), axis_h)
        first, last = self._points[0].day, self._points[-1].day
        painter.drawText(axis, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop), first)
        if last != first:
            painter.drawText(
                axis, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop), last
            )
        styles = dict(METRICS)
        for series, metric, where in self.lines(plot):
            painter.setPen(QPen(series.color, 2, styles[metric]))
            if len(where) > 1:
                path = QPainterPath(where[0])
                for point in where[1:]:
                    path.lineTo(point)
                painter.drawPath(path)
            # Overall fit: filled dots; skill match: hollow ones (told apart without colour).
            painter.setPen(QPen(series.color, 1.5))
            painter.setBrush(series.color if metric == "overall" else palette.base())
            for point in where:
                painter.drawEllipse(point, 3.5, 3.5)
            painter.setBrush(Qt.BrushStyle.NoBrush)

    def _paint_legend(self, painter: QPainter, plot: QRectF, text: QColor) -> None:
        """The line styles, then one swatch per job while they fit ("+N more" after)."""
        metrics = self.fontMetrics()
        y = 4 + metrics.height() / 2
        x = plot.left()
        for label, style in (("Fit", Qt.PenStyle.SolidLine), ("Skills", Qt.PenStyle.DashLine)):
            painter.setPen(QPen(text, 2, style))
            painter.drawLine(QPointF(x, y), QPointF(x + 16, y))
            painter.setPen(text)
            painter.drawText(QPointF(x + 20, 2 + metrics.ascent()), label)
            x += 30 + metrics.horizontalAdvance(label)
        for shown, series in enumerate(self._series):
            label = metrics.elidedText(series.label, Qt.TextElideMode.ElideRight, 140)
            width = 18 + metrics.horizontalAdvance(label)
            rest = len(self._series) - shown
            more = f"+{rest} more"
            if x + width > self.width() - 10 and rest > 0:
                painter.setPen(text)
                painter.drawText(QPointF(x, 2 + metrics.ascent()), more)
                return
            painter.fillRect(QRectF(x, y - 4, 10, 8), series.color)
            painter.setPen(text)
            painter.drawText(QPointF(x + 14, 2 + metrics.ascent()), label)
            x += width + 10


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
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidget(self.page)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        self.text.setAccessibleName("Resume text")
        self.addWidget(self.message)
        self.addWidget(self.scroll_area)
        self.addWidget(self.text)
        self._image: QImage | None = None

    @property
    def image(self) -> QImage | None:
        return self._image

    @Slot(object)
    def show_preview(self, preview: Preview) -> None:
        if preview.image is not None:
            self._image = preview.image
            self.setCurrentWidget(self.scroll_area)
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
        width = max(self.scroll_area.viewport().width() - 4, 50)
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
