"""The focus indicator stands out at least 3:1 against every background it can appear on
(WCAG 2.1 1.4.11), computed from the stylesheet itself (issue 23)."""

import re
from pathlib import Path

from django.conf import settings

CSS = Path(settings.BASE_DIR, "static", "css", "site.css")
HEX = r"#[0-9a-fA-F]{3}(?:[0-9a-fA-F]{3})?\b"


def rules(css):
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    return [(sel.strip(), body) for sel, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css)]


def variables(css):
    return {name: value.strip() for name, value in re.findall(r"(--[\w-]+)\s*:\s*([^;}]+)", css)}


def resolve(value, names):
    return re.sub(r"var\((--[\w-]+)\)", lambda m: names[m.group(1)], value)


def rgb(hex_colour):
    h = hex_colour.lstrip("#")
    if len(h) == 3:
        h = "".join(c * 2 for c in h)
    return [int(h[i : i + 2], 16) / 255 for i in (0, 2, 4)]


def luminance(hex_colour):
    def channel(c):
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb(hex_colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b):
    la, lb = sorted([luminance(a), luminance(b)], reverse=True)
    return (la + 0.05) / (lb + 0.05)


def declaration(body, prop):
    found = re.search(rf"(?:^|;)\s*{prop}\s*:\s*([^;]+)", body)
    return found.group(1) if found else None


def focus_indicators(css):
    """(selector, outline colour, halo colour or None) of every :focus rule that draws an outline."""
    names = variables(css)
    found = []
    for selector, body in rules(css):
        if ":focus" not in selector:
            continue
        outline = declaration(body, "outline")
        if outline is None:
            continue
        outline_colour = re.search(HEX, resolve(outline, names)).group(0)
        shadow = declaration(body, "box-shadow")
        halo = re.search(HEX, resolve(shadow, names)).group(0) if shadow else None
        found.append((selector, outline_colour, halo))
    return found


def backgrounds(css):
    """Every background colour the stylesheet paints, and the page's own white."""
    names = variables(css)
    colours = {"#fff"}
    for _selector, body in rules(css):
        for prop in ("background", "background-color"):
            value = declaration(body, prop)
            if value:
                colours.update(re.findall(HEX, resolve(value, names)))
    return colours


def test_it_computes_contrast_as_wcag_does():
    assert round(contrast("#ffbf47", "#ffffff"), 1) == 1.6  # the old outline on white
    assert round(contrast("#000", "#fff"), 0) == 21


def test_it_gives_every_focus_indicator_3_to_1_against_every_background():
    css = CSS.read_text(encoding="utf-8")
    indicators = focus_indicators(css)
    assert indicators, "no :focus rule with an outline"
    page = {"#fff", variables(css)["--bg-soft"]}
    surfaces = backgrounds(css)
    assert len(surfaces) > 5
    for selector, outline, halo in indicators:
        for background in page:
            # On the page itself the outline alone does it.
            assert contrast(outline, background) >= 3, (selector, outline, background)
        for background in surfaces:
            best = max(contrast(outline, background), contrast(halo, background) if halo else 0)
            assert best >= 3, (selector, outline, halo, background)
        if halo:
            # The halo and the outline are told apart too: the ring reads as one indicator.
            assert contrast(outline, halo) >= 3, (selector, outline, halo)
