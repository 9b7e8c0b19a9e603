"""Horizontal bar charts as geometry; templates/reports/_charts.html draws the SVG.

No JavaScript and no chart library: inline SVG on the report's web page. Each chart has a
title for screen readers and a table beside it with the same figures, which is the text
equivalent (the documents, PDF included, carry the tables).
"""

from dataclasses import dataclass

WIDTH = 640
LABEL_WIDTH = 230
VALUE_WIDTH = 60
BAR_HEIGHT = 20
GAP = 8
MAX_LABEL = 34


@dataclass(frozen=True)
class Bar:
    label: str  # shortened for the drawing; the table beside it has the full text
    value_text: str
    y: int
    width: int
    text_y: int


@dataclass(frozen=True)
class BarChart:
    title: str
    width: int
    height: int
    label_width: int
    bars: tuple[Bar, ...]

    @property
    def value_x_offset(self) -> int:
        return self.label_width + 6


def _shorten(label: str) -> str:
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1].rstrip() + "…"


def bar_chart(title: str, items: list[tuple[str, float]], *, maximum: float | None = None, unit: str = "") -> BarChart:
    """``items`` are (label, value); bars are scaled to ``maximum`` (default: the largest value)."""
    top = maximum if maximum is not None else max((value for _label, value in items), default=0)
    room = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    bars = []
    for index, (label, value) in enumerate(items):
        y = GAP + index * (BAR_HEIGHT + GAP)
        width = round(room * value / top) if top else 0
        bars.append(
            Bar(
                label=_shorten(label),
                value_text=f"{value:g}{unit}",
                y=y,
                width=max(width, 1 if value else 0),
                text_y=y + BAR_HEIGHT - 5,
            )
        )
    height = GAP + len(items) * (BAR_HEIGHT + GAP)
    return BarChart(
        title=title, width=WIDTH, height=max(height, BAR_HEIGHT + 2 * GAP), label_width=LABEL_WIDTH, bars=tuple(bars)
    )
