from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from reporting import services as reporting_services
from reporting.admin_history import ReadableHistoryAdmin
from reporting.models import LockedYear, ReportingRound
from reporting.scoping import organisation_for, sees_everything

from .models import Correction, EditionPdf, GoalSection, IndicatorAnalysis, ReportEdition
from .policy import check_edition_write, edition_write_refusal
from reporting.admin_readonly import ReadOnlyAdminMixin


class EditionPolicyAdmin:
    """Admin for an edition or one of its parts: the edition policy decides every write.

    A published edition is shown read-only and cannot be deleted; publishing and
    corrections have their own confirmed steps in the report editor, never a bulk action.
    """

    def _edition(self, obj):
        return obj if isinstance(obj, ReportEdition) else getattr(obj, "edition", None)

    def has_change_permission(self, request, obj=None):
        if obj is not None and edition_write_refusal(user=request.user, edition=self._edition(obj)):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and edition_write_refusal(user=request.user, edition=self._edition(obj)):
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # a bulk delete would pass by the policy
        return actions

    def save_model(self, request, obj, form, change):
        # A new edition has nothing published to protect; a part always belongs to a stored edition.
        adding_edition = isinstance(obj, ReportEdition) and not change
        check_edition_write(user=request.user, edition=None if adding_edition else self._edition(obj))
        obj._history_user = request.user
        super().save_model(request, obj, form, change)

    def delete_model(self, request, obj):
        check_edition_write(user=request.user, edition=self._edition(obj))
        super().delete_model(request, obj)


class GoalSectionInline(admin.StackedInline):
    model = GoalSection
    extra = 0
    fields = ["goal", "intro", "summary", "summary_footnotes", "development_areas"]

    def has_change_permission(self, request, obj=None):
        return (obj is None or not obj.is_published) and super().has_change_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        return (obj is None or not obj.is_published) and super().has_add_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return (obj is None or not obj.is_published) and super().has_delete_permission(request, obj)


class CorrectionInline(ReadOnlyAdminMixin, admin.TabularInline):
    """Rättelser are added in the report editor; here they are only read."""

    model = Correction
    extra = 0
    fields = ["corrected_on", "text", "created_by", "created_at"]
    readonly_fields = fields


@admin.register(ReportEdition)
class ReportEditionAdmin(EditionPolicyAdmin, ReadableHistoryAdmin, SimpleHistoryAdmin):
    list_display = ["year", "title", "report_number", "isbn", "state", "published_at", "editor_link"]
    list_filter = ["state"]
    search_fields = ["title", "report_number", "isbn"]
    readonly_fields = ["state", "published_at", "publication_date"]
    inlines = [GoalSectionInline, CorrectionInline]

    @admin.display(description=_("rapportredigeraren"))
    def editor_link(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("report_editor", args=[obj.year]), gettext("Öppna"))


@admin.register(GoalSection)
class GoalSectionAdmin(EditionPolicyAdmin, ReadableHistoryAdmin, SimpleHistoryAdmin):
    list_display = ["edition", "goal"]
    list_filter = ["edition", "goal"]
    search_fields = ["summary", "development_areas"]


@admin.register(IndicatorAnalysis)
class IndicatorAnalysisAdmin(EditionPolicyAdmin, ReadableHistoryAdmin, SimpleHistoryAdmin):
    list_display = ["edition", "indicator"]
    list_filter = ["edition"]
    search_fields = ["indicator__code", "text"]
    autocomplete_fields = ["indicator"]


@admin.register(Correction)
class CorrectionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Rättelser are dated and immutable: added in the report editor, only read here."""

    list_display = ["edition", "corrected_on", "text", "created_by"]
    list_filter = ["edition"]
    search_fields = ["text"]


@admin.register(LockedYear)
class LockedYearAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The years published editions cover: locked by publishing, never by hand."""

    list_display = ["year", "locked_at", "reason"]


@admin.register(EditionPdf)
class EditionPdfAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
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
        return format_html(
            '<a href="{}">{}</a>', reverse("report_pdf", args=[obj.edition.year, obj.edition.year]), gettext("Öppna")
        )


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

    @admin.display(description=_("rapporteringsläge"))
    def completeness_link(self, obj):
        url = reverse("admin:reporting_reportinground_completeness", args=[obj.year])
        return format_html('<a href="{}">{}</a>', url, gettext("Visa"))

    def completeness_view(self, request, year):
        """The old address of the round's completeness page: now the workspace's matrix, or the reporter's workspace."""
        get_object_or_404(ReportingRound, year=year)
        if sees_everything(request.user):
            return redirect("workspace:matrix", year)
        if organisation_for(request.user) is not None:
            return redirect("workspace:home")
        raise PermissionDenied

    def _run(self, request, queryset, service, changed_text, unchanged_text):
        """Run the service on each round on its own and tell what happened to each.

        The service is one transaction per round: a round that fails is left as it
        was (its mails are never sent), and the rounds before and after it still count.
        `changed_text(count)` words the changed rounds (a ngettext), `unchanged_text` the unchanged ones.
        """
        opening = service is reporting_services.reporting_round_open
        changed, unchanged = [], []
        for reporting_round in queryset.order_by("year"):
            was_open = reporting_round.is_open
            try:
                reporting_round = service(reporting_round=reporting_round, user=request.user)
            except (ValidationError, PermissionDenied) as exc:
                reason = " ".join(getattr(exc, "messages", [str(exc)]))
                self.message_user(
                    request,
                    gettext("%(round)s: ändrades inte. %(reason)s") % {"round": reporting_round, "reason": reason},
                    messages.ERROR,
                )
                continue
            (unchanged if was_open == opening else changed).append(str(reporting_round.year))
        if changed:
            count = len(changed)
            text = changed_text(count) % {"count": count, "years": ", ".join(changed)}
            self.message_user(request, text, messages.SUCCESS)
        if unchanged:
            self.message_user(request, unchanged_text % {"years": ", ".join(unchanged)}, messages.INFO)

    @admin.action(description=_("Öppna markerade rapporteringsomgångar"), permissions=["change"])
    def open_rounds(self, request, queryset):
        self._run(
            request,
            queryset,
            reporting_services.reporting_round_open,
            lambda n: ngettext(
                "%(count)d rapporteringsomgång öppnad: %(years)s.", "%(count)d rapporteringsomgångar öppnade: %(years)s.", n
            ),
            gettext("Redan öppen, inga nya utskick: %(years)s."),
        )

    @admin.action(description=_("Stäng markerade rapporteringsomgångar"), permissions=["change"])
    def close_rounds(self, request, queryset):
        self._run(
            request,
            queryset,
            reporting_services.reporting_round_close,
            lambda n: ngettext(
                "%(count)d rapporteringsomgång stängd: %(years)s.", "%(count)d rapporteringsomgångar stängda: %(years)s.", n
            ),
            gettext("Redan stängd: %(years)s."),
        )
