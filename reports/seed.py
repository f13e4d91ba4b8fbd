"""Load the published report editions (fixtures/reports.yaml)."""

from django.utils import timezone

from strategy.models import Goal, Strategy
from strategy.seed import upsert

from .models import GoalSection, ReportEdition
from .services import report_edition_publish
from .tasks import edition_pdf_queue


def text(value):
    if isinstance(value, list):
        return "\n".join(str(v).strip() for v in value)
    return (value or "").strip()


def load(data, strategy_slug="strategi-2020-2026"):
    strategy = Strategy.objects.get(slug=strategy_slug)
    editions = []
    for e in data.get("editions") or []:
        edition, _ = upsert(
            ReportEdition,
            {"year": e["year"]},
            {
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
                "state": ReportEdition.State.PUBLISHED,
            },
        )
        if edition.published_at is None:
            ReportEdition.objects.filter(pk=edition.pk).update(published_at=timezone.now())
            edition.refresh_from_db()
        for s in e.get("sections") or []:
            upsert(
                GoalSection,
                {"edition": edition, "goal": Goal.objects.get(strategy=strategy, number=s["goal"])},
                {
                    "intro": text(s.get("intro")),
                    "summary": text(s.get("summary")),
                    "summary_footnotes": text(s.get("summary_footnotes")),
                    "development_areas": text(s.get("development_areas")),
                },
            )
        if edition.is_published and not edition.snapshot:
            # Freeze the figures the loaded edition was published with (the values are loaded first).
            edition = report_edition_publish(edition=edition, user=None)
        elif edition.is_published:
            # Published by an earlier load: its PDF is queued again unless stored (the worker makes it).
            edition_pdf_queue(edition)
        editions.append(edition)
    return editions
