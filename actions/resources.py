"""Status reports in the admin: the import screens (upload, preview, confirm; the import itself is
actions/importing.py over reporting/importing.py), the export and the per-organisation Excel.

A reporter imports and exports only its own organisation's reports; a coordinator all.
Imported reports are drafts until reviewed; one bad row imports nothing.
"""

import io

from django.contrib import admin
from django.http import HttpResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources, widgets
from import_export.admin import ImportExportMixin

from reporting.importing import PipelineAdminMixin, as_frame
from reporting.scoping import organisation_for, sees_everything
from reporting.spreadsheet import EXPORT_FORMATS, neutralise_row, xlsx_row
from reporting.uploads import SafeImportMixin, TableCSV, TableXLSX

from .importing import COLUMNS, import_status_reports
from .models import StatusReport

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def scoped(queryset, user):
    if sees_everything(user):
        return queryset
    return queryset.filter(organisation=organisation_for(user))


class StatusReportResource(resources.ModelResource):
    plan = fields.Field(column_name="plan", readonly=True)
    commitment = fields.Field(column_name="commitment", readonly=True)
    # A number in an XLSX export, not text (import-export renders text by default).
    year = fields.Field(attribute="year", column_name="year", readonly=True,
                        widget=widgets.IntegerWidget(coerce_to_string=False))
    organisation = fields.Field(column_name="organisation", readonly=True)
    category = fields.Field(attribute="category", column_name="category", readonly=True)
    text = fields.Field(attribute="text", column_name="text", readonly=True)
    state = fields.Field(column_name="state", readonly=True)

    # The export page's names for the columns (reporting.uploads.SwedishExportForm).
    column_labels = {"plan": _("Plan"), "commitment": _("Åtagande"), "year": _("År"),
                     "organisation": _("Organisation"), "category": _("Status"), "text": _("Redovisning"),
                     "state": _("Granskning")}

    class Meta:
        model = StatusReport
        fields = COLUMNS

    def __init__(self, *, user=None, **kwargs):
        super().__init__(**kwargs)
        self.user = user

    @classmethod
    def get_display_name(cls):
        return gettext("Statusrapporter")

    def import_data(self, dataset, dry_run=False, preview_versions=None, **kwargs):
        """The pipeline, for the admin's preview (dry_run) and confirm (with what the preview saw)."""
        result = import_status_reports(as_frame(dataset), user=self.user, dry_run=dry_run,
                                       preview_versions=preview_versions)
        result.diff_headers = [self.column_labels[c] for c in COLUMNS if c != "state"]
        return result

    def filter_export(self, queryset, **kwargs):
        return scoped(queryset, self.user)

    def export_resource(self, instance, selected_fields=None, **kwargs):
        # A status text typed as =HYPERLINK(…) must not become a formula in the coordinator's Excel.
        return neutralise_row(super().export_resource(instance, selected_fields, **kwargs))

    def dehydrate_plan(self, report):
        return report.commitment.plan.slug

    def dehydrate_commitment(self, report):
        return report.commitment.number

    def dehydrate_organisation(self, report):
        return report.organisation.slug

    def dehydrate_state(self, report):
        return report.get_state_display()


def status_reports_xlsx(reports):
    """One sheet per organisation, in the order of the selection."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheets = {}
    for report in reports:
        org = report.organisation
        if org.pk not in sheets:
            sheets[org.pk] = book.create_sheet((org.short_name or org.name)[:31])
            sheets[org.pk].append([gettext("Åtagande"), gettext("År"), gettext("Status"), gettext("Redovisning"), gettext("Granskning")])
        sheets[org.pk].append(xlsx_row(sheets[org.pk], [
            report.commitment.number, report.year, report.get_category_display(), report.text,
            report.get_state_display(),
        ]))
    if not sheets:
        book.create_sheet(gettext("Statusrapporter"))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@admin.action(description=_("Ladda ner valda som Excel, en flik per organisation"))
def download_status_reports_xlsx(modeladmin, request, queryset):
    reports = scoped(queryset, request.user).select_related("commitment", "organisation").order_by(
        "organisation__name", "commitment__number_major", "commitment__number_minor"
    )
    years = sorted({r.year for r in reports})
    name = "statusrapporter-" + ("-".join(str(y) for y in years) or "tom") + ".xlsx"
    response = HttpResponse(status_reports_xlsx(reports), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


class StatusReportImportExportMixin(PipelineAdminMixin, SafeImportMixin, ImportExportMixin):
    """Import and export buttons on the status reports list, plus the per-organisation Excel action."""

    resource_classes = [StatusReportResource]
    # Files are read within the limits and encodings of reporting.uploads; exports are import-export's.
    import_formats = [TableCSV, TableXLSX]
    export_formats = EXPORT_FORMATS  # every CSV through reporting.spreadsheet
    import_template_name = "admin/actions/statusreport/import.html"
    import_noun = "statusrapporter"  # sv-only: goes into the admin log's Swedish entry (reporting.importing)

    def get_resource_kwargs(self, request, *args, **kwargs):
        return {"user": request.user}

    def has_import_permission(self, request):
        return request.user.has_perms(["actions.add_statusreport", "actions.change_statusreport"])

    def has_export_permission(self, request):
        return request.user.has_perm("actions.view_statusreport")

    def get_actions(self, request):
        actions = super().get_actions(request)
        action = self.get_action(download_status_reports_xlsx)
        actions[action[1]] = action
        return actions
