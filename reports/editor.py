"""The report editor: the coordinator writes, checks, publishes and corrects a Lägesrapport.

Part by part in the report's order, each text beside a preview drawn with the
very templates the published page uses. Every write goes through reports.services,
which asks reports.policy; the pages are for coordinators only (404 for anyone else).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from indicators.models import Indicator
from reporting.admin_history import HISTORY_TYPES, user_name
from reporting.scoping import may_coordinate
from strategy.models import Goal

from . import services
from .checks import blocking_findings, edition_checks
from .forms import AnalysisForm, ColophonForm, CorrectionForm, EditionTextsForm, GoalSectionForm, NewEditionForm, PublishForm
from .models import GoalSection, IndicatorAnalysis, ReportEdition
from .selectors import report_page

HISTORY_SHOWN = 8


def _require_coordinator(request):
    # The admin's door and the role, asked again on every request (reporting.scoping).
    if not may_coordinate(request.user):
        raise Http404(gettext("Finns inte."))


def _get_edition_for_user(request, year):
    _require_coordinator(request)
    return get_object_or_404(ReportEdition.objects.select_related("strategy"), year=year)


def _data(request):
    # An empty POST (an unticked confirmation, say) is still a submitted form.
    return request.POST if request.method == "POST" else None


def _errors(exc):
    return " ".join(getattr(exc, "messages", [str(exc)]))


@login_required
@require_http_methods(["GET", "POST"])
def editions(request):
    """Every edition, and a new one started from the latest."""
    _require_coordinator(request)
    all_editions = list(ReportEdition.objects.order_by("-year"))
    next_year = (all_editions[0].year + 1) if all_editions else None
    form = NewEditionForm(_data(request), initial={"year": next_year})
    if request.method == "POST" and form.is_valid():
        try:
            edition = services.report_edition_create(year=form.cleaned_data["year"], user=request.user)
        except (ValidationError, PermissionDenied) as exc:
            form.add_error("year", _errors(exc))
        else:
            messages.success(
                request,
                gettext("%(edition)s är skapad som utkast, med texterna från förra årets lägesrapport.") % {"edition": edition},
            )
            return redirect("report_editor", edition.year)
    return render(
        request,
        "reports/editor/editions.html",
        {"editions": all_editions, "form": form, "latest": all_editions[0] if all_editions else None},
    )


def _parts(edition):
    """The edition's parts in the report's order: (key, label)."""
    goals = [(f"mal-{g.number}", _goal_label(g)) for g in edition.strategy.goals.order_by("number")]
    return [("uppgifter", gettext("Titel och rapportuppgifter")), ("texter", gettext("Förord och inledande texter")), *goals]


def _goal_label(goal):
    return gettext("Mål %(number)s: %(name)s") % {"number": goal.number, "name": goal.short_name}


@login_required
def editor(request, year):
    edition = _get_edition_for_user(request, year)
    checks = edition_checks(edition) if not edition.is_published else []
    return render(
        request,
        "reports/editor/editor.html",
        {
            "edition": edition,
            "parts": _parts(edition),
            "open_findings": sum(len(c.findings) for c in checks),
            "corrections": edition.corrections.order_by("corrected_on", "id"),
        },
    )


def _history(*querysets):
    records = [record for qs in querysets for record in qs.select_related("history_user")[:HISTORY_SHOWN]]
    records = sorted(records, key=lambda r: r.history_date, reverse=True)[:HISTORY_SHOWN]
    for record in records:
        record.user_label = user_name(record.history_user)  # as the admin's history names people
        # Our own words: django-simple-history has no Swedish catalogue, its "Created" would leak through.
        record.type_label = HISTORY_TYPES.get(record.history_type, record.history_type)
    return records


@login_required
@require_http_methods(["GET", "POST"])
def edition_part(request, year, part):
    edition = _get_edition_for_user(request, year)
    if part.startswith("mal-") and part[4:].isdigit():
        return _goal_part(request, edition, int(part[4:]))
    if part not in ("uppgifter", "texter"):
        raise Http404(gettext("Ingen sådan del av lägesrapporten."))
    form_class = ColophonForm if part == "uppgifter" else EditionTextsForm
    form = form_class(_data(request), instance=ReportEdition.objects.get(pk=edition.pk))
    readonly = edition.is_published
    opened = _opened(request, "opened", edition, form_class._meta.fields)
    if request.method == "POST" and not readonly and form.is_valid():
        try:
            services.report_edition_update(edition=edition, user=request.user, opened=opened, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, _errors(exc))
        else:
            messages.success(request, gettext("Sparat som utkast. Förhandsvisningen visar det som publiceras."))
            return redirect("report_edition_part", year, part)
    edition.refresh_from_db()
    context = report_page(edition, goal_numbers=())  # the title page and texts name the goals, draw none
    return render(
        request,
        "reports/editor/part.html",
        {
            **context,
            "edition": edition,
            "part_key": part,
            "part_label": dict(_parts(edition))[part],
            "parts": _parts(edition),
            "form": form,
            "readonly": readonly,
            "preview_template": "public/_report_title.html" if part == "uppgifter" else "public/_report_texts.html",
            "history": _history(edition.history.all()),
            "opened": opened,
        },
    )


def _opened(request, name, stored, fields):
    """The digest of the texts as the page was first opened: posted back by the form, else as stored now.

    A form shown again after an error keeps the digest it was opened with, so that only a reload,
    which shows the other save, lets it overwrite that save."""
    posted = request.POST.get(name, "") if request.method == "POST" else ""
    return posted or services.texts_digest(stored, fields)


def _analysis_initial(analysis):
    return {"text": analysis.text if analysis else "", "caption": analysis.caption if analysis else ""}


def _goal_part(request, edition, number):
    goal = get_object_or_404(Goal, strategy_id=edition.strategy_id, number=number)
    section = GoalSection.objects.filter(edition=edition, goal=goal).first() or GoalSection(edition=edition, goal=goal)
    indicators = [
        ind
        for ind in Indicator.objects.filter(goal__strategy_id=edition.strategy_id, status=Indicator.Status.ACTIVE)
        .select_related("goal", "report_goal")
        .order_by("kind", "position", "code")
        if ind.shown_goal.id == goal.id
    ]
    analyses = {a.indicator_id: a for a in IndicatorAnalysis.objects.filter(edition=edition, indicator__in=indicators)}
    data = _data(request)
    section_form = GoalSectionForm(data, instance=section, prefix="avsnitt")
    analysis_forms = [
        (
            ind,
            AnalysisForm(data, prefix=f"analys-{ind.pk}", initial=_analysis_initial(analyses.get(ind.id))),
            _opened(request, f"analys-{ind.pk}-opened", analyses.get(ind.id), services.ANALYSIS_FIELDS),
        )
        for ind in indicators
    ]
    section_opened = _opened(request, "avsnitt-opened", section if section.pk else None, services.SECTION_FIELDS)
    readonly = edition.is_published
    if request.method == "POST" and not readonly:
        if section_form.is_valid() and all(form.is_valid() for _ind, form, _opened_as in analysis_forms):
            try:
                with transaction.atomic():
                    services.goal_section_write(
                        edition=edition, goal=goal, user=request.user, opened=section_opened, **section_form.cleaned_data
                    )
                    for ind, form, opened in analysis_forms:
                        if form.cleaned_data != _analysis_initial(analyses.get(ind.id)):
                            services.indicator_analysis_write(
                                edition=edition, indicator=ind, user=request.user, opened=opened, **form.cleaned_data
                            )
            except (ValidationError, PermissionDenied) as exc:
                section_form.add_error(None, _errors(exc))
            else:
                messages.success(request, gettext("Sparat som utkast. Förhandsvisningen visar det som publiceras."))
                return redirect("report_edition_part", edition.year, f"mal-{number}")
    context = report_page(edition, goal_numbers={goal.number})
    part = next(p for p in context["goals"] if p["goal"].id == goal.id)
    history_sources = [GoalSection.history.filter(edition_id=edition.pk, goal_id=goal.pk)]
    history_sources.append(IndicatorAnalysis.history.filter(edition_id=edition.pk, indicator_id__in=[i.id for i in indicators]))
    return render(
        request,
        "reports/editor/part.html",
        {
            "edition": edition,
            "part_key": f"mal-{number}",
            "part_label": _goal_label(goal),
            "parts": _parts(edition),
            "form": section_form,
            "analysis_forms": analysis_forms,
            "readonly": readonly,
            "preview_template": "public/_report_goal.html",
            "section_opened": section_opened,
            "part": part,
            "goals": context["goals"],
            "history": _history(*history_sources),
        },
    )


@login_required
def checks(request, year):
    edition = _get_edition_for_user(request, year)
    if edition.is_published:
        return redirect("report_editor", year)
    all_checks = edition_checks(edition)
    return render(request, "reports/editor/checks.html", {"edition": edition, "checks": all_checks})


@login_required
@require_http_methods(["GET", "POST"])
def publish(request, year):
    """A separate, confirmed step: the checks once more, then "Publicera Lägesrapport <år>"."""
    edition = _get_edition_for_user(request, year)
    if edition.is_published:
        messages.info(request, gettext("%(edition)s är redan publicerad.") % {"edition": edition})
        return redirect("report_editor", year)
    all_checks = edition_checks(edition)
    form = PublishForm(_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            edition = services.report_edition_publish(edition=edition, user=request.user)
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, _errors(exc))
        else:
            messages.success(
                request, gettext("%(edition)s är publicerad. Året %(year)s är nu låst.") % {"edition": edition, "year": edition.year}
            )
            return redirect(edition)
    return render(
        request,
        "reports/editor/publish.html",
        {"edition": edition, "checks": all_checks, "blocking": blocking_findings(all_checks), "form": form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def correct(request, year):
    """A dated rättelse of a published edition: added, shown at its end, never a silent edit."""
    edition = _get_edition_for_user(request, year)
    if not edition.is_published:
        raise Http404(gettext("Ett utkast rättas inte: ändra texten i stället."))
    form = CorrectionForm(_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.report_edition_correct(
                edition=edition, user=request.user, text=form.cleaned_data["text"], corrected_on=form.cleaned_data["corrected_on"]
            )
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, _errors(exc))
        else:
            messages.success(request, gettext("Rättelsen är tillagd och visas i slutet av lägesrapporten."))
            return redirect("report_editor", year)
    return render(request, "reports/editor/correct.html", {"edition": edition, "form": form})
