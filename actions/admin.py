from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import ActionPlan, Commitment, PlanGoal, PreventionLevel, StatusReport


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
    model = StatusReport
    extra = 0
    fields = ["year", "organisation", "category", "state", "text", "reviewer_comment"]
    show_change_link = True


@admin.register(Commitment)
class CommitmentAdmin(admin.ModelAdmin):
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
class StatusReportAdmin(SimpleHistoryAdmin):
    list_display = ["commitment", "year", "organisation", "category", "state", "updated_at"]
    list_filter = ["year", "state", "category", "organisation", "commitment__goal"]
    search_fields = ["commitment__number", "text"]
    autocomplete_fields = ["commitment", "organisation"]
    list_select_related = ["commitment", "organisation"]
    readonly_fields = ["submitted_at", "approved_at", "approved_by", "created_at", "updated_at"]
