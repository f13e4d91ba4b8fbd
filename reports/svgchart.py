"""A plotly figure drawn as inline SVG on the server.

The page then needs no script to show a chart: it is drawn with the first paint,
prints as it is and works without JavaScript (and the PDF embeds the same drawing).
plotly.js is loaded only when a reader asks for the interactive chart. The input is
the plotly figure that reports.charts builds, or its JSON data: the SVG draws that
figure's traces (x, y, names, colours, dashes, marker symbols, gaps, visibility), its
axis titles and tick suffix, and its vertical line shapes with their annotations (a
break in a series), and nothing else, so the two never disagree.
No browser renders anything on the server: plotly's own image export needs one.
The data table next to it stays the accessible source of the figures; the SVG is
one image labelled by the panel's title and summary.
"""

import math

from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from reporting.numbers import swedish_number

# The drawing's own coordinate system; the SVG is as wide as its box and keeps this ratio.
WIDTH, HEIGHT = 480, 300
# Layout is computed for the largest text size the stylesheet gives (on a phone, where
# the drawing is scaled down most); a desktop's smaller text only leaves more room.
FONT = 18
CHAR = 0.6 * FONT  # the width of a digit, roughly
TOP, RIGHT = 14, 16
DASHARRAYS = {"solid": None, "dot": "2 4", "dash": "8 5", "dashdot": "8 4 2 4", "longdashdot": "14 4 2 4"}


def ticks(top):
    """Round ticks from 0 to at least `top`: (values, decimals)."""
    if top <= 0:
        top = 1
    raw = top / 4
    power = 10.0 ** math.floor(math.log10(raw))
    multiple = next(m for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    step = multiple * power
    decimals = max(0, -math.floor(math.log10(step) + 1e-9)) + (1 if multiple == 2.5 and step < 10 else 0)
    count = math.ceil(top / step - 1e-9)
    return [i * step for i in range(count + 1)], decimals


def _n(value):
    """A coordinate, short: one decimal at most (the drawing is 480 units wide)."""
    return f"{round(value, 1):g}"


def tick_label(value, decimals, suffix=""):
    return swedish_number(value, decimals) + suffix


def figure_data(figure):
    """The figure's JSON data: a plotly.graph_objects.Figure, or the dict it gives (to_plotly_json)."""
    return figure.to_plotly_json() if hasattr(figure, "to_plotly_json") else figure


def drawn_traces(figure):
    """The traces with at least one number: a trace of gaps only has nothing to draw."""
    return [t for t in figure["data"] if any(v is not None for v in t["y"])]


def categories(figure):
    """The x axis's categories in order: the layout's category array, else the traces' x in order of appearance."""
    xaxis = figure["layout"].get("xaxis", {})
    if xaxis.get("categoryarray"):
        return list(xaxis["categoryarray"])
    return list(dict.fromkeys(x for t in figure["data"] for x in t["x"]))


def trace_label(trace):
    """The series' name as text: plotly's line breaks (<br>, for its legend) become spaces."""
    return " ".join(trace["name"].replace("<br>", " ").split())


def trace_label_html(trace):
    """The series' name for an element's content: a part the figure says is in another language than the
    page's (the trace's meta name_parts, from reports.charts) in <span lang="…">, as WCAG 3.1.2 asks."""
    parts = (trace.get("meta") or {}).get("name_parts")
    if not parts:
        return trace_label(trace)
    return format_html_join(
        "", "{}", ((format_html('<span lang="{}">{}</span>', language, text) if language else text,) for text, language in parts)
    )


def marker(symbol, x, y, r=5):
    """A marker shape as path data centred on (x, y); open shapes share the filled shape's outline."""
    shape = symbol.removesuffix("-open")
    if shape == "circle":
        return f"M{_n(x - r)},{_n(y)}a{r},{r} 0 1,0 {2 * r},0a{r},{r} 0 1,0 {-2 * r},0Z"
    if shape == "square":
        return f"M{_n(x - r)},{_n(y - r)}h{2 * r}v{2 * r}h{-2 * r}Z"
    if shape in ("cross", "x"):
        w = r / 2.5
        arms = [(-w, -r), (w, -r), (w, -w), (r, -w), (r, w), (w, w), (w, r), (-w, r), (-w, w), (-r, w), (-r, -w), (-w, -w)]
        if shape == "x":  # the cross turned 45°
            c = math.sqrt(0.5)
            arms = [((a - b) * c, (a + b) * c) for a, b in arms]
        return _polygon(x, y, arms)
    corners = {
        "diamond": [(0, -1.3), (1.3, 0), (0, 1.3), (-1.3, 0)],
        "triangle-up": [(0, -1.2), (1.1, 0.8), (-1.1, 0.8)],
        "triangle-down": [(0, 1.2), (1.1, -0.8), (-1.1, -0.8)],
        "hexagon": [(math.cos(a) * 1.1, math.sin(a) * 1.1) for a in (math.pi / 3 * i for i in range(6))],
        "star": [
            (math.sin(a) * (1.4 if i % 2 == 0 else 0.6), -math.cos(a) * (1.4 if i % 2 == 0 else 0.6))
            for i, a in enumerate(math.pi / 5 * i for i in range(10))
        ],
    }[shape]
    return _polygon(x, y, [(a * r, b * r) for a, b in corners])


def _polygon(x, y, points):
    return "M" + "L".join(f"{_n(x + a)},{_n(y + b)}" for a, b in points) + "Z"


def _style(trace):
    """Stroke and fill attributes of a trace: colour, dash, open or filled markers."""
    colour = trace["line"]["color"]
    dash = DASHARRAYS.get(trace["line"]["dash"])
    open_marker = trace["marker"]["symbol"].endswith("-open")
    return colour, dash, "#fff" if open_marker else colour


def _series_svg(trace, points):
    """One series: a line path (broken at every gap) and its markers as one path."""
    colour, dash, fill = _style(trace)
    line, pen_down = [], False
    for point in points:
        if point is None:
            pen_down = False
            continue
        line.append(f"{'L' if pen_down else 'M'}{_n(point[0])},{_n(point[1])}")
        pen_down = True
    markers = "".join(marker(trace["marker"]["symbol"], px, py) for px, py in filter(None, points))
    return format_html(
        '<g class="series" data-uid="{}"{}>'
        '<path class="line" d="{}" fill="none" stroke="{}" stroke-width="2.5"{}/>'
        '<path class="markers" d="{}" fill="{}" stroke="{}" stroke-width="1.5"/></g>',
        trace["uid"],
        mark_safe("" if trace["visible"] else ' display="none"'),
        "".join(line),
        colour,
        format_html(' stroke-dasharray="{}"', dash) if dash else "",
        markers,
        fill,
        colour,
    )


def chart_svg(figure, labelled_by):
    """A plotly figure (or its JSON data) as an SVG element (safe HTML), labelled by the ids in `labelled_by`."""
    figure = figure_data(figure)
    layout = figure["layout"]
    traces = drawn_traces(figure)
    # The y-axis covers every trace, the hidden ones too, so it stays put when series are switched.
    values, decimals = ticks(max((v for t in traces for v in t["y"] if v is not None), default=0))
    labels = [tick_label(v, decimals, layout["yaxis"].get("ticksuffix", "")) for v in values]
    left = FONT * 1.6 + max(len(label) for label in labels) * CHAR + 8
    bottom = FONT * 3.2
    plot_w, plot_h = WIDTH - left - RIGHT, HEIGHT - TOP - bottom
    periods = categories(figure)
    position = {p: i for i, p in enumerate(periods)}
    slot = plot_w / max(len(periods), 1)

    def x_at(i):
        return left + slot * (i + 0.5)

    def y_at(value):
        return TOP + plot_h * (1 - value / values[-1])

    ys = [_n(y_at(v)) for v in values]
    # Grid lines, then the y ticks' labels right-aligned against the plot.
    parts = [format_html('<path d="{}" fill="none" stroke="#d9d9d9"/>', "".join(f"M{_n(left)},{y}H{WIDTH - RIGHT}" for y in ys))]
    parts.append(format_html(
        '<g text-anchor="end" dominant-baseline="middle">{}</g>',
        format_html_join("", '<text x="{}" y="{}">{}</text>', ((_n(left - 6), y, label) for y, label in zip(ys, labels))),
    ))
    # Every period that fits side by side gets its label, counted from the latest.
    step = max(1, math.ceil(max((len(p) for p in periods), default=0) * CHAR / (slot * 0.9)))
    x_labels = format_html_join(
        "", '<text x="{}" y="{}">{}</text>',
        ((_n(x_at(i)), _n(TOP + plot_h + FONT * 1.2), p) for i, p in enumerate(periods) if (len(periods) - 1 - i) % step == 0),
    )
    parts.append(format_html(
        '<g text-anchor="middle">{}<text class="axis-title" x="{}" y="{}">{}</text>'
        '<text class="axis-title" transform="rotate(-90)" x="{}" y="{}">{}</text></g>',
        x_labels, _n(left + plot_w / 2), HEIGHT - 6, layout["xaxis"]["title"]["text"],
        _n(-(TOP + plot_h / 2)), FONT, layout["yaxis"]["title"]["text"],
    ))
    parts.append(format_html('<path d="M{},{}H{}" fill="none" stroke="#767676"/>', _n(left), _n(TOP + plot_h), WIDTH - RIGHT))
    parts += _vertical_lines(layout, x_at, TOP, TOP + plot_h)
    for trace in traces:
        # Each value at its own category, in the category order; a missing value breaks the line.
        by_position = {position[x]: y for x, y in zip(trace["x"], trace["y"])}
        points = [
            None if by_position.get(i) is None else (x_at(i), y_at(by_position[i])) for i in range(len(periods))
        ]
        parts.append(_series_svg(trace, points))
    return format_html(
        '<svg class="chart-svg" viewBox="0 0 {} {}" width="100%" role="img" aria-labelledby="{}"'
        ' font-size="{}" fill="#1a1a1a" xmlns="http://www.w3.org/2000/svg">{}</svg>',
        WIDTH, HEIGHT, labelled_by, FONT, mark_safe("".join(parts)),
    )


def _vertical_lines(layout, x_at, top, bottom):
    """The layout's vertical lines across the plot (a break in a series) and their labels, at category positions."""
    parts = []
    for shape in layout.get("shapes") or []:
        if shape.get("type") == "line" and shape.get("x0") == shape.get("x1") and shape.get("yref") == "paper":
            line = shape.get("line", {})
            dash = DASHARRAYS.get(line.get("dash", "solid"))
            parts.append(format_html(
                '<path class="vertical-line" d="M{},{}V{}" fill="none" stroke="{}" stroke-width="2"{}/>',
                _n(x_at(shape["x0"])), _n(top), _n(bottom), line.get("color", "#4a4a4a"),
                format_html(' stroke-dasharray="{}"', dash) if dash else "",
            ))
    for note in layout.get("annotations") or []:
        if note.get("yref") == "paper" and note.get("xref") == "x":
            parts.append(format_html(
                '<text class="annotation" x="{}" y="{}" font-size="{}">{}</text>',
                _n(x_at(note["x"]) + 4), _n(top + FONT * 0.8), round(FONT * 0.75), note["text"],
            ))
    return parts


def swatch(trace):
    """A short line with the trace's dash and marker: the legend's key for one series."""
    colour, dash, fill = _style(trace)
    return format_html(
        '<svg class="swatch" viewBox="0 0 40 16" width="40" height="16" aria-hidden="true" focusable="false">'
        '<path d="M2,8H38" fill="none" stroke="{}" stroke-width="2.5"{}/>'
        '<path d="{}" fill="{}" stroke="{}" stroke-width="1.5"/></svg>',
        colour, format_html(' stroke-dasharray="{}"', dash) if dash else "", marker(trace["marker"]["symbol"], 20, 8),
        fill, colour,
    )


def legend_html(figure):
    """The figure's legend as an HTML list, one item per drawn trace: it wraps on a narrow screen."""
    # A series' second piece after a break (showlegend false) is named by its first.
    traces = [t for t in drawn_traces(figure_data(figure)) if t.get("showlegend", True)]
    return format_html(
        '<ul class="chart-legend" aria-label="{}">{}</ul>',
        gettext("Diagrammets serier"),
        format_html_join(
            "", '<li data-uid="{}"{}>{} {}</li>',
            ((t["uid"], mark_safe("" if t["visible"] else " hidden"), swatch(t), trace_label_html(t)) for t in traces),
        ),
    )

