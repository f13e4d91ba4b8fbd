"""The coordinator's review desk: submitted items across organisations, each next to last year's approved one.

Approving and returning go through the models' services (and so the write
policy); a return needs a comment; bulk approval first lists what it approves.
"""

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from actions import services as action_services
from actions.models import StatusReport
from indicators import services as indicator_services
from indicators.models import Value
from indicators.units import UNIT_SUFFIX, Unit
from reporting.admin_history import swedish_number
from reporting.models import State
from reporting.workflow import posted_version, refusal_message
from reporting.scoping import role_required, sees_everything
from strategy.models import Organisation

KINDS = {"statusrapport": StatusReport, "varde": Value}
# A change larger than this from the previous approved figure is worth a second look:
# in percentage points, in scale steps (0–10), or else as a share of the previous figure.
ABSOLUTE_JUMP = {Unit.PERCENT: Decimal("10"), Unit.MEAN_SCORE: Decimal("1")}
RELATIVE_JUMP = Decimal("0.5")


def _require_coordinator(request):
    if not sees_everything(request.user):
        raise Http404("Finns inte.")


def implausible_jump(unit, previous, current):
    """A Swedish warning when `current` is further from `previous` than the unit plausibly moves in a year."""
    if previous is None or current is None:
        return ""
    change = current - previous
    if unit in ABSOLUTE_JUMP:
        if abs(change) > ABSOLUTE_JUMP[unit]:
            points = "procentenheter" if unit == Unit.PERCENT else "steg på skalan"
            return f"Stor förändring: {_signed(change)} {points} sedan förra godkända värdet. Kontrollera värdet."
        return ""
    if previous == 0:
        return "Förra godkända värdet var 0. Kontrollera värdet." if current != 0 else ""
    if abs(change) / abs(previous) > RELATIVE_JUMP:
        return f"Stor förändring: {_signed(change / previous * 100, decimals=0)} % sedan förra godkända värdet. Kontrollera värdet."
    return ""


def _signed(number, decimals=None):
    """+12, −2,5, +60: a change, in Swedish notation."""
    number = Decimal(number)
    if decimals is not None:
        number = number.quantize(Decimal(1).scaleb(-decimals))
    return ("+" if number >= 0 else "−") + swedish_number(abs(number))


def _entries(organisation=None):
    reports = StatusReport.objects.filter(state=State.SUBMITTED).select_related("commitment__plan", "organisation")
    values = Value.objects.filter(state=State.SUBMITTED).select_related("series__indicator__responsible", "area")
    if organisation is not None:
        reports = reports.filter(organisation=organisation)
        values = values.filter(series__indicator__responsible=organisation)
    reports, values = list(reports), list(values)

    earlier_reports = {}
    for r in StatusReport.objects.filter(
        state=State.APPROVED, commitment__in={r.commitment_id for r in reports}, organisation__in={r.organisation_id for r in reports}
    ).order_by("year"):
        earlier_reports.setdefault((r.commitment_id, r.organisation_id), []).append(r)
    earlier_values = {}
    for v in Value.objects.filter(
        state=State.APPROVED, series__in={v.series_id for v in values}, area__in={v.area_id for v in values}
    ).order_by("year"):
        earlier_values.setdefault((v.series_id, v.area_id), []).append(v)

    entries = []
    for r in reports:
        previous = [p for p in earlier_reports.get((r.commitment_id, r.organisation_id), []) if p.year < r.year]
        entries.append({"kind": "statusrapport", "item": r, "organisation": r.organisation, "previous": previous[-1] if previous else None})
    for v in values:
        previous = [p for p in earlier_values.get((v.series_id, v.area_id), []) if p.year < v.year]
        previous = previous[-1] if previous else None
        indicator = v.series.indicator
        entries.append({
            "kind": "varde",
            "item": v,
            "organisation": indicator.responsible,
            "previous": previous,
            "shown": _shown(indicator, v),
            "previous_shown": _shown(indicator, previous) if previous else "",
            "warning": implausible_jump(indicator.unit, previous.value if previous else None, v.value),
        })
    for entry in entries:
        entry["key"] = f"{entry['kind']}-{entry['item'].pk}"
    entries.sort(key=lambda e: ((e["organisation"].name if e["organisation"] else ""), e["kind"], str(e["item"])))
    return entries


def _shown(indicator, value):
    """The figure as entered (not rounded to the indicator's published decimals), with its unit."""
    if value.value is None:
        return value.get_missing_reason_display()
    return swedish_number(value.value) + UNIT_SUFFIX[indicator.unit]


@role_required
def queue(request):
    _require_coordinator(request)
    organisation = None
    if request.GET.get("organisation"):
        organisation = get_object_or_404(Organisation, slug=request.GET["organisation"])
    entries = _entries(organisation)
    organisations = Organisation.objects.filter(
        pk__in=set(StatusReport.objects.filter(state=State.SUBMITTED).values_list("organisation_id", flat=True))
        | set(Value.objects.filter(state=State.SUBMITTED).values_list("series__indicator__responsible_id", flat=True))
    )
    return render(
        request,
        "workspace/desk.html",
        {"entries": entries, "organisation": organisation, "organisations": organisations},
    )


def _get(kind, pk):
    if kind not in KINDS:
        raise Http404("Finns inte.")
    return get_object_or_404(KINDS[kind], pk=pk)


@role_required
@require_POST
def transition(request, kind, pk, transition):
    _require_coordinator(request)
    obj = _get(kind, pk)
    # The version the desk showed: a transition on a report changed since is refused, not applied to it.
    shown = posted_version(request.POST)
    services = {
        ("statusrapport", "godkann"): lambda: action_services.status_report_approve(
            report=obj, user=request.user, expected_version=shown
        ),
        ("statusrapport", "returnera"): lambda: action_services.status_report_return(
            report=obj, user=request.user, comment=request.POST.get("comment", ""), expected_version=shown
        ),
        ("varde", "godkann"): lambda: indicator_services.value_approve(value=obj, user=request.user,
                                                                       expected_version=shown),
        ("varde", "returnera"): lambda: indicator_services.value_return(
            value=obj, user=request.user, comment=request.POST.get("comment", ""), expected_version=shown
        ),
    }
    if (kind, transition) not in services:
        raise Http404("Finns inte.")
    try:
        services[(kind, transition)]()
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, f"{obj}: {refusal_message(exc)}")
        return redirect(reverse("workspace:desk") + f"#{kind}-{pk}")
    done = "godkänd" if transition == "godkann" else "återskickad med kommentar"
    messages.success(request, f"{obj}: {done}.")
    return redirect("workspace:desk")


@role_required
@require_POST
def bulk_approve(request):
    """Approve the marked items, after a confirmation that lists them; all or nothing."""
    _require_coordinator(request)
    chosen = {"statusrapport": [], "varde": []}
    for key in request.POST.getlist("item"):
        kind, _, pk = key.partition("-")
        if kind in chosen and pk.isdigit():
            chosen[kind].append(int(pk))
    reports = list(StatusReport.objects.filter(pk__in=chosen["statusrapport"]).select_related("commitment", "organisation"))
    values = list(Value.objects.filter(pk__in=chosen["varde"]).select_related("series__indicator", "area"))
    if not reports and not values:
        messages.error(request, "Markera de poster som ska godkännas.")
        return redirect("workspace:desk")
    if request.POST.get("confirm") != "1":
        return render(request, "workspace/desk_confirm.html", {"reports": reports, "values": values, "count": len(reports) + len(values)})
    try:
        with transaction.atomic():
            done = action_services.status_reports_approve(reports=reports, user=request.user)
            done += indicator_services.values_approve(values=values, user=request.user)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, f"Inget godkändes. {refusal_message(exc)}")
    else:
        messages.success(request, f"{len(done)} poster godkända.")
    return redirect("workspace:desk")
