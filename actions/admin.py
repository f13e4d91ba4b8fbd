from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from reporting.admin_history import ReadableHistoryAdmin
from reporting.admin_review import ReviewedAdmin
from reporting.admin_scoping import OrganisationScopedAdmin
from reporting.scoping import organisation_for, sees_everything
from reporting.admin_readonly import ReadOnlyAdminMixin

from .models import ActionPlan, Commitment, PlanGoal, PreventionLevel, StatusReport, reported_by
from .resources import StatusReportImportExportMixin


@admin.register(ActionPlan)
class ActionPlanAdmin(TranslationAdmin):
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


class StatusReportInline(ReadOnlyAdminMixin, admin.StackedInline):
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


@admin.register(Commitment)
class CommitmentAdmin(OrganisationScopedAdmin, TranslationAdmin):
    organisation_lookups = ["lead_organisations", "co_organisations"]
    reporter_read_only = True

    def scope_condition(self, organisation):
        return reported_by(organisation)
    list_display = ["number", "short_text", "goal", "leads", "plan"]
    list_display_links = ["number", "short_text"]
    list_filter = ["plan", "goal", "lead_organisations", "prevention_levels", "violence_types"]
    search_fields = ["number", "text"]
    autocomplete_fields = ["lead_organisations", "co_organisations"]
    filter_horizontal = ["prevention_levels", "violence_types"]
    inlines = [StatusReportInline]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("goal", "plan").prefetch_related("lead_organisations")

    @admin.display(description=_("åtagande"))
    def short_text(self, obj):
        return obj.text[:90] + ("…" if len(obj.text) > 90 else "")

    @admin.display(description=_("ansvarig"))
    def leads(self, obj):
        return ", ".join(str(o) for o in obj.lead_organisations.all())


@admin.register(StatusReport)
class StatusReportAdmin(StatusReportImportExportMixin, ReviewedAdmin, ReadableHistoryAdmin, SimpleHistoryAdmin):
    list_display = ["commitment", "year", "organisation", "category", "state", "updated_at"]
    list_filter = ["year", "state", "category", "organisation", "commitment__goal"]
    search_fields = ["commitment__number", "text"]
    autocomplete_fields = ["commitment", "organisation"]
    list_select_related = ["commitment", "organisation"]
    organisation_lookups = ["organisation"]
