from django.contrib import admin, messages
from simple_history.admin import SimpleHistoryAdmin

from .models import GoalSection, ReportEdition
from .services import report_edition_publish


class GoalSectionInline(admin.StackedInline):
    model = GoalSection
    extra = 0
    fields = ["goal", "intro", "summary", "summary_footnotes", "development_areas"]


@admin.register(ReportEdition)
class ReportEditionAdmin(SimpleHistoryAdmin):
    list_display = ["year", "title", "report_number", "isbn", "state", "published_at"]
    list_filter = ["state"]
    search_fields = ["title", "report_number", "isbn"]
    # Publishing goes through the service: it freezes the figures and locks the year's round.
    readonly_fields = ["state", "published_at"]
    inlines = [GoalSectionInline]
    actions = ["publish"]

    @admin.action(description="Publicera markerade lägesrapporter", permissions=["change"])
    def publish(self, request, queryset):
        for edition in queryset:
            report_edition_publish(edition=edition, user=request.user)
        self.message_user(request, f"{queryset.count()} lägesrapporter publicerade.", messages.SUCCESS)


@admin.register(GoalSection)
class GoalSectionAdmin(SimpleHistoryAdmin):
    list_display = ["edition", "goal"]
    list_filter = ["edition", "goal"]
    search_fields = ["summary", "development_areas"]
