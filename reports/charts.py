"""Chart figures and data tables for an indicator.

Each panel's chart is ONE plotly figure (plotly.graph_objects.Figure). The
interactive chart shows its JSON, and the vector chart on the page (and in the
PDF) is drawn from that same figure by reports.svgchart, so the three cannot
disagree. Each chart comes with a real data table and a one-line summary, and
its series differ by marker symbol and dash style as well as colour, so no
meaning is carried by colour alone.
"""

from dataclasses import dataclass, field
from functools import cached_property

import plotly.graph_objects as go
from django.utils.translation import gettext, gettext_noop

from strategy.models import Area

from indicators.models import MissingReason
from indicators.selectors import LanguageText, page_language, series_label
from indicators.trends import crosses_break, trend
from indicators.units import AXIS_TITLE, Unit
from reporting.numbers import separators

from .svgchart import chart_svg, legend_html

# Every chart is this tall; the page reserves the height before the chart is drawn.
CHART_HEIGHT = 420

# The first series drawn by default; the data table always has them all.
MAX_DEFAULT_SERIES = 6

# Okabe–Ito colours (distinguishable with colour-blindness), each with its own symbol and dash.
COLOURS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#8A6100", "#1F5F8B", "#000000"]
SYMBOLS = ["circle", "square", "diamond", "triangle-up", "triangle-down", "cross", "x", "star", "hexagon"]
DASHES = ["solid", "dot", "dashdot", "longdashdot"]
# The national comparison: grey, dashed, open markers no regional series uses.
NATIONAL_STYLE = {"colour": "#4A4A4A", "dash": "dash", "symbols": ["diamond-open", "star-open", "hexagon-open"]}

# A percentage's ticks end in a no-break space and a per cent sign, in both charts.
PERCENT_SUFFIX = "\u00a0%"

# The vertical marker at a break in a series (Series.break_year), and its label.
BREAK_COLOUR = "#4A4A4A"
BREAK_LABEL = gettext_noop("Tidsseriebrott")

MISSING_LABELS = dict(MissingReason.choices)


@dataclass
class Cell:
    text: str = ""
    missing: str = ""
    footnote: str = ""
    after_break: bool = False  # the first year after a break in the series (Row.break_year)


@dataclass
class Row:
    key: str  # "s<series id>" or "n<series id>-<area id>": the trace uid
    label: LanguageText  # a str that knows its parts' languages: templates show `label.html`
    cells: list
    trend: object = None  # indicators.trends.Trend, or None with too few values
    trend_text: str = ""
    national: bool = False
    selected: bool = True
    points: list = field(default_factory=list)  # numbers per year for the chart, None for a gap
    break_year: int | None = None  # the first year after a break in the series, when the panel has years on both sides
    break_note: str = ""  # why the series breaks (Series.break_note)

    def break_index(self, years):
        """The index in `years` of the first year from the break on, or None without a break."""
        if self.break_year is None:
            return None
        return next(i for i, y in enumerate(years) if y >= self.break_year)


@dataclass
class Panel:
    indicator: object
    years: list
    period_labels: list
    rows: list = field(default_factory=list)
    summary: LanguageText = LanguageText(())  # templates show `summary.html` in an element, the text in an attribute
    keep_hidden: bool = False  # unselected series go into the figure as hidden traces

    analysis: list = field(default_factory=list)  # the edition's analysis of the indicator, in paragraphs
    caption: str = ""  # the edition's numbered caption of the indicator's table or diagram ("Tabell 5. …")
    group_notes: list = field(default_factory=list)  # paragraphs shared by the panels of a group, shown once
    own_notes: list | None = None  # this panel's paragraphs less those; None: all of them

    @property
    def has_data(self):
        return bool(self.years)

    @property
    def note_lines(self):
        return self.analysis if self.own_notes is None else self.own_notes

    @property
    def single_figure(self):
        """(label, period, text) when the panel has one year with a number: a figure, not a chart."""
        if len(self.years) != 1:
            return None
        for row in self.series_rows or self.rows:
            if row.cells[0].text:
                return row.label, self.period_labels[0], row.cells[0].text
        return None

    @property
    def series_rows(self):
        return [row for row in self.rows if not row.national]

    @property
    def national_rows(self):
        return [row for row in self.rows if row.national]

    @property
    def chart_id(self):
        return f"chart-{self.indicator.slug}"

    @property
    def data_id(self):
        return f"{self.chart_id}-data"

    @cached_property
    def figure(self):
        """The panel's plotly figure, built when a template first asks for the chart.

        Lazily: a page that shows only the summary (the start page) builds no figure.
        """
        return build_figure(self.indicator, self, keep_hidden=self.keep_hidden)

    @cached_property
    def figure_json(self):
        """The figure as JSON data for the interactive chart and the SVG drawer, with plotly.js's config."""
        return {**self.figure.to_plotly_json(), "config": plotly_config(self.indicator)}

    @property
    def svg(self):
        """The chart drawn on the server from the figure, labelled by the panel's title and summary."""
        return chart_svg(self.figure_json, f"{self.chart_id}-title {self.chart_id}-summary")

    @property
    def legend(self):
        return legend_html(self.figure_json)

    @property
    def breaks(self):
        """(period, row labels, note) for every break within the panel's years: once per break, naming
        every row it cuts (a series and its national comparison share one)."""
        found = {}
        for row in self.rows:
            if row.break_year:
                found.setdefault((row.break_year, row.break_note), []).append(row.label)
        return [
            (self.indicator.period_label(year), LanguageText.join("; ", labels), note) for (year, note), labels in found.items()
        ]

    @property
    def footnotes(self):
        """(period, row label, text) for every cell that has a footnote."""
        notes = []
        for row in self.rows:
            for label, cell in zip(self.period_labels, row.cells):
                if cell.footnote:
                    notes.append((label, row.label, cell.footnote))
        return notes


def default_selection(series_list):
    return {s.id for s in series_list[:MAX_DEFAULT_SERIES]}


def build_panel(indicator, series_list, values, *, selected=None, keep_hidden=False):
    """Table rows, trends and figure for one indicator.

    `values` are dicts as from indicators.selectors.values_by_indicator. Only the indicator's own area and the national comparison are
    drawn; other areas (municipalities) are in the downloads.
    `keep_hidden` puts unselected series in the figure as hidden traces, so that the
    indicator page can switch series in the browser without a reload.
    """
    selected = default_selection(series_list) if selected is None else set(selected)
    own, national = {}, {}
    for v in values:
        if v["area_id"] == indicator.area_id:
            own.setdefault(v["series_id"], {})[v["year"]] = v
        elif v["area__kind"] in Area.NATIONAL_KINDS:
            national.setdefault((v["series_id"], v["area_id"]), {})[v["year"]] = v
    years = sorted({v["year"] for by_year in (*own.values(), *national.values()) for v in by_year.values()})
    panel = Panel(indicator, years, [indicator.period_label(y) for y in years], keep_hidden=keep_hidden)

    labels = {s.id: series_label(s) for s in series_list}
    breaks = {s.id: (s.break_year, s.break_note) for s in series_list}
    for s in series_list:
        if s.id in own:
            panel.rows.append(
                _row(indicator, f"s{s.id}", labels[s.id], own[s.id], years, s.id in selected, breaks[s.id])
            )
    order = {series_id: i for i, series_id in enumerate(labels)}
    # A national value of a series the panel does not show (the start page shows
    # headlines only) has no row to be compared with.
    shown_national = [item for item in national.items() if item[0][0] in order]
    for (series_id, _area_id), by_year in sorted(shown_national, key=lambda item: order[item[0][0]]):
        area_name = next(iter(by_year.values()))["area__name"]
        # An area's name is the source's Swedish in every language (areas have no translation).
        area = LanguageText.of(area_name, "sv")
        first = len(series_list) == 1 or series_id == series_list[0].id
        label = area if first else LanguageText.join(", ", [area, labels[series_id]])
        # The comparison is of the same measure, so it breaks where the series does.
        row = _row(indicator, f"n{series_id}-{_area_id}", label, by_year, years, series_id in selected, breaks[series_id])
        row.national = True
        panel.rows.append(row)

    panel.summary = summary(indicator, panel)
    return panel


def _row(indicator, key, label, by_year, years, selected, series_break=(None, "")):
    cells = []
    for year in years:
        v = by_year.get(year)
        if v is None:
            cells.append(Cell())
            continue
        cells.append(
            Cell(
                text=indicator.format_value(v["value"]),
                missing="" if v["value"] is not None else MISSING_LABELS.get(v["missing_reason"], "Saknas"),
                footnote=v.get("footnote", ""),
            )
        )
    break_year, break_note = series_break
    numbers = [(y, v["value"]) for y, v in by_year.items()]
    found = trend(numbers, indicator.unit, indicator.direction, indicator.decimals, break_year=break_year)
    broken = crosses_break(numbers, break_year)
    if found:
        trend_text = found.text(indicator.period_label)
    elif broken:
        trend_text = gettext("ingen trend: tidsseriebrott före %(year)s") % {"year": indicator.period_label(break_year)}
    else:
        trend_text = gettext("för få värden för en trend")
    points = [by_year[y]["value"] if y in by_year else None for y in years]
    row = Row(key, label, cells, found, trend_text, selected=selected, points=points)
    if broken:
        row.break_year, row.break_note = break_year, break_note
        # The first of the panel's years from the break on: the table draws the break before it.
        first_after = next(y for y in years if y >= break_year)
        row.cells[years.index(first_after)].after_break = True
    return row


def _name_parts(label):
    """A label's parts as [text, language] with language None for the page's own: the figure needs no page."""
    page = page_language()
    return [[text, None if language == page else language] for text, language in label.parts]


def _wrap(text, width=34):
    """Plotly does not wrap legend entries: break long ones with <br> so they fit a phone."""
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + len(word) + 1 > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "<br>".join(lines)


def build_figure(indicator, panel, *, keep_hidden=False):
    """The plotly figure: one scatter trace per chosen series, gaps for missing values.

    Built with validation off: validating every attribute costs about 3 ms a figure,
    too much for a report page with dozens of charts (its cold render has a 150 ms
    budget). The attributes are this module's own constants, and the test suite
    validates the figure of every real panel with plotly's full validation.
    """
    traces = []
    break_at = set()  # category indexes with a break in a drawn series
    regional = national = 0
    for row in panel.rows:
        if not row.selected and not keep_hidden:
            continue
        if row.national:
            style = {
                "line": {"color": NATIONAL_STYLE["colour"], "dash": NATIONAL_STYLE["dash"], "width": 2},
                "marker": {"symbol": NATIONAL_STYLE["symbols"][national % 3], "size": 10},
            }
            national += 1
        else:
            style = {
                "line": {"color": COLOURS[regional % len(COLOURS)], "dash": DASHES[regional % len(DASHES)], "width": 2},
                "marker": {"symbol": SYMBOLS[regional % len(SYMBOLS)], "size": 9},
            }
            regional += 1
        y = [None if p is None else float(p) for p in row.points]
        trace = {
            "type": "scatter",
            "mode": "lines+markers",
            "uid": row.key,
            "name": _wrap(row.label),
            # A name not all in the page's language says which parts are in which, so that the legend drawn
            # from the figure (reports.svgchart) and the interactive one (static/js/charts.js) can mark them.
            **({"meta": {"name_parts": _name_parts(row.label)}} if not row.label.in_page_language else {}),
            "x": panel.period_labels,
            "y": y,
            "connectgaps": False,
            "visible": True if row.selected else False,
            **style,
        }
        cut = row.break_index(panel.years)
        if cut is None:
            traces.append(trace)
            continue
        # No line across a break: the years after it are a trace of their own, in the same
        # style and legend group, so the line stops at the marker and the legend names it once.
        before = [v if i < cut else None for i, v in enumerate(y)]
        after = [v if i >= cut else None for i, v in enumerate(y)]
        traces.append({**trace, "y": before, "legendgroup": row.key})
        traces.append({**trace, "uid": f"{row.key}-{row.break_year}", "y": after, "legendgroup": row.key, "showlegend": False})
        if trace["visible"]:
            break_at.add(cut)
    layout = {
        # No template: plotly.js's own look, and no 9 KB of plotly.py's default template per chart.
        "template": {},
        # No title inside the chart: the heading above it names the indicator, and a
        # title drawn by plotly does not wrap and is clipped on a narrow screen.
        "xaxis": {
            "type": "category",
            # Every period of the table, in order, even where the first series has a gap.
            "categoryorder": "array",
            "categoryarray": panel.period_labels,
            "title": {"text": gettext("Läsår") if indicator.period_kind == "school" else gettext("År")},
            "automargin": True,
        },
        "yaxis": {
            "title": {"text": str(AXIS_TITLE[indicator.unit])},
            "rangemode": "tozero",
            "automargin": True,
            **({"ticksuffix": PERCENT_SUFFIX} if indicator.unit == Unit.PERCENT else {}),
        },
        "showlegend": True,  # also for a single series: the legend names what is drawn
        # Above the plot, where it takes the lines it needs without covering the axis title.
        "legend": {"orientation": "h", "x": 0, "xanchor": "left", "y": 1.02, "yanchor": "bottom"},
        "margin": {"t": 20, "r": 10, "b": 40, "l": 50},
        "separators": separators(),  # Swedish, as swedish_number writes the tables
        "height": CHART_HEIGHT,
    }
    if break_at:
        # A dotted vertical line between the last year before a break and the first after it, labelled.
        layout["shapes"] = [
            {
                "type": "line", "xref": "x", "yref": "paper", "x0": i - 0.5, "x1": i - 0.5, "y0": 0, "y1": 1,
                "line": {"color": BREAK_COLOUR, "dash": "dot", "width": 2},
            }
            for i in sorted(break_at)
        ]
        layout["annotations"] = [
            {
                "xref": "x", "yref": "paper", "x": i - 0.5, "y": 1, "xanchor": "left", "yanchor": "top",
                "text": gettext(BREAK_LABEL), "showarrow": False,
            }
            for i in sorted(break_at)
        ]
    return go.Figure(data=traces, layout=layout, _validate=False)


def plotly_config(indicator):
    """plotly.js's options for the interactive chart (not part of a plotly figure)."""
    return {"displaylogo": False, "responsive": True, "toImageButtonOptions": {"filename": indicator.slug}}


def summary(indicator, panel):
    """One line next to the chart: the first series' latest figure and its trend."""
    rows = panel.series_rows or panel.rows
    if not rows:
        return LanguageText.of(gettext("Det finns inga publicerade värden för indikatorn ännu."))
    row = rows[0]
    latest = next(
        ((label, cell) for label, cell in reversed(list(zip(panel.period_labels, row.cells))) if cell.text),
        None,
    )
    if latest is None:
        return LanguageText.format(gettext("%(series)s: inga värden, bara uppgifter om varför värden saknas."),
                                   {"series": row.label})
    label, cell = latest
    if row.trend is None:
        return LanguageText.format(gettext("%(series)s %(period)s: %(value)s."),
                                   {"series": row.label, "period": label, "value": cell.text})
    return LanguageText.format(gettext("%(series)s %(period)s: %(value)s; %(trend)s."), {
        "series": row.label,
        "period": label,
        "value": cell.text,
        "trend": row.trend_text,
    })
