"""The coordinator's year overview and the confirmed steps that open and close a round.

For the year being reported on and the next: the round (planned → open →
closed), each reporting organisation's progress, whether the year's report is
published, and the one next thing to do. The report edition itself belongs to
the reports app, which this app may not import: a published edition is known
here by the year it locked (reporting.LockedYear), and the links lead to the
report editor by URL name.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy as _
from django.views.decorators.http import require_http_methods

from reporting import services
from reporting.models import LockedYear, ReportingRound
from reporting.numbers import whole_number
from reporting.scoping import may_coordinate, role_required

from . import mail
from .forms import ReportingRoundForm
from .tasks import round_progress

PLANNED, OPEN, CLOSED = "planned", "open", "closed"
STAGE_LABELS = {None: _("Ingen omgång än"), PLANNED: _("Planerad"), OPEN: _("Öppen"), CLOSED: _("Stängd")}


@dataclass
class Action:
    label: str
    url: str


@dataclass
class Year:
    year: int
    reporting_round: ReportingRound | None
    lines: list  # Progress per reporting organisation, by name
    lock: LockedYear | None

    @property
    def stage(self):
        r = self.reporting_round
        if r is None:
            return None
        if r.is_open:
            return OPEN
        return CLOSED if r.opened_at or r.locked_at else PLANNED

    @property
    def stage_label(self):
        return STAGE_LABELS[self.stage]

    @property
    def stages(self):
        """The round's three steps, each marked done, current or to come (for the step list)."""
        order = [PLANNED, OPEN, CLOSED]
        current = order.index(self.stage) if self.stage else -1
        return [
            {"label": STAGE_LABELS[s], "state": "done" if i < current else ("current" if i == current else "todo")}
            for i, s in enumerate(order)
        ]

    @property
    def published(self):
        return self.lock is not None

    @property
    def done(self):
        return sum(p.done for p in self.lines)

    @property
    def total(self):
        return sum(p.total for p in self.lines)

    @property
    def next_action(self):
        if self.published:
            return None
        if self.stage is None:
            return Action(gettext("Skapa omgången %(year)s") % {"year": self.year}, reverse("workspace:round_create") + f"?year={self.year}")
        if self.stage == PLANNED:
            return Action(gettext("Öppna omgången %(year)s") % {"year": self.year}, reverse("workspace:round_open", args=[self.year]))
        if self.stage == OPEN:
            return Action(gettext("Stäng omgången %(year)s") % {"year": self.year}, reverse("workspace:round_close", args=[self.year]))
        return Action(
            gettext("Skriv och publicera lägesrapporten %(year)s") % {"year": self.year}, reverse("report_editions")
        )


def overview_years(today=None):
    """The year being reported on (the open round's, else last year) and the next.

    With several rounds open, the earliest: a round still open is never pushed off the overview
    by the next year's opening (it must still be followed and closed)."""
    today = today or timezone.localdate()
    open_round = ReportingRound.objects.open().order_by("year").first()
    current = open_round.year if open_round else today.year - 1
    return [current, current + 1]


def year_overview(years):
    """[Year] for the years given, in a fixed number of queries whatever the number of items."""
    rounds = {r.year: r for r in ReportingRound.objects.filter(year__in=years)}
    locks = {lock.year: lock for lock in LockedYear.objects.filter(year__in=years)}
    result = []
    for year in years:
        lines = sorted(round_progress(year=year).values(), key=lambda p: p.organisation.display_name)
        result.append(Year(year, rounds.get(year), lines, locks.get(year)))
    return result


def overview(request):
    years = year_overview(overview_years())
    return render(
        request, "workspace/overview.html", {"years": years, "reporting_round": years[0].reporting_round}
    )


def _coordinator_round(request, year):
    if not may_coordinate(request.user):
        raise PermissionDenied(gettext("Bara samordnare kan öppna och stänga en rapporteringsomgång."))
    return get_object_or_404(ReportingRound, year=year)


def _confirmed(request, reporting_round, service, *, unconfirmed, failed, done):
    """Run an open/close service once the confirmation is ticked; back to the overview with what happened.

    The three messages are whole sentences with %(round)s (and %(reason)s for `failed`)."""
    if request.POST.get("confirm") != "1":
        messages.error(request, unconfirmed)
        return redirect(request.path)
    try:
        service(reporting_round=reporting_round, user=request.user)
    except (ValidationError, PermissionDenied) as exc:
        reason = " ".join(getattr(exc, "messages", [str(exc)]))
        messages.error(request, failed % {"round": reporting_round, "reason": reason})
    else:
        messages.success(request, done % {"round": reporting_round})
    return redirect("workspace:home")


@role_required
@require_http_methods(["GET", "POST"])
def round_open(request, year):
    """Opening a round, a confirmed step: first what happens and every mail it sends, then Öppna."""
    reporting_round = _coordinator_round(request, year)
    if request.method == "POST" and reporting_round.is_open:
        messages.info(
            request, gettext("%(round)s är redan öppen; inga utskick skickades igen.") % {"round": reporting_round}
        )
        return redirect("workspace:home")
    if request.method == "POST":
        return _confirmed(
            request, reporting_round, services.reporting_round_open,
            unconfirmed=gettext("Bekräfta att omgången ska öppnas."),
            failed=gettext("%(round)s öppnades inte. %(reason)s"),
            done=gettext("%(round)s är öppen. Utskicken till rapportörerna skickas nu."),
        )
    mails = mail.round_opened_mails(reporting_round, round_progress(year=year))
    return render(
        request,
        "workspace/round_open.html",
        {
            "reporting_round": reporting_round,
            "mails": mails,
            "recipients": sum(len(m.users) for m in mails),
        },
    )


@role_required
@require_http_methods(["GET", "POST"])
def round_close(request, year):
    """Closing a round, a confirmed step: what stays outstanding is shown first; no mails are sent."""
    reporting_round = _coordinator_round(request, year)
    if request.method == "POST":
        return _confirmed(
            request, reporting_round, services.reporting_round_close,
            unconfirmed=gettext("Bekräfta att omgången ska stängas."),
            failed=gettext("%(round)s stängdes inte. %(reason)s"),
            done=gettext("%(round)s är stängd. Rapportörerna kan inte längre ändra sina poster."),
        )
    lines = sorted(round_progress(year=year).values(), key=lambda p: p.organisation.display_name)
    return render(
        request,
        "workspace/round_close.html",
        {"reporting_round": reporting_round, "outstanding": [p for p in lines if not p.complete]},
    )




@role_required
@require_http_methods(["GET", "POST"])
def round_create(request):
    """A new round, planned: year, opening day and deadline. Opening it is the next, confirmed step."""
    if not may_coordinate(request.user):
        raise PermissionDenied(gettext("Bara samordnare kan skapa en rapporteringsomgång."))
    asked = request.GET.get("year", "")
    initial = {"year": asked} if whole_number(asked) is not None else {}
    form = ReportingRoundForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        reporting_round = form.save()
        messages.success(
            request,
            gettext("%(round)s är skapad. Öppna den när det är dags; rapportörerna får då ett mejl.")
            % {"round": reporting_round},
        )
        return redirect("workspace:home")
    return render(request, "workspace/round_create.html", {"form": form})
