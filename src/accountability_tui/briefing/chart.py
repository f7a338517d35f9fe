"""A measure's figures over time as a small line chart: a PNG for the Word briefing, a text trend for Markdown.

Made here, byte for byte (zlib and struct, no plotting library): the same figures always give the same picture,
so the same data exports the same file. The picture has no lettering (no fonts to embed or to differ between
machines); the Word writer puts the words beside it: the measure, the periods, the range, and what each line is.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Sequence

BARS = "▁▂▃▄▅▆▇█"

WIDTH, HEIGHT = 640, 220
MARGIN = 16
WHITE = (255, 255, 255)
AXIS = (160, 160, 160)
GRID = (232, 232, 232)
FIGURES = (31, 78, 145)  # dark blue: the measure's values
BASELINE = (110, 110, 110)  # grey, dashed
TARGET = (46, 125, 50)  # green, dashed


def trend(values: Sequence[float], width: int = 12) -> str:
    """The last `width` figures as a line of bars, lowest to highest: '▁▂▃▅▆'. Empty without figures."""
    shown = list(values)[-width:]
    if not shown:
        return ""
    low, high = min(shown), max(shown)
    if high == low:
        return BARS[3] * len(shown)
    return "".join(BARS[round((v - low) / (high - low) * (len(BARS) - 1))] for v in shown)


def value_range(values: Sequence[float], baseline: float | None, target: float | None) -> tuple[float, float]:
    """The chart's vertical range: every figure and the two lines, with a little room above and below."""
    every = [*values, *(v for v in (baseline, target) if v is not None)]
    low, high = min(every), max(every)
    room = (high - low) * 0.1 or abs(high) * 0.1 or 1.0
    return low - room, high + room


def line_chart(values: Sequence[float], baseline: float | None = None, target: float | None = None) -> bytes:
    """A PNG: the figures as a line with a dot at each, the baseline (grey) and target (green) as dashed lines."""
    if not values:
        raise ValueError("a chart needs at least one figure")
    pixels = bytearray(bytes(WHITE) * (WIDTH * HEIGHT))
    low, high = value_range(values, baseline, target)
    left, right, top, bottom = MARGIN, WIDTH - MARGIN, MARGIN, HEIGHT - MARGIN

    def put(x: int, y: int, colour: tuple[int, int, int]) -> None:
        if 0 <= x < WIDTH and 0 <= y < HEIGHT:
            at = (y * WIDTH + x) * 3
            pixels[at:at + 3] = bytes(colour)

    def y_of(value: float) -> int:
        return round(bottom - (value - low) / (high - low) * (bottom - top))

    def x_of(index: int) -> int:
        return left + (round(index * (right - left) / (len(values) - 1)) if len(values) > 1 else (right - left) // 2)

    def line(x0: int, y0: int, x1: int, y1: int, colour: tuple[int, int, int], thick: int = 1,
             dash: int = 0) -> None:
        steps = max(abs(x1 - x0), abs(y1 - y0), 1)
        for step in range(steps + 1):
            if dash and (step // dash) % 2:
                continue
            x, y = round(x0 + (x1 - x0) * step / steps), round(y0 + (y1 - y0) * step / steps)
            for dy in range(-(thick // 2), thick - thick // 2):
                put(x, y + dy, colour)

    for quarter in range(1, 4):  # light guides at a quarter, half and three quarters of the range
        y = top + quarter * (bottom - top) // 4
        line(left, y, right, y, GRID)
    line(left, top, left, bottom, AXIS)
    line(left, bottom, right, bottom, AXIS)
    if baseline is not None:
        line(left, y_of(baseline), right, y_of(baseline), BASELINE, thick=2, dash=8)
    if target is not None:
        line(left, y_of(target), right, y_of(target), TARGET, thick=2, dash=8)
    points = [(x_of(n), y_of(v)) for n, v in enumerate(values)]
    for (x0, y0), (x1, y1) in zip(points, points[1:], strict=False):
        line(x0, y0, x1, y1, FIGURES, thick=3)
    for x, y in points:
        for dx in range(-3, 4):
            for dy in range(-3, 4):
                put(x + dx, y + dy, FIGURES)
    return _png(WIDTH, HEIGHT, bytes(pixels))


def _png(width: int, height: int, rgb: bytes) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    stride = width * 3
    raw = b"".join(b"\x00" + rgb[row * stride:(row + 1) * stride] for row in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9))
            + chunk(b"IEND", b""))
