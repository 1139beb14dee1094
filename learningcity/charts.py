"""Charts drawn on the server as SVG, readable without JavaScript and by screen readers.

Each chart is an ``<svg role="img">`` labelled by its ``<title>`` and ``<desc>``; the report shows the data table
it is drawn from beside it, so no figure is only in the picture. Bars carry their value as text too.
"""

from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

WIDTH = 640
BAR_HEIGHT = 18
ROW_HEIGHT = 26
LABEL_WIDTH = 230
VALUE_WIDTH = 60
COLUMNS_HEIGHT = 200
DEFAULT_COLOUR = "#19486A"  # SDG 17's blue: the palette's darkest, with white text readable on it
LABEL_CHARACTERS = 34


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    colour: str = DEFAULT_COLOUR


def _short(label: str, length: int = LABEL_CHARACTERS) -> str:
    label = str(label)
    return label if len(label) <= length else label[: length - 1] + "…"


def _frame(chart_id: str, title: str, description: str, width: int, height: int, body: SafeString) -> SafeString:
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="report-chart" role="img" viewBox="0 0 {} {}" '
        'width="{}" height="{}" aria-labelledby="{}-title {}-desc">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>{}</svg>',
        width,
        height,
        width,
        height,
        chart_id,
        chart_id,
        chart_id,
        title,
        chart_id,
        description,
        body,
    )


def bar_chart(chart_id: str, title: str, description: str, bars: list[Bar]) -> SafeString:
    """Horizontal bars, one row per label, each with its value written after it."""
    height = max(len(bars), 1) * ROW_HEIGHT + 8
    largest = max((bar.value for bar in bars), default=0) or 1
    room = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    rows = []
    for index, bar in enumerate(bars):
        y = 4 + index * ROW_HEIGHT
        length = round(room * bar.value / largest) if bar.value else 0
        rows.append(
            (
                LABEL_WIDTH - 8,
                y + BAR_HEIGHT - 4,
                _short(bar.label),
                LABEL_WIDTH,
                y,
                max(length, 1) if bar.value else 0,
                BAR_HEIGHT,
                bar.colour,
                LABEL_WIDTH + length + 6,
                y + BAR_HEIGHT - 4,
                bar.value,
            )
        )
    body = format_html_join(
        "",
        '<text x="{}" y="{}" text-anchor="end" font-size="12" fill="#1a1a1a">{}</text>'
        '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"></rect>'
        '<text x="{}" y="{}" font-size="12" fill="#1a1a1a">{}</text>',
        rows,
    )
    return _frame(chart_id, title, description, WIDTH, height, body)


def column_chart(chart_id: str, title: str, description: str, bars: list[Bar]) -> SafeString:
    """Vertical columns in order (months, quarters), so a trend reads from left to right."""
    count = max(len(bars), 1)
    slot = (WIDTH - 20) / count
    width = max(min(slot * 0.7, 48), 2)
    largest = max((bar.value for bar in bars), default=0) or 1
    room = COLUMNS_HEIGHT - 50
    columns = []
    for index, bar in enumerate(bars):
        x = 10 + index * slot + (slot - width) / 2
        length = round(room * bar.value / largest)
        top = 20 + room - length
        columns.append(
            (
                f"{x:.1f}",
                top,
                f"{width:.1f}",
                length,
                bar.colour,
                f"{x + width / 2:.1f}",
                top - 4,
                bar.value,
                f"{x + width / 2:.1f}",
                COLUMNS_HEIGHT - 14,
                _short(bar.label, 8),
            )
        )
    body = format_html_join(
        "",
        '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"></rect>'
        '<text x="{}" y="{}" text-anchor="middle" font-size="11" fill="#1a1a1a">{}</text>'
        '<text x="{}" y="{}" text-anchor="middle" font-size="10" fill="#1a1a1a">{}</text>',
        columns,
    )
    axis = mark_safe(  # noqa: S308 -- fixed markup, no input in it
        f'<line x1="10" y1="{20 + room}" x2="{WIDTH - 10}" y2="{20 + room}" stroke="#6b6b6b"></line>'
    )
    return _frame(chart_id, title, description, WIDTH, COLUMNS_HEIGHT, axis + body)
