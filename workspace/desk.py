"""The coordinator's review desk for a whole round: submitted items beside the previous approved ones.

Grouped by organisation, then one table per indicator (its series' rows) and
the status reports; filtered by organisation, kind, state and year; every group
can be approved at once (its checkbox or button works without JavaScript: the
server expands a group to its items, and the confirmation lists them). After an
action the page returns to the same filters and group. Built in a fixed number
of queries however many items wait.

Approving and returning go through the models' services (and so the write
policy); a return needs a comment; bulk approval first lists what it approves.
"""

import re
from dataclasses import dataclass, replace
from decimal import Decimal
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from actions.models import StatusReport
from indicators.models import Value
from indicators.units import Unit
from reporting.numbers import local_number, whole_number
from reporting.models import ReportingRound, State
from reporting import workflow
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
        raise Http404(gettext("Finns inte."))


def implausible_jump(unit, previous, current):
    """A warning, in the page's language, when `current` is further from `previous` than the unit plausibly moves in a year."""
    if previous is None or current is None:
        return ""
    change = current - previous
    if unit in ABSOLUTE_JUMP:
        if abs(change) > ABSOLUTE_JUMP[unit]:
            if unit == Unit.PERCENT:
                text = gettext("Stor förändring: %(change)s procentenheter sedan förra godkända värdet. Kontrollera värdet.")
            else:
                text = gettext("Stor förändring: %(change)s steg på skalan sedan förra godkända värdet. Kontrollera värdet.")
            return text % {"change": _signed(change)}
        return ""
    if previous == 0:
        return gettext("Förra godkända värdet var 0. Kontrollera värdet.") if current != 0 else ""
    if abs(change) / abs(previous) > RELATIVE_JUMP:
        return gettext("Stor förändring: %(change)s %% sedan förra godkända värdet. Kontrollera värdet.") % {
            "change": _signed(change / previous * 100, decimals=0)
        }
    return ""


def _signed(number, decimals=None):
    """+12, −2,5, +60: a change, in the page's notation (−2.5 in English)."""
    number = Decimal(number)
    if decimals is not None:
        number = number.quantize(Decimal(1).scaleb(-decimals))
    return ("+" if number >= 0 else "−") + local_number(abs(number))


STATE_FILTERS = {State.SUBMITTED: _("Inskickade"), State.RETURNED: _("Återskickade"), State.APPROVED: _("Godkända")}
KIND_FILTERS = {"varden": _("Värden"), "statusrapporter": _("Statusrapporter")}
ANCHOR = re.compile(r"^[a-z0-9-]{1,80}$")


@dataclass
class Filters:
    """The desk's filters, from a GET (the page) or a POST (an action that returns to the page)."""

    organisation: str = ""  # a slug
    kind: str = ""
    state: str = State.SUBMITTED
    year: int | None = None

    @classmethod
    def of(cls, data):
        organisation = data.get("organisation", "")
        year = data.get("ar", "")
        return cls(
            organisation=organisation if ANCHOR.match(organisation) else "",
            kind=data.get("typ", "") if data.get("typ", "") in KIND_FILTERS else "",
            state=data.get("tillstand", "") if data.get("tillstand", "") in STATE_FILTERS else State.SUBMITTED,
            year=whole_number(year) if len(year) == 4 else None,
        )

    @property
    def query(self):
        """The filters as a query string, only what differs from the default."""
        params = {"organisation": self.organisation, "typ": self.kind, "ar": self.year or ""}
        if self.state != State.SUBMITTED:
            params["tillstand"] = self.state
        return urlencode({k: v for k, v in params.items() if v})

    def url(self, anchor=""):
        url = reverse("workspace:desk") + (f"?{self.query}" if self.query else "")
        return url + (f"#{anchor}" if ANCHOR.match(anchor or "") else "")


def _querysets(filters, organisation):
    """Status reports and values the filters choose, with what their rows show already joined."""
    reports = StatusReport.objects.filter(state=filters.state).select_related("commitment__plan", "organisation")
    values = Value.objects.filter(state=filters.state).select_related("series__indicator__responsible", "area")
    year = filters.year
    if year is None and filters.state != State.SUBMITTED:
        # Returned and approved items of every year would be the whole archive: show the latest round's.
        year = ReportingRound.objects.order_by("-year").values_list("year", flat=True).first()
    if year is not None:
        reports, values = reports.filter(year=year), values.filter(year=year)
    if organisation is not None:
        reports = reports.filter(organisation=organisation)
        values = values.filter(series__indicator__responsible=organisation)
    if filters.kind == "varden":
        reports = reports.none()
    elif filters.kind == "statusrapporter":
        values = values.none()
    return reports, values


def _entries(filters, organisation=None):
    reports, values = _querysets(filters, organisation)
    reports, values = list(reports), list(values)

    earlier_reports = {}
    if reports:
        for r in StatusReport.objects.filter(
            state=State.APPROVED,
            commitment__in={r.commitment_id for r in reports},
            organisation__in={r.organisation_id for r in reports},
        ).order_by("year"):
            earlier_reports.setdefault((r.commitment_id, r.organisation_id), []).append(r)
    earlier_values = {}
    if values:
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
        if previous is not None:
            previous.series = v.series  # the same series: its period label needs no query of its own
        indicator = v.series.indicator
        entries.append({
            "kind": "varde",
            "item": v,
            "organisation": indicator.responsible,
            "previous": previous,
            "shown": shown_value(indicator, v),
            "previous_shown": shown_value(indicator, previous) if previous else "",
            "warning": implausible_jump(indicator.unit, previous.value if previous else None, v.value),
        })
    for entry in entries:
        entry["key"] = f"{entry['kind']}-{entry['item'].pk}"
    return entries


def _groups(entries):
    """Organisation by organisation: one table per indicator (its series' rows), then the status reports."""
    groups = {}
    for entry in entries:
        organisation = entry["organisation"]
        pk = organisation.pk if organisation else 0
        group = groups.setdefault(
            pk,
            {
                "name": organisation.display_name if organisation else gettext("Utan ansvarig organisation"),
                "anchor": f"org-{organisation.slug}" if organisation else "org-utan-ansvarig",
                "key": f"organisation-{pk}",
                "indicators": {},
                "reports": [],
                "count": 0,
            },
        )
        group["count"] += 1
        if entry["kind"] == "varde":
            indicator = entry["item"].series.indicator
            table = group["indicators"].setdefault(
                indicator.pk,
                {"indicator": indicator, "anchor": f"indikator-{indicator.pk}", "key": f"indikator-{indicator.pk}", "rows": []},
            )
            entry["anchor"] = table["anchor"]
            entry["groups"] = f"{group['key']} {table['key']}"
            table["rows"].append(entry)
        else:
            entry["anchor"] = group["anchor"]
            entry["groups"] = group["key"]
            group["reports"].append(entry)
    result = sorted(groups.values(), key=lambda g: g["name"])
    for group in result:
        tables = sorted(group["indicators"].values(), key=lambda t: (t["indicator"].code))
        for table in tables:
            table["rows"].sort(key=lambda e: (e["item"].series.order, e["item"].series_id, e["item"].area.name, e["item"].year))
        group["indicators"] = tables
        group["reports"].sort(
            key=lambda e: (e["item"].commitment.plan_id, e["item"].commitment.number_major, e["item"].commitment.number_minor, e["item"].year)
        )
    return result


def shown_value(indicator, value):
    """The figure with the indicator's decimals and unit; digits beyond them are shown, not silently rounded away."""
    if value.value is None:
        return value.get_missing_reason_display()
    shown = indicator.format_value(value.value)
    rounded = Decimal(value.value).quantize(Decimal(1).scaleb(-indicator.decimals))
    if rounded != value.value:
        # A reviewer must see what was entered: 6,95 published as 7,0 is worth a second look.
        return gettext("%(shown)s (inmatat %(entered)s)") % {"shown": shown, "entered": local_number(value.value)}
    return shown


@role_required
def queue(request):
    _require_coordinator(request)
    filters = Filters.of(request.GET)
    organisation = None
    if filters.organisation:
        organisation = Organisation.objects.filter(slug=filters.organisation).first()
        if organisation is None:
            # A bookmark or an old mail's link to an organisation since renamed or removed: the whole desk, and why.
            messages.warning(
                request, gettext("Organisationen i länken finns inte längre; granskningen visar alla organisationer.")
            )
            filters = replace(filters, organisation="")
    entries = _entries(filters, organisation)
    organisations = Organisation.objects.filter(
        Q(pk__in=StatusReport.objects.filter(state=filters.state).values("organisation_id"))
        | Q(pk__in=Value.objects.filter(state=filters.state).values("series__indicator__responsible_id"))
    ).order_by("name")
    return render(
        request,
        "workspace/desk.html",
        {
            "groups": _groups(entries),
            "count": len(entries),
            "filters": filters,
            "organisation": organisation,
            "organisations": organisations,
            "kinds": KIND_FILTERS.items(),
            "states": STATE_FILTERS.items(),
            "actionable": filters.state == State.SUBMITTED,
            "years": ReportingRound.objects.order_by("-year").values_list("year", flat=True),
        },
    )


def _get(kind, pk):
    if kind not in KINDS:
        raise Http404(gettext("Finns inte."))
    return get_object_or_404(KINDS[kind], pk=pk)


@role_required
@require_POST
def transition(request, kind, pk, transition):
    _require_coordinator(request)
    obj = _get(kind, pk)
    # The version the desk showed: a transition on a report changed since is refused, not applied to it.
    shown = posted_version(request.POST)
    services = {
        "godkann": lambda: workflow.approve(item=obj, user=request.user, expected_version=shown),
        "returnera": lambda: workflow.return_(
            item=obj, user=request.user, comment=request.POST.get("comment", ""), expected_version=shown
        ),
    }
    if transition not in services:
        raise Http404(gettext("Finns inte."))
    # Back to the same filters and the item's group, not to the top of a long page.
    back = Filters.of(request.POST).url(request.POST.get("ankare", ""))
    try:
        services[transition]()
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, gettext("%(item)s: %(reason)s") % {"item": obj, "reason": refusal_message(exc)})
        return redirect(back)
    # Per kind, for the adjective's gender: "statusrapporten är godkänd", "värdet är godkänt".
    done = {
        ("statusrapport", "godkann"): gettext("Statusrapporten %(item)s är godkänd."),
        ("statusrapport", "returnera"): gettext("Statusrapporten %(item)s är återskickad med kommentar."),
        ("varde", "godkann"): gettext("Värdet %(item)s är godkänt."),
        ("varde", "returnera"): gettext("Värdet %(item)s är återskickat med kommentar."),
    }[kind, transition]
    messages.success(request, done % {"item": obj})
    return redirect(back)


def _chosen(request, filters):
    """The reports and values marked one by one, plus every item of each group ticked or whose button was used."""
    chosen = {"statusrapport": set(), "varde": set()}
    for key in request.POST.getlist("item"):
        kind, _, pk = key.partition("-")
        if kind in chosen and whole_number(pk, max_digits=11) is not None:
            chosen[kind].add(int(pk))
    report_q, value_q = Q(pk__in=chosen["statusrapport"]), Q(pk__in=chosen["varde"])
    groups = {"organisation": set(), "indikator": set()}
    for key in request.POST.getlist("group"):
        kind, _, pk = key.partition("-")
        if kind in groups and whole_number(pk, max_digits=11) is not None:
            groups[kind].add(int(pk))
    if groups["organisation"] or groups["indikator"]:
        # A group means what the desk showed in it: submitted items under the same filters.
        reports, values = _querysets(replace(filters, state=State.SUBMITTED, organisation=""), None)
        report_q |= Q(pk__in=reports.filter(organisation__in=groups["organisation"]).values("pk"))
        value_q |= Q(
            pk__in=values.filter(
                Q(series__indicator__responsible__in=groups["organisation"]) | Q(series__indicator__in=groups["indikator"])
            ).values("pk")
        )
    reports = list(StatusReport.objects.filter(report_q).select_related("commitment__plan", "organisation").order_by("organisation__name", "pk"))
    values = list(
        Value.objects.filter(value_q).select_related("series__indicator__responsible", "area").order_by("series__indicator__code", "series_id", "pk")
    )
    return reports, values


def _shown_versions(data):
    """{"statusrapport-12": 3, …}: the version of each item as the page showed it (its `version-<key>` field)."""
    versions = {}
    for name in data:
        kind, _, key = name.partition("-")
        if kind == "version" and key.partition("-")[0] in KINDS:
            version = posted_version({"expected_version": data[name]})
            if version is not None:
                versions[key] = version
    return versions


@role_required
@require_POST
def bulk_approve(request):
    """Approve the marked items, after a confirmation that lists them; all or nothing."""
    _require_coordinator(request)
    filters = Filters.of(request.POST)
    reports, values = _chosen(request, filters)
    anchor = request.POST.get("ankare", "")
    organisations = {r.organisation for r in reports} | {v.series.indicator.responsible for v in values}
    if not ANCHOR.match(anchor) and len(organisations) == 1 and None not in organisations:
        # Back to the organisation's group, where the rest of its items wait.
        anchor = f"org-{organisations.pop().slug}"
    back = filters.url(anchor)
    if not reports and not values:
        messages.error(request, gettext("Markera de poster som ska godkännas."))
        return redirect(back)
    versions = _shown_versions(request.POST)
    if request.POST.get("confirm") != "1":
        # The confirmation carries on the versions the desk showed (the item's own if the desk sent none),
        # so that an item changed meanwhile is refused at the confirm, not approved unseen.
        return render(
            request,
            "workspace/desk_confirm.html",
            {
                "reports": [(r, versions.get(f"statusrapport-{r.pk}", r.version)) for r in reports],
                "values": [
                    (v, versions.get(f"varde-{v.pk}", v.version), shown_value(v.series.indicator, v)) for v in values
                ],
                "count": len(reports) + len(values),
                "filters": filters,
                "anchor": anchor if ANCHOR.match(anchor) else "",
                "back": back,
            },
        )
    try:
        shown = {r: versions.get(f"statusrapport-{r.pk}") for r in reports}
        shown |= {v: versions.get(f"varde-{v.pk}") for v in values}
        done = workflow.approve_all(items=[*reports, *values], user=request.user, shown_versions=shown)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, gettext("Inget godkändes. %(reason)s") % {"reason": refusal_message(exc)})
    else:
        messages.success(
            request, ngettext("%(count)d post godkänd.", "%(count)d poster godkända.", len(done)) % {"count": len(done)}
        )
    return redirect(back)
