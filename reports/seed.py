"""Load the published report editions (fixtures/reports.yaml) and their analyses.

An edition the fixtures describe is created as a draft, given its texts, goal
sections and analyses (the indicators' `notes`: the latest report's commentary
under each indicator), and published through the same service as in the editor. Once
published it is never written again: loading the data a second time leaves it,
and its page, exactly as they were.
"""

from indicators.models import Indicator
from strategy.models import Goal, Strategy

from .models import GoalSection, IndicatorAnalysis, ReportEdition
from .services import report_edition_freeze_missing, report_edition_publish
from .tasks import edition_pdf_queue


def text(value):
    if isinstance(value, list):
        return "\n".join(str(v).strip() for v in value)
    return (value or "").strip()


def analysis_text(notes):
    """An indicator's `notes` in the fixtures as the edition's analysis: one paragraph per note."""
    if isinstance(notes, str):
        notes = [notes]
    return "\n\n".join(n.strip() for n in notes or [] if n.strip())


def load(data, indicator_files=(), strategy_slug="strategi-2020-2026"):
    strategy = Strategy.objects.get(slug=strategy_slug)
    notes = {
        item["code"]: analysis_text(item.get("notes"))
        for file in indicator_files
        for item in file.get("indicators") or []
        if item.get("notes")
    }
    # The indicators' notes are transcribed from the latest printed report: its analyses.
    latest_year = max((e["year"] for e in data.get("editions") or []), default=None)
    editions = []
    for e in data.get("editions") or []:
        edition = ReportEdition.objects.filter(year=e["year"]).first()
        if edition is not None and edition.is_published:
            if not edition.frozen_html:
                edition = report_edition_freeze_missing(edition=edition)
            # Its PDF is queued again unless stored (the worker makes it; a stored one never changes).
            edition_pdf_queue(edition)
            editions.append(edition)
            continue
        edition = edition or ReportEdition(year=e["year"])
        for name, value in {
            "strategy": strategy,
            "title": e["title"],
            "report_number": str(e.get("report_number") or ""),
            "isbn": e.get("isbn") or "",
            "publication_year": e.get("publication_year"),
            "author": e.get("author") or "",
            "cover_credit": e.get("cover_credit") or "",
            "foreword": text(e.get("foreword")),
            "foreword_signature": text(e.get("foreword_signature")),
            "how_produced": text(e.get("how_produced")),
            "how_produced_footnotes": text(e.get("how_produced_footnotes")),
            "how_to_use": text(e.get("how_to_use")),
            "results_intro": text(e.get("results_intro")),
            "summary_intro": text(e.get("summary_intro")),
        }.items():
            setattr(edition, name, value)
        edition.save()
        for s in e.get("sections") or []:
            GoalSection.objects.update_or_create(
                edition=edition,
                goal=Goal.objects.get(strategy=strategy, number=s["goal"]),
                defaults={
                    "intro": text(s.get("intro")),
                    "summary": text(s.get("summary")),
                    "summary_footnotes": text(s.get("summary_footnotes")),
                    "development_areas": text(s.get("development_areas")),
                },
            )
        captions = {c["indicator"]: text(c["caption"]) for c in e.get("captions") or []}
        texts = notes if e["year"] == latest_year else {}
        # The analyses are written in the report's order (each section's `indicators`), then the rest:
        # the report page presents them in the order they were written.
        order = [code for s in e.get("sections") or [] for code in s.get("indicators") or []]
        rank = {code: position for position, code in enumerate(order)}
        wanted = Indicator.objects.filter(code__in=set(texts) | set(captions) | set(order))
        for indicator in sorted(wanted, key=lambda ind: (rank.get(ind.code, len(rank)), ind.code)):
            IndicatorAnalysis.objects.update_or_create(
                edition=edition,
                indicator=indicator,
                defaults={"text": texts.get(indicator.code, ""), "caption": captions.get(indicator.code, "")},
            )
        if e.get("state", "published") == "published":
            # Published as the printed report was: the figures loaded before it are frozen with it.
            edition = report_edition_publish(edition=edition, user=None)
        editions.append(edition)
    return editions
