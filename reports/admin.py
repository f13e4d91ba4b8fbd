from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import GoalSection, ReportEdition


class GoalSectionInline(admin.StackedInline):
    model = GoalSection
    extra = 0
    fields = ["goal", "intro", "summary", "summary_footnotes", "development_areas"]


@admin.register(ReportEdition)
class ReportEditionAdmin(SimpleHistoryAdmin):
    list_display = ["year", "title", "report_number", "isbn", "state", "published_at"]
    list_filter = ["state"]
    search_fields = ["title", "report_number", "isbn"]
    readonly_fields = ["published_at"]
    inlines = [GoalSectionInline]


@admin.register(GoalSection)
class GoalSectionAdmin(SimpleHistoryAdmin):
    list_display = ["edition", "goal"]
    list_filter = ["edition", "goal"]
    search_fields = ["summary", "development_areas"]
