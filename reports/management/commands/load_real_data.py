"""Load the real data from fixtures/*.yaml. Idempotent: a second run changes nothing."""

from pathlib import Path

import yaml
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import translation

import actions.seed
import indicators.seed
import reports.content_translations
import reports.seed
import strategy.seed

FIXTURES = Path(settings.BASE_DIR) / "fixtures"


def read(name):
    path = FIXTURES / name
    return yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else None


@transaction.atomic
@translation.override(settings.LANGUAGE_CODE)  # the fixtures' texts are the Swedish columns
def load_all():
    counts = {}
    data = read("strategy.yaml")
    if data is None:
        return counts
    strategy.seed.load(data)
    indicator_files = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(FIXTURES.glob("indicators*.yaml"))]
    counts["indikatorer"] = indicators.seed.load(indicator_files)
    plans = [d for d in [read("actions.yaml"), read("local_plans.yaml")] if d]
    counts["handlingsplaner"] = len(actions.seed.load(plans))
    reports_data = read("reports.yaml")
    counts["lägesrapporter"] = len(reports.seed.load(reports_data, indicator_files)) if reports_data else 0
    # The follow-up's translations (fixtures/translations/<language>.yaml), kept apart from the
    # source's words that the fidelity tests check.
    for path in sorted((FIXTURES / "translations").glob("*.yaml")):
        reports.content_translations.load(yaml.safe_load(path.read_text(encoding="utf-8")))
    return counts


class Command(BaseCommand):
    help = "Läser in strategin, indikatorerna, värdena, handlingsplanen och lägesrapporten från fixtures/."

    def handle(self, *args, **options):
        counts = load_all()
        summary = ", ".join(f"{n} {k}" for k, n in counts.items()) or "inga fixturer hittades"
        self.stdout.write(f"Inläst: {summary}.")
