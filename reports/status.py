"""Goal status at a glance: how a goal's indicators move and how its commitments stand.

Pure functions on objects the selectors have already read, so the start page and the
goal pages count the same way and cost no extra query per goal.

- An indicator is judged by its headline series (the first series when none is marked)
  in its own area, with indicators.trends: "i önskad riktning" only when the whole
  period and the latest change agree (Trend.status); one that has turned is counted
  on its own, never as moving the desired way.
- A commitment is judged by its approved status reports of the latest year reported;
  when several organisations report differently, the least advanced status counts.
  A goal's bar counts one year for every commitment (status_year: the latest year any
  has an approved report) and names it, so a bar never mixes two years' statuses.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from actions.models import StatusCategory
from indicators.trends import AGAINST, DESIRED, NO_DIRECTION, REVERSED, TOO_LITTLE, UNCHANGED, trend

# The trend groups in the order the page lists them: (key, URL value, words after a count of one,
# words after any other count). The words are translated with a context per count, since Swedish
# often has one form where English has two ("1 är oförändrad", "1 is unchanged" / "3 are unchanged").
TREND_GROUPS = [
    (
        DESIRED,
        "onskad",
        pgettext_lazy("efter antalet 1", "utvecklas i önskad riktning"),
        pgettext_lazy("efter annat antal", "utvecklas i önskad riktning"),
    ),
    (
        AGAINST,
        "ej-onskad",
        pgettext_lazy("efter antalet 1", "utvecklas inte i önskad riktning"),
        pgettext_lazy("efter annat antal", "utvecklas inte i önskad riktning"),
    ),
    (
        REVERSED,
        "har-vant",
        pgettext_lazy("efter antalet 1", "har vänt: hela perioden och senaste förändringen går åt olika håll"),
        pgettext_lazy("efter annat antal", "har vänt: hela perioden och senaste förändringen går åt olika håll"),
    ),
    (
        UNCHANGED,
        "oforandrad",
        pgettext_lazy("efter antalet 1", "är oförändrad"),
        pgettext_lazy("efter annat antal", "är oförändrade"),
    ),
    (
        NO_DIRECTION,
        "utan-riktning",
        pgettext_lazy("efter antalet 1", "förändras men har ingen önskad riktning"),
        pgettext_lazy("efter annat antal", "förändras men har ingen önskad riktning"),
    ),
]
TOO_LITTLE_GROUP = (
    TOO_LITTLE,
    "for-lite-data",
    pgettext_lazy("efter antalet 1", "har för få värden för en trend (minst två år behövs)"),
    pgettext_lazy("efter annat antal", "har för få värden för en trend (minst två år behövs)"),
)
TREND_SLUGS = {key: slug for key, slug, *_words in [*TREND_GROUPS, TOO_LITTLE_GROUP]}
TREND_BY_SLUG = {slug: key for key, slug in TREND_SLUGS.items()}

NO_REPORT = "none"
# Least advanced first: a commitment with reports of different status counts as the first of them.
COMMITMENT_ORDER = [
    StatusCategory.NOT_FOLLOWED_UP,
    StatusCategory.UNSPECIFIED,
    StatusCategory.NOT_STARTED,
    StatusCategory.NOT_DONE,
    StatusCategory.ONGOING,
    StatusCategory.DONE,
]
# The page always names these four, and the others only when a commitment has them.
COMMITMENT_ALWAYS = [StatusCategory.DONE, StatusCategory.ONGOING, StatusCategory.NOT_STARTED, StatusCategory.NOT_FOLLOWED_UP]
COMMITMENT_LABELS = {**dict(StatusCategory.choices), NO_REPORT: _("Ingen godkänd rapport ännu")}
# Words after a count: (one, many).
COMMITMENT_WORDS = {
    StatusCategory.DONE: (pgettext_lazy("efter antalet 1", "genomfört"), pgettext_lazy("efter annat antal", "genomförda")),
    StatusCategory.ONGOING: (pgettext_lazy("efter antalet 1", "pågående"), pgettext_lazy("efter annat antal", "pågående")),
    StatusCategory.NOT_STARTED: (
        pgettext_lazy("efter antalet 1", "ej påbörjat"),
        pgettext_lazy("efter annat antal", "ej påbörjade"),
    ),
    StatusCategory.NOT_DONE: (
        pgettext_lazy("efter antalet 1", "ej genomfört under året"),
        pgettext_lazy("efter annat antal", "ej genomförda under året"),
    ),
    StatusCategory.NOT_FOLLOWED_UP: (
        pgettext_lazy("efter antalet 1", "ej uppföljt"),
        pgettext_lazy("efter annat antal", "ej uppföljda"),
    ),
    StatusCategory.UNSPECIFIED: (
        pgettext_lazy("efter antalet 1", "utan angiven status"),
        pgettext_lazy("efter annat antal", "utan angiven status"),
    ),
    NO_REPORT: (
        pgettext_lazy("efter antalet 1", "utan godkänd rapport"),
        pgettext_lazy("efter annat antal", "utan godkänd rapport"),
    ),
}
COMMITMENT_DISPLAY_ORDER = [
    StatusCategory.DONE,
    StatusCategory.ONGOING,
    StatusCategory.NOT_STARTED,
    StatusCategory.NOT_DONE,
    StatusCategory.NOT_FOLLOWED_UP,
    StatusCategory.UNSPECIFIED,
    NO_REPORT,
]


def headline_series(indicator):
    """The headline series, or the first series when none is marked (needs the series prefetch)."""
    series = list(indicator.series.all())
    return next((s for s in series if s.is_headline), series[0] if series else None)


def indicator_trend(indicator, values):
    """The trend of the indicator's headline series in its own area, or None with too few values."""
    series = headline_series(indicator)
    if series is None:
        return None
    points = [
        (v["year"], v["value"]) for v in values if v["series_id"] == series.id and v["area_id"] == indicator.area_id
    ]
    return trend(points, indicator.unit, indicator.direction, indicator.decimals, break_year=series.break_year)


def trend_status(found):
    return TOO_LITTLE if found is None else found.status


def status_year(commitments):
    """The one year a goal bar counts: the latest year with an approved report (needs public_reports)."""
    return max((r.year for c in commitments for r in c.public_reports), default=None)


def commitment_status(reports, year=None):
    """(category, year) of a commitment from its approved status reports (of `year`, when given,
    else of its latest year); (NO_REPORT, None) without any."""
    if year is not None:
        reports = [r for r in reports if r.year == year]
    if not reports:
        return NO_REPORT, None
    latest = max(r.year for r in reports)
    categories = {r.category for r in reports if r.year == latest}
    rank = {c: i for i, c in enumerate(COMMITMENT_ORDER)}
    return min(categories, key=lambda c: rank.get(c, -1)), latest


@dataclass
class Group:
    key: str
    slug: str
    one: str  # the words after a count of one
    many: str  # … after any other count
    items: list = field(default_factory=list)

    @property
    def count(self):
        return len(self.items)

    @property
    def label(self):
        return self.one if self.count == 1 else self.many


@dataclass
class GoalStatus:
    goal: object
    trends: list  # [Group] of indicators with a trend
    too_little: Group
    commitments: list  # [Group] of commitments by status
    year: int | None = None  # the year of status reports the commitment counts are of

    @property
    def with_trend(self):
        return sum(g.count for g in self.trends)

    @property
    def indicator_count(self):
        return self.with_trend + self.too_little.count

    @property
    def commitment_count(self):
        return sum(g.count for g in self.commitments)

    @property
    def shown_trends(self):
        return [g for g in self.trends if g.count or g.key in (DESIRED, AGAINST, UNCHANGED)]

    @property
    def shown_commitments(self):
        return [g for g in self.commitments if g.count or g.key in COMMITMENT_ALWAYS]


def goal_status(goal, indicators, values, commitments, year=None):
    """Counts for one goal.

    `indicators`: the goal's active indicators (with series prefetched); `values`:
    indicator id → value dicts; `commitments`: the goal's commitments with their approved
    status reports in `public_reports`; `year`: the year of reports counted (by default
    the latest year among these commitments).
    """
    if year is None:
        year = status_year(commitments)
    trends = {key: Group(key, slug, one, many) for key, slug, one, many in TREND_GROUPS}
    too_little = Group(*TOO_LITTLE_GROUP)
    for indicator in indicators:
        status = trend_status(indicator_trend(indicator, values.get(indicator.id, [])))
        (too_little if status == TOO_LITTLE else trends[status]).items.append(indicator)
    by_status = {key: Group(key, key, *COMMITMENT_WORDS[key]) for key in COMMITMENT_DISPLAY_ORDER}
    for commitment in commitments:
        category, _year = commitment_status(commitment.public_reports, year)
        by_status.get(category, by_status[StatusCategory.UNSPECIFIED]).items.append(commitment)
    return GoalStatus(goal, list(trends.values()), too_little, list(by_status.values()), year)
