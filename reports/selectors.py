"""Reads for the public pages: the start page, a goal, an indicator, a report edition.

Each page costs a constant number of queries however much data there is: the
indicators with their series and violence types are prefetched, and the values of
all the page's indicators come in one query (indicators.selectors.values_by_indicator)
and are grouped in Python.
"""

import re
from dataclasses import dataclass

from django.db.models import OuterRef, Prefetch, Q, Subquery
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from actions.models import ActionPlan, Commitment, StatusReport
from reports.plans import latest_public_reports, local_measures_for_goal
from reports.charts import build_panel
from indicators.models import Indicator, Series, Value
from indicators.selectors import series_label, values_by_indicator
from strategy.models import Goal, GoalItem, NationalGoal, Strategy

from .models import GoalSection, IndicatorAnalysis, ReportEdition
from .search import Haystack, query_words
from .text import corrected_text
from .status import (
    COMMITMENT_LABELS,
    TOO_LITTLE_GROUP,
    TREND_BY_SLUG,
    TREND_GROUPS,
    commitment_status,
    goal_status,
    status_year,
    headline_series,
    indicator_trend,
    trend_status,
)

OTHER_TYPES = gettext_lazy("Övergripande, utan särskild våldstyp")


def indicators_for_goals(goal_ids):
    """Indicators shown under the goals (report_goal or goal), with series and violence types.

    Indicators come before development indicators, as in the strategy's Bilaga 1.
    """
    indicators = (
        Indicator.objects.filter(Q(report_goal_id__in=goal_ids) | Q(report_goal__isnull=True, goal_id__in=goal_ids))
        .select_related("goal", "report_goal", "area", "responsible")
        .prefetch_related(Prefetch("series", queryset=Series.objects.order_by("order", "id")), "violence_types")
    )
    return sorted(indicators, key=lambda ind: (ind.kind != Indicator.Kind.INDICATOR, ind.position, ind.code))


def panels(indicators, values, analyses, captions=None):
    """One chart panel per indicator, with the edition's analysis of it and its caption (indicator id → text)."""
    shown = []
    for ind in indicators:
        panel = build_panel(ind, list(ind.series.all()), values.get(ind.id, []))
        panel.analysis = blocks(analyses.get(ind.id, ""))
        panel.caption = (captions or {}).get(ind.id, "")
        shown.append(panel)
    return shown


def blocks(text):
    """An analysis's paragraphs: blocks separated by blank lines."""
    return [block.strip() for block in (text or "").replace("\r\n", "\n").split("\n\n") if block.strip()]


def edition_analyses(edition):
    """(indicator id → the edition's analysis text, indicator id → its caption of the indicator's table or diagram)."""
    rows = IndicatorAnalysis.objects.filter(edition=edition).values_list("indicator_id", "text", "caption")
    analyses, captions = {}, {}
    for indicator_id, text, caption in rows:
        analyses[indicator_id] = text
        if caption:
            captions[indicator_id] = caption
    return analyses, captions


def latest_analyses(indicator_ids):
    """indicator id → (year, text) of the latest published edition's analysis, for the live pages."""
    edition = latest_published_edition()
    if edition is None:
        return {}
    rows = IndicatorAnalysis.objects.filter(edition=edition, indicator_id__in=indicator_ids).exclude(text="")
    return {indicator_id: (edition.year, text) for indicator_id, text in rows.values_list("indicator_id", "text")}


def worth_showing(panel):
    """A panel with values, or with an analysis the report gives instead of values."""
    return panel.has_data or bool(panel.analysis)


def by_violence_type(items):
    """[(heading, [panel, …]), …] in violence-type order; indicators without a type come first.

    An indicator the strategy ties to several violence types is shown once, under a
    heading naming them all, rather than repeated under each.
    """
    groups = {}
    for panel in items:
        panel.group_notes, panel.own_notes = [], None
        types = list(panel.indicator.violence_types.all())
        order = min((t.order for t in types), default=-1)
        if not types:
            heading = str(OTHER_TYPES)
        elif len(types) == 1:
            heading = types[0].name
        else:
            heading = _("Flera våldstyper: %(types)s") % {"types": ", ".join(t.name for t in types)}
            order += 0.5
        groups.setdefault((order, heading), []).append(panel)
    for group in groups.values():
        share_notes(group)
    return [(heading, group) for (_order, heading), group in sorted(groups.items(), key=lambda item: item[0])]


def share_notes(group):
    """A note that several indicators of a group carry (a survey's method, say) is shown once,
    before the group's first panel, instead of under each of them."""
    seen = {}
    for panel in group:
        for block in dict.fromkeys(panel.analysis):
            seen[block] = seen.get(block, 0) + 1
    shared = [block for block, count in seen.items() if count > 1]
    if not shared:
        return
    group[0].group_notes = shared
    for panel in group:
        panel.own_notes = [block for block in panel.analysis if block not in shared]


def regional_commitments(goal_ids, status_reports):
    """The regional plan's commitments under the goals, with the given status reports prefetched."""
    return list(
        Commitment.objects.filter(goal_id__in=goal_ids, plan__kind=ActionPlan.Kind.REGIONAL)
        .select_related("plan")
        .prefetch_related(
            "lead_organisations",
            Prefetch("status_reports", queryset=status_reports.select_related("organisation"), to_attr="public_reports"),
        )
        .order_by("goal__number", "number_major", "number_minor")
    )


def latest_published_edition():
    return ReportEdition.objects.published().order_by("-year").first()


# The start page glances at a few indicators per goal; the goal page has them all.
GLANCE_PER_GOAL = 4


def home_page():
    strategy = Strategy.objects.order_by("id").first()
    goals = list(Goal.objects.filter(strategy=strategy).order_by("number")) if strategy else []
    indicators = indicators_for_goals([g.id for g in goals])  # indicators before development indicators
    values = values_by_indicator([ind.id for ind in indicators])
    commitments = regional_commitments([g.id for g in goals], StatusReport.objects.published())
    glance = {g.id: [] for g in goals}
    for ind in indicators:
        if values.get(ind.id) and ind.status == Indicator.Status.ACTIVE:
            # Only the headline series: the first series when none is marked.
            headline = [s for s in ind.series.all() if s.is_headline] or list(ind.series.all())[:1]
            panel = build_panel(ind, headline, values[ind.id])
            if panel.series_rows:
                glance[ind.shown_goal.id].append(panel)
    year = status_year(commitments)  # one year for every goal's bar
    statuses = {
        g.id: goal_status(
            g,
            [ind for ind in indicators if ind.shown_goal.id == g.id and ind.status == Indicator.Status.ACTIVE],
            values,
            [c for c in commitments if c.goal_id == g.id],
            year,
        )
        for g in goals
    }
    return {
        "strategy": strategy,
        "goals": [
            (g, glance[g.id][:GLANCE_PER_GOAL], len(glance[g.id][GLANCE_PER_GOAL:]), statuses[g.id]) for g in goals
        ],
        "latest_edition": latest_published_edition(),
        # The national gender-equality sub-goal(s) the strategy places itself under (delmål 6).
        "national_goals": list(NationalGoal.objects.filter(goals__strategy=strategy).distinct().order_by("code"))
        if strategy
        else [],
    }


def goal_page(number):
    goal = get_object_or_404(
        # The same year as the start page's bars: the latest any regional commitment is reported
        # for, read with the goal (no extra query).
        Goal.objects.select_related("strategy").annotate(
            status_year=Subquery(
                StatusReport.objects.published()
                .filter(commitment__plan__kind=ActionPlan.Kind.REGIONAL)
                .order_by("-year")
                .values("year")[:1]
            ),
            report_intro=Subquery(
                GoalSection.objects.filter(goal=OuterRef("pk"), edition__in=ReportEdition.objects.published())
                .order_by("-edition__year")
                .values("intro")[:1]
            ),
        ),
        number=number,
    )
    items = list(goal.items.order_by("kind", "order"))
    indicators = indicators_for_goals([goal.id])
    values = values_by_indicator([ind.id for ind in indicators])
    analyses = latest_analyses([ind.id for ind in indicators])
    active = panels(
        [ind for ind in indicators if ind.status == Indicator.Status.ACTIVE],
        values,
        {indicator_id: text for indicator_id, (_year, text) in analyses.items()},
    )
    analysis_year = next((year for year, _text in analyses.values()), None)
    # The report's own words before the goal's indicators (goal 1: how the school survey is read) belong
    # to the goal, not to any one indicator: shown once, above the indicators the report writes about.
    # (read with the goal, from the latest published edition, as the analyses are.)
    report_intro = goal.report_intro if analysis_year else None
    commitments = regional_commitments([goal.id], StatusReport.objects.published().order_by("-year"))
    for c in commitments:
        c.status_key, _year = commitment_status(c.public_reports)
        c.status_label = COMMITMENT_LABELS[c.status_key]
    measures = [i for i in items if i.kind == GoalItem.MEASURE]
    national = [i for i in items if i.kind == GoalItem.NATIONAL_MEASURE]
    return {
        "goal": goal,
        "prerequisites": [i for i in items if i.kind == GoalItem.PREREQUISITE],
        "measures": measures,
        "national_goals": list(goal.national_goals.order_by("code")),
        "national_measures": national,
        # Delmål 6's suggestions are mostly the goal's own, word for word: printed once, with
        # only those the delmål words differently listed again.
        "national_own": [i for i in national if _same_text(i.text) not in {_same_text(m.text) for m in measures}],
        "groups": by_violence_type([p for p in active if worth_showing(p)]),
        "without_data": [p.indicator for p in active if not worth_showing(p)],
        "retired": [ind for ind in indicators if ind.status == Indicator.Status.RETIRED],
        "commitments": [(c, latest_public_reports(c)) for c in commitments],
        "status": goal_status(
            goal,
            [ind for ind in indicators if ind.status == Indicator.Status.ACTIVE],
            values,
            commitments,
            goal.status_year,
        ),
        "local_measures": local_measures_for_goal(goal),
        "analysis_year": analysis_year,
        "report_intro": report_intro,
    }


def _same_text(text):
    """A suggestion's words for comparing two lists: spacing and case do not make it another."""
    return " ".join(text.split()).casefold()


def indicator_page(slug):
    indicator = get_object_or_404(
        Indicator.objects.select_related("goal", "report_goal", "area", "responsible").prefetch_related(
            Prefetch("series", queryset=Series.objects.order_by("order", "id")), "violence_types"
        ),
        slug=slug,
    )
    year, text = latest_analyses([indicator.id]).get(indicator.id, (None, ""))
    return indicator, values_by_indicator([indicator.id])[indicator.id], {"year": year, "blocks": blocks(text)}


def report_page(edition, *, goal_numbers=None):
    """What the edition's main content shows, from today's data: a draft's preview, and what publishing freezes.

    `goal_numbers` limits the goals' parts (figures, charts, commitments) to those goals, the others listed
    by name only: the editor previews one part at a time, and drawing every goal's charts for it took most
    of its time."""
    goals = list(Goal.objects.filter(strategy_id=edition.strategy_id).select_related("strategy").order_by("number"))
    sections = {s.goal_id: s for s in GoalSection.objects.filter(edition=edition)}
    drawn = [g for g in goals if goal_numbers is None or g.number in goal_numbers]
    indicators = indicators_for_goals([g.id for g in drawn])
    analyses, captions = edition_analyses(edition)
    first_year = goals[0].strategy.first_report_year if goals else None
    # Today's approved data: a draft's preview, or the instant publishing freezes it (frozen_html).
    values = values_by_indicator([ind.id for ind in indicators], up_to_year=edition.year, from_year=first_year)
    commitments = regional_commitments([g.id for g in drawn], StatusReport.objects.published().filter(year=edition.year))
    reports = {c.id: c.public_reports for c in commitments}
    # The indicators the edition itself writes about (its own words or a numbered caption), in the
    # order its analyses were written (reports.seed: the printed report's order). An edition that
    # writes about none yet (a fresh draft) shows every indicator with figures instead.
    written = [
        indicator_id
        for indicator_id, text, caption in IndicatorAnalysis.objects.filter(edition=edition)
        .order_by("pk")
        .values_list("indicator_id", "text", "caption")
        if caption.strip() or EDITORIAL_REMARK.sub("", text).strip()
    ]
    rank = {indicator_id: position for position, indicator_id in enumerate(written)}
    per_goal = []
    for goal in goals:
        mine = [ind for ind in indicators if ind.shown_goal.id == goal.id]
        active = [ind for ind in mine if ind.status == Indicator.Status.ACTIVE]
        if rank:
            written_here = panels([i for i in active if i.id in rank], values, analyses, captions)
            shown = sorted(written_here, key=lambda p: rank[p.indicator.id])
            groups = in_report_order(shown)
        else:
            groups = by_violence_type([p for p in panels(active, values, analyses, captions) if worth_showing(p)])
        per_goal.append(
            {
                "goal": goal,
                "section": sections.get(goal.id),
                # Footnote ids of the goal's two texts: unique on the page (and in the PDF).
                "intro_id": f"intro-{goal.number}",
                "summary_id": f"summary-{goal.number}",
                "groups": groups,
                "retired": [ind for ind in mine if ind.status == Indicator.Status.RETIRED],
                "commitments": [(c, reports.get(c.id, [])) for c in commitments if c.goal_id == goal.id],
            }
        )
    return {"edition": edition, "goals": per_goal}


EDITORIAL_REMARK = re.compile(r"\[[^\]]*\]")


def in_report_order(items):
    """[(heading, [panel, …]), …] keeping the panels' order: a violence-type heading starts wherever
    the type changes, as in the printed report (goal 6 gives kontaktförbud before the children's cases)."""
    groups = []
    for panel in items:
        ((heading, _),) = by_violence_type([panel])
        if groups and groups[-1][0] == heading:
            groups[-1][1].append(panel)
        else:
            groups.append((heading, [panel]))
    for _heading, group in groups:
        share_notes(group)
    return groups


def published_editions():
    """The archive: every published edition, newest first."""
    return list(
        ReportEdition.objects.published().select_related("pdf").defer("pdf__content", "frozen_html", "snapshot").order_by("-year")
    )


def changed_since_publication(edition):
    """Figures of a published edition that a later approved value has corrected: [(indicator, period, frozen, now)]."""
    if not edition.snapshot:
        return []
    frozen = {row["id"]: row for row in edition.frozen_values}
    now = (
        Value.objects.published()
        .filter(pk__in=list(frozen))
        .select_related("series__indicator", "area")
        .order_by("series__indicator__code", "series__order", "year")
    )
    changed = []
    for value in now:
        row = frozen[value.id]
        if value.value is not None and (value.value, value.missing_reason) != (row["value"], row["missing_reason"]):
            indicator = value.series.indicator
            changed.append(
                {
                    "indicator": indicator,
                    "series": series_label(value.series),
                    "period": indicator.period_label(value.year),
                    "frozen": indicator.format_value(row["value"]) if row["value"] is not None else "–",
                    "now": indicator.format_value(value.value),
                }
            )
    return changed


SUMMARY_GOAL_ANCHOR = re.compile(r'id="sammanfattning-mal-(\d+)"')


def report_opening(body):
    """The report's main content split after its title page, for the page to open it with a way to
    its summary, followed by its contents list (the body's own, right after the title page).

    The body is a frozen edition's HTML (or a draft's, rendered now) and is not changed: the page prints
    it verbatim in two pieces. Its summary stays where the printed report has it, last; the opening
    links to it, to each goal's part of it where the body has anchors for them (pages frozen before
    those anchors link the summary as a whole).
    """
    title_page, end, rest = body.partition("</header>")
    if not end:
        title_page, rest = "", body
    return {
        "title_page": title_page + end,
        "after_title_page": rest,
        "summary_goals": [int(number) for number in SUMMARY_GOAL_ANCHOR.findall(rest)],
    }


def published_report_page(edition):
    """A published edition's page: its frozen content, its rättelser and what has changed since."""
    newer = ReportEdition.objects.published().filter(year__gt=edition.year).order_by("-year").first()
    return {
        "edition": edition,
        **report_opening(edition.frozen_html),
        "corrections": list(edition.corrections.order_by("corrected_on", "id")),
        "changed_values": changed_since_publication(edition),
        "newer_edition": newer,
    }


@dataclass
class IndexRow:
    indicator: object
    latest: str  # the headline series' latest figure ("70"), or "" without a number
    latest_period: str
    trend_text: str
    trend_key: str


def _latest(indicator, values):
    series = headline_series(indicator)
    numbers = [
        v
        for v in values
        if series is not None and v["series_id"] == series.id and v["area_id"] == indicator.area_id and v["value"] is not None
    ]
    if not numbers:
        return "", ""
    last = max(numbers, key=lambda v: v["year"])
    return indicator.format_value(last["value"]), indicator.period_label(last["year"])


def _matches(indicator, words):
    """Whether every query word (reports.search.query_words) is found in the indicator's texts."""
    responsible = indicator.responsible
    return Haystack(
        indicator.code,
        indicator.title,
        # Both spellings: the source's and the follow-up's correction (reports.text).
        indicator.description,
        corrected_text(indicator.description),
        indicator.theme,
        indicator.source,
        # Both names, so "Polismyndigheten" and "Polisen" find the same indicators.
        responsible.name if responsible else "",
        responsible.display_name if responsible else "",
        " ".join(t.name for t in indicator.violence_types.all()),
    ).matches(words)


def indicator_index(params):
    """Every indicator and development indicator with its latest value and trend, filtered.

    `params` is the query string (mal, valdstyp, typ, kalla, ansvarig, utveckling, q).
    The filters and the search run in Python on rows read in a fixed number of queries,
    so the page costs the same however many indicators and values there are.
    """
    strategy = Strategy.objects.order_by("id").first()
    goals = list(Goal.objects.filter(strategy=strategy).order_by("number")) if strategy else []
    indicators = sorted(
        indicators_for_goals([g.id for g in goals]),
        key=lambda ind: (ind.shown_goal.number, ind.kind != Indicator.Kind.INDICATOR, ind.position, ind.code),
    )
    values = values_by_indicator([ind.id for ind in indicators])
    rows = []
    for ind in indicators:
        found = indicator_trend(ind, values.get(ind.id, []))
        latest, period = _latest(ind, values.get(ind.id, []))
        rows.append(
            IndexRow(
                ind,
                latest,
                period,
                found.text(ind.period_label) if found else _("för få värden för en trend"),
                trend_status(found),
            )
        )

    violence_types = sorted({t for ind in indicators for t in ind.violence_types.all()}, key=lambda t: (t.order, t.name))
    organisations = sorted({ind.responsible for ind in indicators if ind.responsible}, key=lambda o: o.display_name)
    sources = sorted({ind.source for ind in indicators if ind.source})
    chosen = {
        "mal": next((g for g in goals if str(g.number) == params.get("mal", "")), None),
        "valdstyp": next((t for t in violence_types if t.slug == params.get("valdstyp", "")), None),
        "typ": params.get("typ", "") if params.get("typ", "") in dict(Indicator.Kind.choices) else "",
        "kalla": params.get("kalla", "") if params.get("kalla", "") in sources else "",
        "ansvarig": next((o for o in organisations if o.slug == params.get("ansvarig", "")), None),
        "utveckling": params.get("utveckling", "") if params.get("utveckling", "") in TREND_BY_SLUG else "",
    }
    query = " ".join(params.get("q", "").split())[:200]
    # Casefolded, stemmed and without diacritics: "kontaktforbud" finds "kontaktförbud".
    words = query_words(query)

    def keep(row):
        ind = row.indicator
        return (
            (chosen["mal"] is None or ind.shown_goal.id == chosen["mal"].id)
            and (chosen["valdstyp"] is None or chosen["valdstyp"] in ind.violence_types.all())
            and (not chosen["typ"] or ind.kind == chosen["typ"])
            and (not chosen["kalla"] or ind.source == chosen["kalla"])
            and (chosen["ansvarig"] is None or ind.responsible_id == chosen["ansvarig"].id)
            # As the goal summaries count: active indicators only.
            and (
                not chosen["utveckling"]
                or (ind.status == Indicator.Status.ACTIVE and row.trend_key == TREND_BY_SLUG[chosen["utveckling"]])
            )
            and (not words or _matches(ind, words))
        )

    shown = [row for row in rows if keep(row)]
    return {
        "rows": shown,
        "total": len(rows),
        "goals": goals,
        "violence_types": violence_types,
        "organisations": organisations,
        "sources": sources,
        "kinds": Indicator.Kind.choices,
        "trend_choices": [(slug, many) for _key, slug, _one, many in [*TREND_GROUPS, TOO_LITTLE_GROUP]],
        "chosen": chosen,
        "query": query,
        "filtered": any(chosen.values()) or bool(words),
    }
