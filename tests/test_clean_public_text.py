"""Transcription markup never reaches a reader (issue 19).

The fixtures keep the source's word and the follow-up's correction side by side,
`personuppleringen [rättat: personuppklaringen]` (fixtures/README.md, rule 2). The public pages
and the API show only the corrected word, with an "Om texten" note on the page; the downloads
keep the verbatim text. A note bracketed as a whole is the follow-up's remark and is labelled
"Uppföljningens anmärkning:", as is a commitment's `note`.
"""

import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from actions.models import ActionPlan, Commitment, PlanGoal
from indicators.models import Indicator, Value
from reports.models import IndicatorAnalysis
from reports.templatetags.public_text import clean_text, note_text, paragraphs
from reports.text import corrected_text, follow_up_remark, split_corrections

pytestmark = pytest.mark.django_db

MARKUP = "[rättat:"
LABEL = "Uppföljningens anmärkning:"


def text_of(response):
    return re.sub(r"\s+", " ", response.content.decode())


def public_urls():
    """Every public page and every API answer of the real data."""
    urls = ["/", "/indikatorer/", "/planer/", "/planer/tackning/", "/lagesrapport/2024/", "/data/",
            "/api/v1/", "/api/v1/goals/", "/api/v1/indicators/", "/api/v1/openapi.json"]
    urls += [reverse("goal", args=[n]) for n in range(1, 9)]
    for indicator in Indicator.objects.order_by("code"):
        urls += [indicator.get_absolute_url(), reverse("api_indicator", args=[indicator.slug]),
                 reverse("api_indicator_values", args=[indicator.slug])]
    urls += [reverse("plan", args=[plan.slug]) for plan in ActionPlan.objects.order_by("slug")]
    urls += [reverse("commitment", args=[c.plan.slug, c.number]) for c in Commitment.objects.select_related("plan")]
    return urls


def corrections_in(*texts):
    return [pair for text in texts for pair in split_corrections(text)[1]]


def test_it_never_shows_correction_markup_on_public_pages(client):
    urls = public_urls()
    assert len(urls) > 300
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert MARKUP not in response.content.decode(), url
    # …and every corrected word is there instead, with a note naming the source's word.
    analyses = dict(IndicatorAnalysis.objects.filter(edition__year=2024).values_list("indicator_id", "text"))
    marked = [i for i in Indicator.objects.all() if MARKUP in i.description + analyses.get(i.id, "")]
    assert len(marked) >= 10
    for indicator in marked:
        html = text_of(client.get(indicator.get_absolute_url()))
        for was, now in corrections_in(indicator.description, analyses.get(indicator.id, "")):
            assert now in html, (indicator.code, now)
            assert f"”{was}” → ”{now}”" in html, (indicator.code, was)
        assert "Om texten: stavningen har rättats av uppföljningen" in html


def test_it_shows_the_corrected_report_text_with_a_note_after_it(client):
    html = text_of(client.get("/lagesrapport/2024/"))
    summary = html[html.index('id="sammanfattning-h"'):]
    goal_5 = summary[summary.index("Mål 5:"):summary.index("Mål 6:")]
    assert "personuppklaringen hållits på en stabil nivå" in goal_5
    assert "upplagringen" not in goal_5.split("Om texten")[0]  # the source's word only in the note
    note = re.search(r'<p class="text-note">(Om texten: [^<]*)</p>', goal_5)
    assert note and "”upplagringen” → ”uppklaringen”" in note[1] and "”personuppleringen” → ”personuppklaringen”" in note[1]
    # The summary's footnote, output line by line, is corrected too.
    assert "Statistiken över personuppklarade brott" in goal_5


def test_it_keeps_verbatim_text_in_downloads(client):
    """The downloads carry the source's words and the correction as transcribed.

    The real data's corrections are in indicator descriptions, notes and report texts, which the
    long format does not carry; a value's footnote (the `note` column) is where one would appear.
    """
    verbatim = "Statistiken över personupplagrade [rättat: personuppklarade] brott omfattar brott."
    indicator = Indicator.objects.get(code="5.I1")
    value = Value.objects.published().filter(series__indicator=indicator, value__isnull=False).order_by("year").first()
    Value.objects.filter(pk=value.pk).update(footnote=verbatim)

    for url in ["/data/values.csv", reverse("indicator_csv", args=[indicator.slug])]:
        csv = b"".join(client.get(url).streaming_content).decode()
        assert verbatim in csv, url
    for url in ["/data/values.xlsx", reverse("indicator_xlsx", args=[indicator.slug])]:
        sheet = load_workbook(io.BytesIO(client.get(url).getvalue()), read_only=True).worksheets[0]
        assert verbatim in {cell for row in sheet.iter_rows(values_only=True) for cell in row}, url

    api = client.get(reverse("api_indicator_values", args=[indicator.slug])).json()
    assert "Statistiken över personuppklarade brott omfattar brott." in [v["note"] for v in api["values"]]
    assert MARKUP not in str(api)
    html = text_of(client.get(indicator.get_absolute_url()))
    assert "personuppklarade brott omfattar brott." in html and MARKUP not in html


def test_it_corrects_the_source_s_words_and_nothing_else():
    assert split_corrections("För misshandel är personuppleringen [rättat: personuppklaringen] stabil.") == (
        "För misshandel är personuppklaringen stabil.", [("personuppleringen", "personuppklaringen")]
    )
    # A word the source split in two is replaced whole; the capital stays as the correction has it.
    assert corrected_text("Under mätperioden har personuppläringens procenten [rättat: personuppklaringsprocenten] legat") == (
        "Under mätperioden har personuppklaringsprocenten legat"
    )
    assert corrected_text("Personuppläringen [rättat: Personuppklaringen] nådde") == "Personuppklaringen nådde"
    assert corrected_text("(personupplagade [rättat: personuppklarade]) brott") == "(personuppklarade) brott"
    # The same correction twice is named once in the note.
    assert split_corrections("a x [rättat: y] b x [rättat: y]")[1] == [("x", "y")]
    assert corrected_text("Inga rättelser […] här.") == "Inga rättelser […] här."


def test_it_puts_the_note_after_the_block_and_inline_in_a_line():
    html = paragraphs("Ett personupplagat [rättat: personuppklarat] brott.\n\nAndra stycket.")
    assert html.endswith(
        '<p class="text-note">Om texten: stavningen har rättats av uppföljningen: ”personupplagat” → ”personuppklarat”.</p>'
    )
    assert "<p>Ett personuppklarat brott.</p>" in html and MARKUP not in html
    inline = clean_text("<b> personupplagat [rättat: personuppklarat]")
    assert inline.startswith("&lt;b&gt; personuppklarat <span class=\"text-note\">Om texten:")
    assert clean_text("Utan rättelse.") == "Utan rättelse."


def test_it_tells_a_remark_from_the_source_s_words():
    assert follow_up_remark("[Fotnot 6: ”Socialstyrelsens Öppna jämförelser.”]") == "Fotnot 6: ”Socialstyrelsens Öppna jämförelser.”"
    assert follow_up_remark("[…]") is None  # an elision, not a remark
    assert follow_up_remark("[…] Tre.") is None
    assert follow_up_remark("[a] b [c]") is None  # begins and ends with brackets, but not one pair
    # A correction inside a remark: the remark is still one, and is shown corrected.
    remark = "[I Lägesrapport 2024 följs indikatorn som: ”… personuppläring [rättat: personuppklaring] per år”.]"
    assert follow_up_remark(remark)
    html = note_text(remark)
    assert html.startswith(f'<span class="follow-up"><strong class="follow-up-label">{LABEL}</strong> I Lägesrapport 2024')
    assert "personuppklaring per år" in html and "”personuppläring” → ”personuppklaring”" in html and MARKUP not in html
    assert note_text("Källans egen mening.") == "Källans egen mening."
    block = paragraphs("Källans ord.\n\n[Rapporten anger inte vem som tagit fram uppgiften.]\n\n[…] Mer.")
    assert f'<p class="note follow-up"><strong class="follow-up-label">{LABEL}</strong> Lägesrapporten anger inte' in block
    assert "<p>[…] Mer.</p>" in block


def test_it_labels_follow_up_remarks(client):
    # An indicator's bracketed note, on its page and under its goal; the source's notes unlabelled.
    page = text_of(client.get(reverse("indicator", args=["stodsamtal-med-bistandsbeslut"])))
    assert f"{LABEL}</strong> Fotnot 6: ”Socialstyrelsens Öppna jämförelser" in page
    assert "<p>I 89 procent av länets kommuner/stadsdelar som svarade" in page
    goal = text_of(client.get(reverse("goal", args=[2])))
    assert f"{LABEL}</strong> Fotnot 6:" in goal
    # A value's bracketed footnote keeps its reader wording, labelled.
    vnr = text_of(client.get(reverse("indicator", args=["kriminalvarden-behandlingsprogram-vnr"])))
    assert f"{LABEL}</strong> Uppgift saknas för 2019 i källan." in vnr
    report = text_of(client.get("/lagesrapport/2024/"))
    assert f"{LABEL}</strong> Serierna utan fråga är raden ”Totalt” i Tabell 4." in report
    # Every bracketed note on the report page is labelled: none is left with its brackets.
    assert not re.search(r'<p class="note">\[', report)

    # A commitment's note is the follow-up's words wherever it is shown.
    c24 = Commitment.objects.get(plan__kind="regional", number="2.4")
    for url in [reverse("commitment", args=[c24.plan.slug, "2.4"]), reverse("goal", args=[2]), "/lagesrapport/2024/"]:
        html = text_of(client.get(url))
        assert f'<p class="note follow-up"><strong class="follow-up-label">{LABEL}</strong> {c24.note[:60]}' in html, url
        assert "Anmärkning:" not in html.replace(LABEL, ""), url
    # …and so is a local plan's note on its goal or focus area; the source's "[…]" stays as it is.
    focus = PlanGoal.objects.exclude(note="").select_related("plan").first()
    plan = text_of(client.get(reverse("plan", args=[focus.plan.slug])))
    assert f"{LABEL}</strong> {focus.note[:50]}" in plan
    stockholm = text_of(client.get(reverse("plan", args=["stockholms-stad-program-mot-vald-2021-2025"])))
    assert "”vuxna och barn” anges. […] I det fall" in stockholm
