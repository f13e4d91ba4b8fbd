"""The reporter's workspace: the open round, its deadline, what the organisation must report, focused forms.

Every write goes through the write policy: the status report form is the review
admin's VersionedForm, values go through the values grid's service, and
submitting through the models' submit services.
"""

from decimal import Decimal

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext, ngettext

from actions.models import Commitment, StatusReport
from indicators.grid import ValuesGridForm, area_choices, cell_text, values_grid_submit
from indicators.models import Indicator, Value
from reporting import policy, workflow
from reporting.admin_review import SUBMIT_BUTTON
from reporting.models import EDITABLE_BY_REPORTER, ReportingRound, State
from reporting.numbers import whole_number
from reporting.scoping import organisation_for, role_required, sees_everything
from reporting.spreadsheet import csv_writer
from strategy.models import Area

from .forms import StatusReportForm
from .overview import overview as year_overview
from .tasks import STATE_LABELS, organisation_progress, year_indicators


def login(request, **kwargs):
    """The admin's login; whoever did not ask for a particular page lands on the workspace.

    A reporter on the organisation's items, a coordinator on the year overview.
    """
    response = admin.site.login(request, **kwargs)
    asked_for = request.POST.get("next") or request.GET.get("next") or ""
    if (
        request.method == "POST"
        and request.user.is_authenticated
        and asked_for in ("", reverse("admin:index"))
        and (sees_everything(request.user) or organisation_for(request.user) is not None)
    ):
        return redirect("workspace:home")
    return response


def _organisation(request):
    """The reporter's organisation; 404 for anyone without one (another organisation's item does not exist)."""
    organisation = organisation_for(request.user)
    if organisation is None or sees_everything(request.user):
        raise Http404(gettext("Finns inte."))
    return organisation


def current_round():
    """The open round (the latest, if several), else the latest round."""
    return ReportingRound.objects.open().order_by("-year").first() or ReportingRound.objects.order_by("-year").first()


@role_required
def home(request):
    if sees_everything(request.user):
        return year_overview(request)
    organisation = organisation_for(request.user)
    if organisation is None:
        raise PermissionDenied(gettext("Ditt konto hör inte till någon organisation."))
    chosen = request.GET.get("ar", "")
    reporting_round = (
        ReportingRound.objects.filter(year=whole_number(chosen)).first() if whole_number(chosen, max_digits=4) else None
    ) or current_round()
    progress = organisation_progress(organisation=organisation, year=reporting_round.year) if reporting_round else None
    drafts = sum(1 for task in progress.tasks if task.state in EDITABLE_BY_REPORTER) if progress else 0
    # Two rounds may be open at once (last year's not yet closed when the next opens): each is one click away.
    other_open = ReportingRound.objects.open().exclude(pk=reporting_round.pk) if reporting_round else []
    return render(
        request,
        "workspace/home.html",
        {
            "organisation": organisation,
            "reporting_round": reporting_round,
            "progress": progress,
            "drafts": drafts,
            "other_open": list(other_open.order_by("year")) if reporting_round else [],
        },
    )


@role_required
def commitment(request, year, pk):
    organisation = _organisation(request)
    reporting_round = get_object_or_404(ReportingRound, year=year)
    subject = get_object_or_404(
        Commitment.objects.reported_by(organisation).select_related("plan", "goal", "plan_goal"), pk=pk
    )
    report = StatusReport.objects.filter(commitment=subject, organisation=organisation, year=year).first()
    report = report or StatusReport(commitment=subject, organisation=organisation, year=year)
    checker = policy.Policy(request.user)
    item = policy.item_of(report)
    if report.pk:
        decision = checker.decide(policy.Write(policy.Action.CHANGE, before=item, after=item))
    else:
        decision = checker.decide(policy.Write(policy.Action.CREATE, after=item))
    editable = decision.allowed
    # A municipality's local plan: its committees may report on a measure too. Their reports of the
    # year are shown, and one can be the starting point of the municipality's own text.
    committee_reports = []
    if subject.plan.is_local:
        committee_reports = list(
            StatusReport.objects.filter(commitment=subject, year=year, organisation__parent=organisation)
            .select_related("organisation")
            .order_by("organisation__name")
        )
    start_from = next((r for r in committee_reports if str(r.pk) == request.GET.get("utga_fran", "")), None)
    form = StatusReportForm(instance=report, user=request.user)
    if start_from is not None and editable and not report.text:
        form = StatusReportForm(
            instance=report, user=request.user, initial={"category": start_from.category, "text": start_from.text}
        )
    refused = None
    if request.method == "POST" and not editable:
        # A page opened before the report was submitted, approved or its round closed (a second tab, a
        # colleague): nothing is saved, but the page says why and shows the text typed, so it is not lost.
        refused = {"reason": decision.reason, "text": request.POST.get("text", "")}
    elif request.method == "POST":
        submitting = SUBMIT_BUTTON in request.POST
        with transaction.atomic():
            form = StatusReportForm(request.POST, instance=report, user=request.user)
            if form.is_valid():
                try:
                    workflow.save_content(form.instance, user=request.user, state=form.resulting_state,
                                          and_submit=submitting)
                except (ValidationError, PermissionDenied) as exc:
                    transaction.set_rollback(True)
                    form.add_error(None, workflow.refusal_message(exc))
        if form.is_valid():  # an error from the save itself was added to the form above
            label = subject.label
            if submitting:
                messages.success(request, gettext("%(label)s är inskickat för granskning.") % {"label": label})
                return redirect("workspace:home")
            messages.success(
                request,
                gettext("%(label)s: utkastet är sparat. Det skickas inte in förrän du väljer Skicka in.") % {"label": label},
            )
            return redirect("workspace:commitment", year, pk)
    previous = (
        StatusReport.objects.filter(commitment=subject, year__lt=year, state=State.APPROVED)
        .select_related("organisation")
        .order_by("-year")
    )
    previous = next((r for r in previous if r.organisation_id == organisation.pk), None) or previous.first()
    return render(
        request,
        "workspace/commitment.html",
        {
            "organisation": organisation,
            "reporting_round": reporting_round,
            "commitment": subject,
            "label": subject.label,
            "report": report if report.pk else None,
            "state_label": STATE_LABELS[report.state] if report.pk else STATE_LABELS["missing"],
            "previous": previous,
            "form": form,
            "editable": editable,
            "submit_button": SUBMIT_BUTTON,
            "returned": report.pk and report.state == State.RETURNED,
            "committee_reports": committee_reports,
            "start_from": start_from,
            "refused": refused,
        },
        status=403 if refused else 200,
    )


@role_required
def indicator(request, year, pk):
    organisation = _organisation(request)
    reporting_round = get_object_or_404(ReportingRound, year=year)
    subject = get_object_or_404(Indicator.objects.filter(responsible=organisation), pk=pk)
    areas = area_choices(subject)
    area = get_object_or_404(Area, slug=request.GET["omrade"]) if request.GET.get("omrade") else subject.area
    url = reverse("workspace:indicator", args=[year, pk]) + f"?omrade={area.slug}"
    if request.method == "POST":
        submitting = SUBMIT_BUTTON in request.POST
        with transaction.atomic():
            form, result = values_grid_submit(
                data=request.POST, indicator=subject, area=area, user=request.user, notes=True, note_years=[year]
            )
            submitted = []
            if result is not None and submitting:
                to_submit = list(
                    Value.objects.filter(
                        series__indicator=subject, area=area, year=year, state__in=EDITABLE_BY_REPORTER
                    ).select_related("series__indicator")
                )
                try:
                    submitted = workflow.submit_all(items=to_submit, user=request.user)
                except (ValidationError, PermissionDenied) as exc:
                    transaction.set_rollback(True)
                    result = None
                    form.add_error(None, gettext("Inget sparades. %(reason)s") % {"reason": workflow.refusal_message(exc)})
        if result is not None:
            saved = ngettext(
                "%(created)d nya, %(updated)d ändrade och %(count)d borttaget värde",
                "%(created)d nya, %(updated)d ändrade och %(count)d borttagna värden",
                result["deleted"],
            ) % {"created": result["created"], "updated": result["updated"], "count": result["deleted"]}
            words = {"code": subject.code, "saved": saved, "year": year, "count": len(submitted)}
            if submitting and submitted:
                messages.success(
                    request,
                    ngettext(
                        "%(code)s: sparat (%(saved)s); %(count)d värde för %(year)s inskickat för granskning.",
                        "%(code)s: sparat (%(saved)s); %(count)d värden för %(year)s inskickade för granskning.",
                        len(submitted),
                    ) % words,
                )
                return redirect("workspace:home")
            if submitting:
                messages.warning(
                    request, gettext("%(code)s: sparat (%(saved)s). Det fanns inga värden för %(year)s att skicka in.") % words
                )
            else:
                messages.success(
                    request, gettext("%(code)s: utkast sparat (%(saved)s). Skicka in när värdena är klara.") % words
                )
            return redirect(url)
    else:
        form = ValuesGridForm(indicator=subject, area=area, user=request.user, notes=True, note_years=[year])
    rows = []
    for series, cells in form.rows():
        row = []
        for year_, cell in zip(form.years, cells):
            existing = form.existing.get((series.pk, year_))
            writable = form.policy.decide(form.write(existing, year_, (Decimal(0), ""))).allowed
            row.append({"field": cell, "year": year_, "readonly": not writable})
        current = form.existing.get((series.pk, year))
        rows.append(
            {
                "series": series,
                "footnote": form[form.footnote_name(series, year)] if year in form.years else None,
                "note_fields": [form[form.footnote_name(series, year)], form[form.source_name(series, year)]]
                if year in form.years
                else [],
                "notes_writable": next((c["readonly"] is False for c in row if c["year"] == year), False),
                "cells": row,
                "state": STATE_LABELS[current.state] if current else STATE_LABELS["missing"],
                "comment": current.reviewer_comment if current and current.state == State.RETURNED else "",
            }
        )
    return render(
        request,
        "workspace/indicator.html",
        {
            "organisation": organisation,
            "reporting_round": reporting_round,
            "indicator": subject,
            "area": area,
            "areas": areas,
            "form": form,
            "rows": rows,
            "years": [(y, subject.period_label(y)) for y in form.years],
            "submit_button": SUBMIT_BUTTON,
            "any_writable": any(c["readonly"] is False for r in rows for c in r["cells"]),
        },
    )


def _drafts(organisation, year):
    """The organisation's drafts and returned items of the year: (status reports, values)."""
    editable = list(EDITABLE_BY_REPORTER)
    reports = (
        StatusReport.objects.filter(organisation=organisation, year=year, state__in=editable)
        .select_related("commitment__plan", "organisation")
        .order_by("commitment__number_major", "commitment__number_minor")
    )
    values = (
        Value.objects.filter(series__indicator__responsible=organisation, year=year, state__in=editable)
        .select_related("series__indicator", "area")
        .order_by("series__indicator__code", "series__order", "area__name")
    )
    return list(reports), list(values)


@role_required
def submit_all(request, year):
    """"Skicka in alla utkast": the organisation's drafts listed first, then submitted together, all or nothing."""
    organisation = _organisation(request)
    reporting_round = get_object_or_404(ReportingRound, year=year)
    reports, values = _drafts(organisation, year)
    checker = policy.Policy(request.user)
    ready = [i for i in reports + values if checker.may(policy.Action.SUBMIT, policy.item_of(i))]
    not_ready = [i for i in reports + values if i not in ready]
    if request.method == "POST" and request.POST.get("confirm") == "1" and not ready:
        messages.info(request, gettext("Det finns inget utkast som kan skickas in nu."))
        return redirect("workspace:submit_all", year)
    if request.method == "POST" and request.POST.get("confirm") == "1":
        try:
            workflow.submit_all(items=ready, user=request.user)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, gettext("Inget skickades in. %(reason)s") % {"reason": workflow.refusal_message(exc)})
        else:
            count = len(ready)
            messages.success(
                request,
                ngettext("%(count)d post är inskickad för granskning.", "%(count)d poster är inskickade för granskning.", count)
                % {"count": count},
            )
            return redirect("workspace:home")
    return render(
        request,
        "workspace/submit_all.html",
        {
            "organisation": organisation,
            "reporting_round": reporting_round,
            "ready": ready,
            "not_ready": not_ready,
        },
    )


TEMPLATE_COLUMNS = ["indicator_code", "indicator", "year", "area", "breakdown", "value", "missing_reason", "note", "source"]


@role_required
def import_template(request, year):
    """The organisation's own indicators for the year (`tasks.year_indicators`) as a CSV to fill in and import (the long format).

    One row per series in the indicator's own area, with today's figure where there is one; the
    columns are those the value import reads (`indicator` is there for the reader and is ignored).
    """
    organisation = _organisation(request)
    get_object_or_404(ReportingRound, year=year)
    indicators = (
        # The year's indicators as the workspace lists them (the organisation has a reporter: the one asking).
        year_indicators(year).filter(responsible=organisation)
        .select_related("area")
        .prefetch_related("series")
        .order_by("goal__number", "kind", "position", "code")
    )
    stored = {
        (v.series_id, v.area_id): v
        for v in Value.objects.filter(series__indicator__in=indicators, year=year).only(
            "series_id", "area_id", "value", "missing_reason", "footnote", "source_ref"
        )
    }
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="varden-{organisation.slug}-{year}.csv"'
    writer = csv_writer(response)
    writer.writerow(TEMPLATE_COLUMNS)
    for indicator in indicators:
        for series in sorted(indicator.series.all(), key=lambda s: (s.order, s.pk)):
            value = stored.get((series.pk, indicator.area_id))
            # As the grid writes a cell (6,95; x for a missing value), which the import reads back exactly.
            text = cell_text(value) if value is not None else ""
            missing = value is not None and value.value is None
            writer.writerow(
                [
                    indicator.code, indicator.title, year, indicator.area.name, series.key or "Totalt",  # sv-only: the import reads this breakdown key
                    "" if missing else text, text if missing else "",
                    value.footnote if value else "", value.source_ref if value else "",
                ]
            )
    return response
