"""The checks before a report edition is published: what is missing, and where it is fixed.

Each check lists its findings with a link to the page that fixes them. A check
marked `blocking` stops publishing (a report in Länsstyrelsen's series needs its
ISBN and report number); the others are for the coordinator to weigh — a year
may well be published with an authority's report missing, but not by surprise.
"""

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import gettext, ngettext

from actions.models import ActionPlan, Commitment, StatusReport
from indicators.models import Indicator, Value
from reporting.models import State

from .models import GoalSection, IndicatorAnalysis, ReportEdition
from .selectors import indicators_for_goals


@dataclass
class Finding:
    text: str
    url: str = ""


@dataclass
class Check:
    key: str
    title: str
    fix: str  # what to do, in the active language
    blocking: bool = False
    findings: list = field(default_factory=list)

    @property
    def passed(self):
        return not self.findings


def _missing_status_reports(edition):
    """Organisation → commitments of the regional plan it leads with no approved status report for the year."""
    commitments = (
        Commitment.objects.filter(plan__kind=ActionPlan.Kind.REGIONAL, plan__strategy_id=edition.strategy_id)
        .prefetch_related("lead_organisations")
        .order_by("goal__number", "number_major", "number_minor")
    )
    reported = set(
        StatusReport.objects.published()
        .filter(year=edition.year, commitment__in=commitments)
        .values_list("commitment_id", "organisation_id")
    )
    missing = {}
    for commitment in commitments:
        for organisation in commitment.lead_organisations.all():
            if (commitment.id, organisation.id) not in reported:
                missing.setdefault(organisation, []).append(commitment.number)
    matrix = reverse("workspace:matrix", args=[edition.year])
    return [
        Finding(
            ngettext(
                "%(organisation)s: %(count)d åtagande utan godkänd statusrapport (%(numbers)s)",
                "%(organisation)s: %(count)d åtaganden utan godkänd statusrapport (%(numbers)s)",
                len(numbers),
            )
            % {"organisation": organisation.display_name, "count": len(numbers), "numbers": ", ".join(numbers)},
            matrix,
        )
        for organisation, numbers in sorted(missing.items(), key=lambda item: item[0].display_name)
    ]


def _report_indicators(edition):
    goals = list(edition.strategy.goals.order_by("number").values_list("id", flat=True))
    return [ind for ind in indicators_for_goals(goals) if ind.status == Indicator.Status.ACTIVE]


def _indicators_without_value(edition, indicators):
    with_value = set(
        Value.objects.published()
        .filter(year=edition.year, series__indicator__in=indicators)
        .values_list("series__indicator_id", flat=True)
    )
    return [
        Finding(f"{ind.code} {ind.title}", reverse("admin:indicators_indicator_values", args=[ind.pk]))
        for ind in indicators
        if ind.id not in with_value and ind.series.all()
    ]


# One whole message per state and kind (reports, values): a language words each sentence as a whole,
# and a plural's placeholders must be the singular's (msgfmt --check-format refuses them otherwise).
IN_REVIEW_TEXTS = {
    State.SUBMITTED: (
        lambda n: ngettext("%(count)d statusrapport är inskickad", "%(count)d statusrapporter är inskickade", n),
        lambda n: ngettext("%(count)d värde är inskickad", "%(count)d värden är inskickade", n),
    ),
    State.RETURNED: (
        lambda n: ngettext("%(count)d statusrapport är återskickad", "%(count)d statusrapporter är återskickade", n),
        lambda n: ngettext("%(count)d värde är återskickad", "%(count)d värden är återskickade", n),
    ),
}


def _in_review(edition):
    desk = reverse("workspace:desk")
    findings = []
    for state, (reports_text, values_text) in IN_REVIEW_TEXTS.items():
        reports = StatusReport.objects.filter(year=edition.year, state=state).count()
        values = Value.objects.filter(year=edition.year, state=state).count()
        if reports:
            findings.append(Finding(reports_text(reports) % {"count": reports}, desk))
        if values:
            findings.append(Finding(values_text(values) % {"count": values}, desk))
    return findings


def _empty_texts(edition, indicators):
    def part(number):
        return reverse("report_edition_part", args=[edition.year, f"mal-{number}"])

    sections = {s.goal_id: s for s in GoalSection.objects.filter(edition=edition)}
    findings = []
    for goal in edition.strategy.goals.order_by("number"):
        section = sections.get(goal.id)
        if section is None or not (section.intro.strip() or section.summary.strip()):
            findings.append(
                Finding(gettext("Mål %(number)s: avsnittet saknar text") % {"number": goal.number}, part(goal.number))
            )
    analyses = dict(IndicatorAnalysis.objects.filter(edition=edition).values_list("indicator_id", "text"))
    for ind in indicators:
        if not (analyses.get(ind.id) or "").strip():
            findings.append(Finding(gettext("%(code)s: ingen analys") % {"code": ind.code}, part(ind.shown_goal.number)))
    edition_part = reverse("report_edition_part", args=[edition.year, "texter"])
    for name in ("how_produced", "how_to_use", "results_intro", "summary_intro"):
        if not getattr(edition, name).strip():
            label = ReportEdition._meta.get_field(name).verbose_name.capitalize()
            findings.append(Finding(gettext("%(label)s saknas") % {"label": label}, edition_part))
    return findings


def _unchanged_analyses(edition, indicators):
    previous = ReportEdition.objects.filter(year__lt=edition.year).order_by("-year").first()
    if previous is None:
        return []
    before = dict(IndicatorAnalysis.objects.filter(edition=previous).values_list("indicator_id", "text"))
    now = dict(IndicatorAnalysis.objects.filter(edition=edition).values_list("indicator_id", "text"))
    return [
        Finding(
            gettext("%(code)s: samma analys som i Lägesrapport %(year)s") % {"code": ind.code, "year": previous.year},
            reverse("report_edition_part", args=[edition.year, f"mal-{ind.shown_goal.number}"]),
        )
        for ind in indicators
        if now.get(ind.id, "").strip() and now.get(ind.id) == before.get(ind.id)
    ]


def _identifiers(edition):
    colophon = reverse("report_edition_part", args=[edition.year, "uppgifter"])
    return [
        Finding(gettext("%(label)s saknas") % {"label": label}, colophon)
        for label, present in (("ISBN", edition.isbn), (gettext("Rapportnummer"), edition.report_number))
        if not present.strip()
    ]


def edition_checks(edition):
    """Every check of the edition, in the order the checks page lists them."""
    indicators = _report_indicators(edition)
    return [
        Check("identifiers", gettext("ISBN och rapportnummer"), gettext("Fyll i rapportens uppgifter."), blocking=True,
              findings=_identifiers(edition)),
        Check("status_reports", gettext("Statusrapporter för %(year)s som saknas") % {"year": edition.year},
              gettext("Påminn organisationen eller godkänn dess rapport."),
              findings=_missing_status_reports(edition)),
        Check("values", gettext("Indikatorer utan värde för %(year)s") % {"year": edition.year},
              gettext("Fyll i värdet från den officiella statistiken."),
              findings=_indicators_without_value(edition, indicators)),
        Check("review", gettext("Poster som inte är färdiggranskade"), gettext("Granska dem: bara godkända poster kommer med."),
              findings=_in_review(edition)),
        Check("texts", gettext("Tomma avsnitt och analyser"), gettext("Skriv texten i rapportredigeraren."),
              findings=_empty_texts(edition, indicators)),
        Check("unchanged", gettext("Analyser som inte har skrivits om"), gettext("Skriv årets analys."),
              findings=_unchanged_analyses(edition, indicators)),
    ]


def blocking_findings(checks):
    return [finding for check in checks if check.blocking for finding in check.findings]
