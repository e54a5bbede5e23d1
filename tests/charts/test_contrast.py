"""Text in every chart stands out from what is behind it by WCAG's 4.5:1 at the least (docs/accessibility.md)."""

from __future__ import annotations

import pytest
from plotly.colors import sample_colorscale, unlabel_rgb
from plotly.colors import sequential as seq

from dashboard.charts import sensitivity, theme
from tests.charts.test_theme import CHARTS, _builders

AA = 4.5  # WCAG 2.x 1.4.3, text of normal size
NAMED = {"white": "#FFFFFF", "black": "#000000"}


def rgb(color: str) -> tuple[float, float, float]:
    """A CSS colour (#RGB, #RRGGBB, rgb()/rgba() or white/black) as 0-255 channels, any alpha over white."""
    color = NAMED.get(color, color)
    if color.startswith("#"):
        h = color[1:]
        h = "".join(c * 2 for c in h) if len(h) == 3 else h
        return tuple(int(h[i:i + 2], 16) for i in (0, 2, 4))
    parts = [float(v) for v in color[color.index("(") + 1:-1].split(",")]
    alpha = parts[3] if len(parts) == 4 else 1.0
    return tuple(alpha * c + (1 - alpha) * 255 for c in parts[:3])


def contrast(a: str, b: str) -> float:
    """WCAG 2.x contrast ratio of two colours (1 to 21)."""
    def luminance(color: str) -> float:
        lin = [c / 255 / 12.92 if c / 255 <= 0.04045 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in rgb(color)]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_contrast_ratio_matches_wcags_reference_values():
    assert contrast("#000000", "#FFFFFF") == pytest.approx(21)
    assert contrast("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)  # the classic just-failing grey
    assert contrast("rgba(0, 0, 0, 0)", "#FFFFFF") == pytest.approx(1)


@pytest.fixture(scope="module")
def figures(model, labels, units, driver_labels, threshold, scores, contributions, monte, sobol_tokyo):
    built = _builders(model, labels, units, driver_labels, threshold, scores, contributions, monte, sobol_tokyo)
    return {name: built[name](False).to_dict() for name in CHARTS}


def _texts(fig: dict) -> list[tuple[str, str, str]]:
    """(where, text colour, background) for the chart's own text: titles, ticks, legend, annotations."""
    layout = fig["layout"]
    font = layout["font"]["color"]
    paper, plot = layout.get("paper_bgcolor", "white"), layout.get("plot_bgcolor", "white")
    out = [("font on paper", font, paper), ("font on plot", font, plot)]
    zones = [s for s in layout.get("shapes", []) if s.get("type") == "rect" and s.get("fillcolor")]
    for a in layout.get("annotations", []):
        color = (a.get("font") or {}).get("color", font)
        behind = a.get("bgcolor", plot)
        for z in zones:  # an annotation inside a shaded zone is read against the shade over the plot
            same_axes = z.get("xref", "x") == a.get("xref", "x")
            if same_axes and z["x0"] <= a["x"] <= z["x1"] and z["y0"] <= a["y"] <= z["y1"]:
                behind = z["fillcolor"]
        out.append((f"annotation {str(a.get('text'))[:30]!r}", color, behind))
    for t in fig["data"]:
        if t.get("textfont", {}).get("color"):
            out.append((f"{t['type']} text", t["textfont"]["color"], plot))
    return out


@pytest.mark.parametrize("name", CHARTS)
def test_chart_text_has_at_least_4_5_to_1_contrast(figures, name):
    low = [(where, c, bg, round(contrast(c, bg), 2)) for where, c, bg in _texts(figures[name])
           if contrast(c, bg) < AA]
    assert low == []


def test_theme_text_colours_pass_on_white_and_in_the_zone_both_accept():
    for color in (theme.FONT["color"], "#00634A", "#555"):  # text, "Both could accept", "Neither" (briefing map)
        assert contrast(color, "white") >= AA
    assert contrast("#00634A", theme.ACCEPT_ZONE) >= AA


def test_acceptance_contour_label_stands_out_from_the_heat_scale_at_the_threshold(threshold):
    scale = getattr(seq, theme.HEAT_SCALE)
    r, g, b = unlabel_rgb(sample_colorscale(scale, [threshold])[0])
    behind = f"rgb({r}, {g}, {b})"
    assert contrast(sensitivity.CONTOUR_LABEL, behind) >= AA
