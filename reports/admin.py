from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from reporting import services as reporting_services
from reporting.admin_history import ReadableHistoryAdmin
from reporting.models import ReportingRound
from reporting.scoping import organisation_for, sees_everything

from .models import EditionPdf, GoalSection, ReportEdition
from .services import report_edition_publish


class GoalSectionInline(admin.StackedInline):
    model = GoalSection
    extra = 0
    fields = ["goal", "intro", "summary", "summary_footnotes", "development_areas"]


@admin.register(ReportEdition)
class ReportEditionAdmin(ReadableHistoryAdmin, SimpleHistoryAdmin):
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
class GoalSectionAdmin(ReadableHistoryAdmin, SimpleHistoryAdmin):
    list_display = ["edition", "goal"]
    list_filter = ["edition", "goal"]
    search_fields = ["summary", "development_areas"]


@admin.register(EditionPdf)
class EditionPdfAdmin(admin.ModelAdmin):
    """Read only: a PDF is made by the worker at publication and never changed by hand."""

    list_display = ["edition", "state", "pages", "bytes", "generated_at", "attempts", "pdf_link"]
    list_filter = ["state"]
    fields = ["edition", "state", "sha256", "pages", "bytes", "queued_at", "generated_at", "attempts", "error", "pdf_link"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).defer("content").select_related("edition")

    @admin.display(description="PDF")
    def pdf_link(self, obj):
        if not obj.is_ready:
            return "–"
        return format_html('<a href="{}">Öppna</a>', reverse("report_pdf", args=[obj.edition.year, obj.edition.year]))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# Registered here rather than in reporting: its completeness link leads to the workspace's matrix above it.
@admin.register(ReportingRound)
class ReportingRoundAdmin(admin.ModelAdmin):
    list_display = ["year", "opens_on", "deadline", "is_open", "opened_at", "closed_at", "completeness_link"]
    readonly_fields = ["is_open", "opened_at", "closed_at"]
    actions = ["open_rounds", "close_rounds"]

    def get_urls(self):
        return [
            path(
                "<int:year>/att-rapportera/",
                self.admin_site.admin_view(self.completeness_view),
                name="reporting_reportinground_completeness",
            ),
        ] + super().get_urls()

    @admin.display(description="rapporteringsläge")
    def completeness_link(self, obj):
        url = reverse("admin:reporting_reportinground_completeness", args=[obj.year])
        return format_html('<a href="{}">Visa</a>', url)

    def completeness_view(self, request, year):
        """The old address of the round's completeness page: now the workspace's matrix, or the reporter's workspace."""
        get_object_or_404(ReportingRound, year=year)
        if sees_everything(request.user):
            return redirect("workspace:matrix", year)
        if organisation_for(request.user) is not None:
            return redirect("workspace:home")
        raise PermissionDenied

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
        self._run(request, queryset, reporting_services.reporting_round_open, "öppnade")

    @admin.action(description="Stäng markerade rapporteringsomgångar", permissions=["change"])
    def close_rounds(self, request, queryset):
        self._run(request, queryset, reporting_services.reporting_round_close, "stängda")
