"""Values in the admin: the import screens (upload, preview, confirm) and the export of the selection
in the long import format, so that an export can be edited and imported again.

django-import-export draws the screens and writes the export; the import itself is the pipeline
(indicators/importing.py over reporting/importing.py), which `ValueResource.import_data` runs.
"""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources, widgets
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV, XLSX

from reporting.importing import PipelineAdminMixin, as_frame
from reporting.spreadsheet import neutralise_row
from reporting.uploads import SafeImportMixin

from .formats import VALUE_IMPORT_FORMATS
from .importing import import_values
from .models import Value
from .selectors import MISSING_LABELS, format_number

NUMBER = widgets.IntegerWidget(coerce_to_string=False)


class ValueResource(resources.ModelResource):
    """Long format, one value per row; also accepts exactly what /data/values.csv produces."""

    indicator_code = fields.Field(column_name="indicator_code", readonly=True)
    # Numbers stay numbers in an XLSX export (import-export renders text by default).
    year = fields.Field(attribute="year", column_name="year", readonly=True, widget=NUMBER)
    area = fields.Field(column_name="area", readonly=True)
    breakdown = fields.Field(column_name="breakdown", readonly=True)
    value = fields.Field(column_name="value", readonly=True)
    missing_reason = fields.Field(column_name="missing_reason", readonly=True)
    respondents = fields.Field(attribute="respondents", column_name="respondents", readonly=True, widget=NUMBER)
    note = fields.Field(attribute="footnote", column_name="note", readonly=True)
    source = fields.Field(attribute="source_ref", column_name="source", readonly=True)

    # The export page's names for the columns (reporting.uploads.SwedishExportForm).
    column_labels = {"indicator_code": _("Indikatorkod"), "year": _("År"), "area": _("Område"),
                     "breakdown": _("Uppdelning"), "value": _("Värde"), "missing_reason": _("Orsak till saknat värde"),
                     "respondents": _("Antal svarande"), "note": _("Fotnot"), "source": _("Källa")}

    class Meta:
        model = Value
        fields = ["indicator_code", "year", "area", "breakdown", "value", "missing_reason", "respondents", "note",
                  "source"]

    def __init__(self, *, user=None, **kwargs):
        super().__init__(**kwargs)
        self.user = user

    @classmethod
    def get_display_name(cls):
        return gettext("Värden (långt format)")

    def import_data(self, dataset, dry_run=False, preview_versions=None, **kwargs):
        """The pipeline, for the admin's preview (dry_run) and confirm (with what the preview saw)."""
        return import_values(as_frame(dataset), user=self.user, dry_run=dry_run, preview_versions=preview_versions)

    # --- how a row looks in an export ------------------------------------------------------------

    def export_resource(self, instance, selected_fields=None, **kwargs):
        # A footnote or source typed as =HYPERLINK(…) must not become a formula in the reader's Excel.
        return neutralise_row(super().export_resource(instance, selected_fields, **kwargs))

    def dehydrate_indicator_code(self, value):
        return value.series.indicator.code

    def dehydrate_area(self, value):
        return value.area.name

    def dehydrate_breakdown(self, value):
        return value.series.display_label

    def dehydrate_value(self, value):
        return format_number(value.value).replace(".", ",")

    def dehydrate_missing_reason(self, value):
        return MISSING_LABELS.get(value.missing_reason, "")


class ValueImportAdminMixin(PipelineAdminMixin, SafeImportMixin, ImportExportMixin):
    """Adds "Importera" to the values admin (choose a file and a format, see the preview, confirm)
    and "Exportera" of the selected or filtered values in the same long format."""

    resource_classes = [ValueResource]
    import_formats = VALUE_IMPORT_FORMATS
    export_formats = [CSV, XLSX]
    import_template_name = "admin/indicators/value/import.html"
    import_noun = "värden"  # sv-only: goes into the admin log's Swedish entry (reporting.importing)

    def get_import_resource_kwargs(self, request, **kwargs):
        return {"user": request.user}

    def has_import_permission(self, request):
        return request.user.has_perms(["indicators.add_value", "indicators.change_value"])
