from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from strategy.admin_review import ReviewedAdmin
from strategy.admin_scoping import OrganisationScopedAdmin
from strategy.scoping import organisation_for, sees_everything

from . import services
from .models import ActionPlan, Commitment, PlanGoal, PreventionLevel, ReportingRound, StatusReport
from .resources import StatusReportImportExportMixin
from .selectors import round_completeness


@admin.register(ActionPlan)
class ActionPlanAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "owner", "start_year", "end_year", "report_number"]
    list_filter = ["kind"]
    search_fields = ["title"]
    autocomplete_fields = ["owner"]


@admin.register(PlanGoal)
class PlanGoalAdmin(admin.ModelAdmin):
    list_display = ["plan", "number", "title"]
    list_filter = ["plan", "regional_goals"]
    search_fields = ["title", "description", "prerequisites"]
    filter_horizontal = ["regional_goals"]
    list_select_related = ["plan"]


@admin.register(PreventionLevel)
class PreventionLevelAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "order"]


class StatusReportInline(admin.StackedInline):
    """The commitment's reports, read-only: they change through their own page and the review."""

    model = StatusReport
    extra = 0
    fields = ["year", "organisation", "category", "state", "text", "reviewer_comment"]
    readonly_fields = fields
    show_change_link = True

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("organisation")
        if sees_everything(request.user):
            return queryset
        # A co-organisation sees the commitment but not the lead's drafts.
        return queryset.filter(organisation=organisation_for(request.user))

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Commitment)
class CommitmentAdmin(OrganisationScopedAdmin, admin.ModelAdmin):
    organisation_lookups = ["lead_organisations", "co_organisations"]
    reporter_read_only = True

    def scope_condition(self, organisation):
        # A municipality answers for the measures of its own local plan, whichever
        # of its committees carries them; a committee only for its own measures.
        return super().scope_condition(organisation) | Q(
            plan__kind=ActionPlan.Kind.LOCAL, plan__owner=organisation
        )
    list_display = ["number", "short_text", "goal", "leads", "plan"]
    list_display_links = ["number", "short_text"]
    list_filter = ["plan", "goal", "lead_organisations", "prevention_levels", "violence_types"]
    search_fields = ["number", "text"]
    autocomplete_fields = ["lead_organisations", "co_organisations"]
    filter_horizontal = ["prevention_levels", "violence_types"]
    inlines = [StatusReportInline]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("goal", "plan").prefetch_related("lead_organisations")

    @admin.display(description="åtagande")
    def short_text(self, obj):
        return obj.text[:90] + ("…" if len(obj.text) > 90 else "")

    @admin.display(description="ansvarig")
    def leads(self, obj):
        return ", ".join(str(o) for o in obj.lead_organisations.all())


@admin.register(StatusReport)
class StatusReportAdmin(StatusReportImportExportMixin, ReviewedAdmin, SimpleHistoryAdmin):
    list_display = ["commitment", "year", "organisation", "category", "state", "updated_at"]
    list_filter = ["year", "state", "category", "organisation", "commitment__goal"]
    search_fields = ["commitment__number", "text"]
    autocomplete_fields = ["commitment", "organisation"]
    list_select_related = ["commitment", "organisation"]
    organisation_lookups = ["organisation"]
    transition_services = {
        "submit": services.status_report_submit,
        "return": services.status_report_return,
        "approve": services.status_report_approve,
        "reopen": services.status_report_reopen,
    }
    service_item_kwarg = "report"
    bulk_transition_services = {"submit": services.status_reports_submit, "approve": services.status_reports_approve}
    bulk_item_kwarg = "reports"


@admin.register(ReportingRound)
class ReportingRoundAdmin(admin.ModelAdmin):
    list_display = ["year", "deadline", "is_open", "opened_at", "closed_at", "completeness_link"]
    readonly_fields = ["is_open", "opened_at", "closed_at"]
    actions = ["open_rounds", "close_rounds"]

    def get_urls(self):
        return [
            path(
                "<int:year>/att-rapportera/",
                self.admin_site.admin_view(self.completeness_view),
                name="actions_reportinground_completeness",
            ),
        ] + super().get_urls()

    @admin.display(description="rapporteringsläge")
    def completeness_link(self, obj):
        url = reverse("admin:actions_reportinground_completeness", args=[obj.year])
        return format_html('<a href="{}">Visa</a>', url)

    def completeness_view(self, request, year):
        reporting_round = get_object_or_404(ReportingRound, year=year)
        if sees_everything(request.user):
            organisation, title = None, f"Rapporteringsläge {year}"
        elif organisation_for(request.user) is not None:
            organisation, title = organisation_for(request.user), f"Att rapportera {year}"
        else:
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": title,
            "reporting_round": reporting_round,
            "progress": round_completeness(year=year, organisation=organisation),
        }
        return TemplateResponse(request, "admin/actions/reportinground/completeness.html", context)

    def _run(self, request, queryset, service, done):
        try:
            for reporting_round in queryset:
                service(reporting_round=reporting_round, user=request.user)
        except (ValidationError, PermissionDenied) as exc:
            self.message_user(request, " ".join(getattr(exc, "messages", [str(exc)])), messages.ERROR)
        else:
            self.message_user(request, f"{queryset.count()} rapporteringsomgångar {done}.", messages.SUCCESS)

    @admin.action(description="Öppna markerade rapporteringsomgångar", permissions=["change"])
    def open_rounds(self, request, queryset):
        self._run(request, queryset, services.reporting_round_open, "öppnade")

    @admin.action(description="Stäng markerade rapporteringsomgångar", permissions=["change"])
    def close_rounds(self, request, queryset):
        self._run(request, queryset, services.reporting_round_close, "stängda")
