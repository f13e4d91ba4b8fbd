"""Writes on report editions: creating, writing, publishing and correcting them.

Every write asks reports.policy first; the models refuse a published edition
as a last guard. Publishing renders the edition's main content once
(`frozen_html`): the published page is drawn from that alone.
"""

import hashlib
import json

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext

from actions.models import ActionPlan, StatusReport
from indicators.models import Value
from indicators.selectors import PANEL_VALUE_FIELDS
from reporting.services import reporting_years_lock
from strategy.models import Strategy

from .checks import blocking_findings, edition_checks
from .models import REPORT_LANGUAGE, Correction, GoalSection, IndicatorAnalysis, ReportEdition
from .policy import check_edition_correction, check_edition_publish, check_edition_write
from .selectors import report_page
from .tasks import edition_pdf_queue

# A frozen value: what a chart and its table draw, and its place in the order they are drawn in.
FROZEN_VALUE_FIELDS = [f for f in PANEL_VALUE_FIELDS if f != "state"] + ["series__order"]

# The edition's own texts, in the report's order: what the editor shows and a new edition copies.
EDITION_TEXT_FIELDS = [
    "foreword",
    "foreword_signature",
    "how_produced",
    "how_produced_footnotes",
    "how_to_use",
    "results_intro",
    "summary_intro",
]
COLOPHON_FIELDS = ["title", "author", "report_number", "isbn", "publication_year", "cover_credit"]
SECTION_FIELDS = ["intro", "summary", "summary_footnotes", "development_areas"]
ANALYSIS_FIELDS = ["text", "caption"]


def texts_digest(obj, fields):
    """A short digest of `obj`'s texts in `fields` as stored (None: not written yet, every text empty).

    The editor's forms carry it from when the page was opened; a write compares it under the edition's
    lock, so a save from a page opened before someone else's save is refused rather than overwriting it.
    """
    values = {name: "" if obj is None else str(getattr(obj, name) or "") for name in sorted(fields)}
    return hashlib.sha256(json.dumps(values, sort_keys=True).encode()).hexdigest()[:32]


def _refuse_if_changed_since(obj, fields, opened):
    if opened and opened != texts_digest(obj, fields):
        raise ValidationError(
            gettext("Någon annan har sparat texten sedan du öppnade sidan. Inget sparades. Ladda om sidan och gör om dina ändringar."),
            code="stale",
        )


def edition_snapshot(edition):
    """Everything the edition shows of the reviewed data, as it is when it is published.

    Per value: the fields a chart and its table draw (number, missing reason,
    series, area, year, footnote); per status report of the regional plan:
    organisation, category and text. Only what the report draws (own area and the
    nation, its years): the snapshot stays small however many municipal values
    there are. Kept as data beside the frozen page, so that later corrections of a
    figure can be listed on the edition.
    """
    values = (
        Value.objects.published()
        .on_pages()
        .filter(year__lte=edition.year, year__gte=edition.strategy.first_report_year)
        .order_by("series__order", "series_id", "area_id", "year")
        .values(*FROZEN_VALUE_FIELDS)
    )
    reports = (
        StatusReport.objects.published()
        .filter(year=edition.year, commitment__plan__kind=ActionPlan.Kind.REGIONAL)
        .select_related("organisation")
        .order_by("commitment_id", "organisation__name")
    )
    return {
        "values": [{**row, "value": None if row["value"] is None else str(row["value"])} for row in values],
        "status_reports": [
            {
                "id": report.pk,
                "commitment_id": report.commitment_id,
                "organisation": report.organisation.display_name,
                "year": report.year,
                "category": report.category,
                "category_label": report.get_category_display(),
                "text": report.text,
            }
            for report in reports
        ],
    }


def render_edition_body(edition):
    """The edition's main content (title page to summary) as HTML, from today's data and texts.

    Always in Swedish: a published report is the Swedish document it is, whichever language
    the coordinator who publishes it works in (the English site introduces it in English).
    """
    with translation.override(REPORT_LANGUAGE):
        return render_to_string("public/_report_body.html", report_page(edition))


@transaction.atomic
def report_edition_create(*, year, user, strategy=None):
    """A new draft edition for `year`, copied from the latest edition before it.

    The coordinator edits last year's texts rather than retyping them. The
    identifiers of the publication (ISBN, report number) are the new report's own
    and start empty; the checks before publishing ask for them.
    """
    previous = ReportEdition.objects.filter(year__lt=year).order_by("-year").first()
    check_edition_write(user=user, edition=None)
    if ReportEdition.objects.filter(year=year).exists():
        raise ValidationError(gettext("Lägesrapport %(year)s finns redan.") % {"year": year})
    strategy = strategy or (previous.strategy if previous else None)
    if strategy is None:
        strategy = Strategy.objects.order_by("id").first()
    # The years a round may have: a report on any other year has nothing to follow up (and a
    # mistyped year would leave a draft that cannot be removed and that the next one copies).
    if strategy is not None and strategy.report_year_error(year):
        raise ValidationError(strategy.report_year_error(year))
    texts = {name: getattr(previous, name) for name in EDITION_TEXT_FIELDS} if previous else {}
    edition = ReportEdition(
        strategy=strategy,
        year=year,
        title=_next_title(previous, year),
        author=previous.author if previous else "",
        publication_year=year + 1,
        **texts,
    )
    edition._history_user = user
    edition.full_clean()
    edition.save()
    if previous is not None:
        GoalSection.objects.bulk_create(
            GoalSection(edition=edition, goal_id=s.goal_id, **{f: getattr(s, f) for f in SECTION_FIELDS})
            for s in previous.sections.all()
        )
        IndicatorAnalysis.objects.bulk_create(
            IndicatorAnalysis(edition=edition, indicator_id=a.indicator_id, text=a.text, caption=a.caption)
            # In the order they were written: the report page presents them in that order.
            for a in previous.analyses.order_by("pk")
        )
    return edition


def _next_title(previous, year):
    fresh = f"Lägesrapport {year}"  # sv-only: the Swedish document's title (content, not interface)
    if previous is None:
        return fresh
    return previous.title.replace(str(previous.year), str(year)) if str(previous.year) in previous.title else fresh


@transaction.atomic
def report_edition_update(*, edition, user, opened=None, **fields):
    """Change the edition's colophon or own texts (a draft only).

    `opened`: the texts_digest of these fields when the form was opened; a save over a change made since is refused.
    """
    edition = ReportEdition.objects.select_for_update().get(pk=edition.pk)
    check_edition_write(user=user, edition=edition)
    _refuse_if_changed_since(edition, fields, opened)
    for name, value in fields.items():
        if name not in EDITION_TEXT_FIELDS + COLOPHON_FIELDS:
            raise ValueError(f"{name} is not a text of the edition")
        setattr(edition, name, value)
    edition._history_user = user
    edition.full_clean()
    edition.save()
    return edition


@transaction.atomic
def goal_section_write(*, edition, goal, user, opened=None, **fields):
    """Write a goal's section of a draft edition, creating it the first time (`opened` as report_edition_update's)."""
    edition = ReportEdition.objects.select_for_update().get(pk=edition.pk)
    check_edition_write(user=user, edition=edition)
    stored = GoalSection.objects.filter(edition=edition, goal=goal).first()
    _refuse_if_changed_since(stored, fields, opened)
    section = stored or GoalSection(edition=edition, goal=goal)
    for name, value in fields.items():
        if name not in SECTION_FIELDS:
            raise ValueError(f"{name} is not a text of a goal section")
        setattr(section, name, value)
    section._history_user = user
    section.full_clean()
    section.save()
    return section


@transaction.atomic
def indicator_analysis_write(*, edition, indicator, user, text, caption=None, opened=None):
    """Write the edition's analysis of one indicator (a draft only; `opened` over text and caption, as above)."""
    edition = ReportEdition.objects.select_for_update().get(pk=edition.pk)
    check_edition_write(user=user, edition=edition)
    stored = IndicatorAnalysis.objects.filter(edition=edition, indicator=indicator).first()
    _refuse_if_changed_since(stored, ANALYSIS_FIELDS, opened)
    analysis = stored or IndicatorAnalysis(edition=edition, indicator=indicator)
    analysis.text = text
    if caption is not None:
        analysis.caption = caption
    analysis._history_user = user
    analysis.full_clean()
    analysis.save()
    return analysis


@transaction.atomic
def report_edition_publish(*, edition, user):
    """Publish an edition: freeze what it shows and lock its year.

    The page's main content is rendered once here and kept (`frozen_html`); so are
    the figures and status reports it shows (`snapshot`). Publishing a published
    edition is refused. `user` is recorded in the edition's history; None is the
    loader of the real data, which keeps the printed report's own dates.
    """
    edition = ReportEdition.objects.select_for_update(of=("self",)).select_related("strategy").get(pk=edition.pk)
    check_edition_publish(user=user, edition=edition)
    blocking = blocking_findings(edition_checks(edition))
    if blocking:
        raise ValidationError(
            gettext("%(edition)s kan inte publiceras: %(findings)s.")
            % {"edition": edition, "findings": "; ".join(finding.text for finding in blocking)}
        )
    edition.snapshot = edition_snapshot(edition)
    edition.frozen_html = render_edition_body(edition)
    edition.state = ReportEdition.State.PUBLISHED
    edition.published_at = timezone.now()
    if user is not None and edition.publication_date is None:
        edition.publication_date = timezone.localdate()
    edition._history_user = user
    edition._publishing = True
    edition.save()
    # The edition's year is locked for everyone, whether or not it had a round. Earlier years'
    # figures stay correctable through review (official statistics are revised); the
    # published page keeps what it showed and lists any later correction.
    reporting_years_lock(years=[edition.year], reason=f"Lägesrapport {edition.year} är publicerad.")  # sv-only: stored reason
    edition_pdf_queue(edition)
    return edition


@transaction.atomic
def report_edition_freeze_missing(*, edition):
    """Render the frozen page of an edition published before pages were frozen (once, on first view)."""
    edition = ReportEdition.objects.select_for_update(of=("self",)).select_related("strategy").get(pk=edition.pk)
    if edition.is_published and not edition.frozen_html:
        edition.frozen_html = render_edition_body(edition)
        edition._publishing = True
        edition.save(update_fields=["frozen_html"])
    return edition


@transaction.atomic
def report_edition_correct(*, edition, user, text, corrected_on=None):
    """Add a dated rättelse to a published edition: shown on it, the page otherwise unchanged.

    The same text on the same day is added once: a form sent twice (a double click) would otherwise
    leave two rättelser that can never be removed. The edition's row lock orders two such sends."""
    edition = ReportEdition.objects.select_for_update(of=("self",)).get(pk=edition.pk)
    check_edition_correction(user=user, edition=edition)
    correction = Correction(
        edition=edition,
        corrected_on=corrected_on or timezone.localdate(),
        text=(text or "").strip(),
        created_by=user,
    )
    if Correction.objects.filter(edition=edition, corrected_on=correction.corrected_on, text=correction.text).exists():
        raise ValidationError(gettext("Rättelsen finns redan i lägesrapporten; den läggs inte till igen."), code="duplicate")
    correction.full_clean()
    correction.save()
    return correction
