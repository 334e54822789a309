"""Reading order of a PDF page's text boxes: full-width blocks top to bottom, columns left to right between
them, and tables (two rows or more of short boxes side by side) as rows.

pdfminer's own order interleaves the paragraphs of two columns; this one is an XY cut of one level: a block
wider than `SPAN` of the text area cuts the page into bands, and each band's boxes are grouped into columns
by horizontal overlap.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

SPAN = 0.55  # a box wider than this share of the page's text area runs across the columns
ROW_TOLERANCE = 3.0  # points: boxes whose tops are this close sit on one table row

Item = tuple[str, Any] | tuple[str, list[list[Any]]]  # ("text", box) or ("table", rows of boxes)


def reading_order(boxes: list[Any]) -> list[Item]:
    if not boxes:
        return []
    left, right = min(b.x0 for b in boxes), max(b.x1 for b in boxes)
    wide = (right - left) * SPAN
    items: list[Item] = []
    band: list[Any] = []
    for box in sorted(boxes, key=lambda b: (-b.y1, b.x0)):
        if box.x1 - box.x0 > wide:
            items.extend(_band(band))
            band = []
            items.append(("text", box))
        else:
            band.append(box)
    items.extend(_band(band))
    return items


def _band(boxes: list[Any]) -> Iterator[Item]:
    """A band's boxes: runs of table rows as tables, the rest column by column."""
    rest: list[Any] = []
    rows = _rows(boxes)
    i = 0
    while i < len(rows):
        j = i
        while j < len(rows) and _table_row(rows[j]) and (j == i or _next_row(rows[j - 1], rows[j])):
            j += 1
        if j - i >= 2:  # two or more rows of side-by-side boxes: a table
            yield from _columns(rest)
            rest = []
            yield ("table", rows[i:j])
            i = j
        else:
            rest.extend(rows[i])
            i += 1
    yield from _columns(rest)


def _table_row(row: list[Any]) -> bool:
    """Side-by-side boxes of a line or two each: table cells (paragraphs of two columns run longer)."""
    return len(row) >= 2 and sum(_line_count(b) for b in row) <= 2 * len(row)


def _next_row(above: list[Any], below: list[Any]) -> bool:
    """Rows of one table: no wider apart than three lines of their text (a page's footer is not a row)."""
    line_height = max(b.height / _line_count(b) for b in above)
    return bool(above[0].y1 - below[0].y1 <= 3 * line_height + max(b.height for b in above))


def _line_count(box: Any) -> int:
    return sum(1 for line in box if hasattr(line, "get_text")) or 1


def _rows(boxes: list[Any]) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for box in sorted(boxes, key=lambda b: -b.y1):
        if rows and abs(rows[-1][0].y1 - box.y1) <= ROW_TOLERANCE:
            rows[-1].append(box)
        else:
            rows.append([box])
    return [sorted(row, key=lambda b: b.x0) for row in rows]


def _columns(boxes: list[Any]) -> Iterator[Item]:
    columns: list[list[Any]] = []  # [x0, x1, boxes]
    for box in sorted(boxes, key=lambda b: b.x0):
        for column in columns:
            if box.x0 < column[1] and box.x1 > column[0]:
                column[0], column[1] = min(column[0], box.x0), max(column[1], box.x1)
                column[2].append(box)
                break
        else:
            columns.append([box.x0, box.x1, [box]])
    for _, _, members in sorted(columns, key=lambda c: c[0]):
        for box in sorted(members, key=lambda b: -b.y1):
            yield ("text", box)
