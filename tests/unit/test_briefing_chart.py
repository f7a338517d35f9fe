"""The briefing's charts: a PNG made byte for byte (the same figures, the same picture) and a text trend."""

import struct
import zlib

import pytest

from accountability_tui.briefing.chart import HEIGHT, WIDTH, line_chart, trend


def _pixels(png: bytes) -> tuple[int, int, bytes]:
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    at, data, size = 8, b"", (0, 0)
    while at < len(png):
        (length,) = struct.unpack(">I", png[at:at + 4])
        kind, body = png[at + 4:at + 8], png[at + 8:at + 8 + length]
        (crc,) = struct.unpack(">I", png[at + 8 + length:at + 12 + length])
        assert crc == zlib.crc32(kind + body) & 0xFFFFFFFF, kind
        if kind == b"IHDR":
            size = struct.unpack(">II", body[:8])
        elif kind == b"IDAT":
            data += body
        at += 12 + length
    return size[0], size[1], zlib.decompress(data)


def test_the_chart_is_a_valid_png_with_the_figures_baseline_and_target_drawn():
    png = line_chart([80.1, 81.5, 82.0, 83.4, 82.9, 84.1], baseline=82.5, target=90.0)
    width, height, raw = _pixels(png)
    assert (width, height) == (WIDTH, HEIGHT) and len(raw) == height * (1 + width * 3)
    colours = {raw[n:n + 3] for row in range(height) for n in range(row * (1 + width * 3) + 1,
                                                                     (row + 1) * (1 + width * 3), 3)}
    assert {bytes((31, 78, 145)), bytes((110, 110, 110)), bytes((46, 125, 50))} <= colours


def test_the_same_figures_give_the_same_bytes_and_other_figures_other_bytes():
    assert line_chart([1.0, 2.0, 3.0, 4.0]) == line_chart([1.0, 2.0, 3.0, 4.0])
    assert line_chart([1.0, 2.0, 3.0, 4.0]) != line_chart([1.0, 2.0, 3.0, 5.0])


def test_flat_single_and_empty_series():
    assert line_chart([5.0]).startswith(b"\x89PNG")
    assert line_chart([5.0, 5.0, 5.0, 5.0], baseline=5.0, target=5.0).startswith(b"\x89PNG")
    with pytest.raises(ValueError):
        line_chart([])


def test_trend_bars_from_lowest_to_highest():
    assert trend([1, 2, 3, 5, 6]) == "▁▂▄▇█"
    assert trend([4, 4, 4]) == "▄▄▄"
    assert trend([]) == ""
    assert len(trend(list(range(40)))) == 12  # the last twelve figures
