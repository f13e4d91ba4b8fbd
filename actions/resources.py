"""Import and export of status reports (commitment number, year, organisation slug, category, text).

A reporter imports and exports only its own organisation's reports; a coordinator all.
Imported reports are drafts until reviewed; one bad row imports nothing.
"""

import io

from django.conf import settings
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from import_export import fields, resources, widgets
from import_export.admin import ImportExportMixin
from import_export.results import Error, Result, RowResult

from strategy.models import Organisation
from reporting.scoping import organisation_for, sees_everything
from reporting.policy import Action, Policy, Write, item_of
from reporting.spreadsheet import EXPORT_FORMATS, neutralise_row, xlsx_row
from reporting.uploads import NUL_MESSAGE, ChangedSincePreview, SafeImportMixin, TableCSV, TableXLSX, has_nul
from reporting.workflow import apply_content_state

from .models import ActionPlan, Commitment, StatusCategory, StatusReport

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
COLUMNS = ["plan", "commitment", "year", "organisation", "category", "text", "state"]
REQUIRED_IMPORT_COLUMNS = ["commitment", "year", "organisation", "category"]
CATEGORY_CODES = {**{code: code for code in StatusCategory.values},
                  **{label.casefold(): code for code, label in StatusCategory.choices}}


def scoped(queryset, user):
    if sees_everything(user):
        return queryset
    return queryset.filter(organisation=organisation_for(user))


class CappedResult(Result):
    """import-export's Result that knows how many bad rows were left out of the list."""

    def invalid_left_out(self):
        return self.totals[RowResult.IMPORT_TYPE_INVALID] - len(self.invalid_rows)


class KnownNames:
    """Plans, commitments, organisations and statuses read once, to check each row's cells in memory."""

    def __init__(self):
        self.plans = {plan.slug: plan for plan in ActionPlan.objects.all()}
        self.regional = next((p for p in self.plans.values() if p.kind == ActionPlan.Kind.REGIONAL), None)
        self.commitments = set(Commitment.objects.values_list("plan_id", "number"))
        self.organisations = set(Organisation.objects.values_list("slug", flat=True))

    def errors(self, row):
        """{column: [Swedish message]} for the cells of `row` that cannot be read; {} if none."""
        errors = {column: [NUL_MESSAGE] for column, cell in row.items() if has_nul(cell)}
        if errors:
            return errors
        plan_slug = str(row.get("plan") or "").strip()
        plan = self.plans.get(plan_slug) if plan_slug else self.regional
        if plan is None:
            errors["plan"] = [f"Okänd plan ”{plan_slug}”; ange planens kortnamn eller lämna kolumnen tom."]
        number = text_of(row.get("commitment"))
        if plan is not None and (plan.pk, number) not in self.commitments:
            errors["commitment"] = [f"Okänt åtagande ”{number}” i {plan}."]
        year = row.get("year")
        year = text_of(int(year) if isinstance(year, float) and year.is_integer() else year)  # 2024.0 from Excel
        if not (year.isascii() and year.isdigit()):
            errors["year"] = [f"Ogiltigt år ”{year}”; ange året med fyra siffror, t.ex. 2024."]
        elif plan is not None and not plan.start_year <= int(year) <= plan.end_year:
            errors["year"] = [f"Året {year} ligger utanför handlingsplanens år {plan.start_year}–{plan.end_year}."]
        slug = text_of(row.get("organisation"))
        if slug not in self.organisations:
            errors["organisation"] = [f"Okänd organisation ”{slug}”; ange kortnamnet, t.ex. polisen."]
        if text_of(row.get("category")).casefold() not in CATEGORY_CODES:
            labels = ", ".join(label for _, label in StatusCategory.choices)
            errors["category"] = [f"Okänd status ”{text_of(row.get('category'))}”; ange {labels}."]
        return errors


def text_of(cell):
    return "" if cell is None else str(cell).strip()


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
    column_labels = {"plan": "Plan", "commitment": "Åtagande", "year": "År", "organisation": "Organisation",
                     "category": "Status", "text": "Redovisning", "state": "Granskning"}

    class Meta:
        model = StatusReport
        fields = COLUMNS
        import_id_fields = ()
        use_transactions = True
        skip_unchanged = True
        report_skipped = True

    def __init__(self, *, user=None, **kwargs):
        super().__init__(**kwargs)
        self.user = user

    @classmethod
    def get_display_name(cls):
        return "Statusrapporter"

    def import_data(self, dataset, **kwargs):
        kwargs["rollback_on_validation_errors"] = True  # one bad row imports nothing
        refused = self.check_input(dataset)
        if refused is not None:
            return refused
        return super().import_data(dataset, **kwargs)

    # --- what the file says, before anything is looked up or written -----------------------------

    def check_input(self, dataset):
        """A Result with the file's input errors, or None if every row can be read.

        Columns, NUL characters, years outside the plan's years, unknown plans, commitments,
        organisations and statuses are checked for every row in one pass against dicts read once,
        before import-export's row-by-row import (which asks the database per row): a file of 60 000
        bad rows is refused in a second, and no cell PostgreSQL cannot take (NUL, a year beyond
        smallint) reaches a query. Who may write what is checked later, in parse_row."""
        result = self.get_result_class()()
        result.diff_headers = self.get_diff_headers()
        headers = [h.strip() if isinstance(h, str) else h for h in dataset.headers or []]
        missing = [c for c in REQUIRED_IMPORT_COLUMNS if c not in headers]
        if missing:
            result.append_base_error(Error(ValidationError(f"Filen saknar kolumnerna {', '.join(missing)}.")))
            return result
        dataset.headers = headers
        known = KnownNames()
        shown = settings.IMPORT_MAX_ERRORS_SHOWN
        for number, cells in enumerate(dataset, 1):
            row = dict(zip(headers, cells))
            errors = known.errors(row)
            if errors:
                result.totals[RowResult.IMPORT_TYPE_INVALID] += 1
                if len(result.invalid_rows) < shown:
                    result.append_invalid_row(number, row, ValidationError(errors))
        return result if result.totals[RowResult.IMPORT_TYPE_INVALID] else None

    def get_result_class(self):
        return CappedResult

    def before_import(self, dataset, **kwargs):
        self.regional = ActionPlan.objects.filter(kind=ActionPlan.Kind.REGIONAL).first()
        self.seen = {}
        # Every row's report as it was found: "commitment|year|organisation" → (version, 0 if none; label).
        # The preview keeps the versions; a confirm writes only if they are still the same (after_import).
        self.found = {}
        # Who may write which report, and the state it leaves: the write policy, its context read once.
        self.policy = Policy(self.user)

    def import_row(self, row, instance_loader, **kwargs):
        self.row_number = kwargs.get("row_number")
        self.dry_run = kwargs.get("dry_run", True)
        return super().import_row(row, instance_loader, **kwargs)

    def after_import(self, dataset, result, **kwargs):
        super().after_import(dataset, result, **kwargs)
        result.preview_versions = {key: version for key, (version, _) in self.found.items()}
        expected = kwargs.get("preview_versions")
        if not kwargs.get("dry_run", True) and expected is not None:
            changed = [label for key, (version, label) in self.found.items() if expected.get(key) != version]
            if changed:
                # Raised inside the import's transaction: import-export records it and rolls back every row.
                raise ChangedSincePreview(changed)

    def get_or_init_instance(self, instance_loader, row):
        commitment, year, organisation, category = self.parse_row(row)
        key = (commitment.pk, year, organisation.pk)
        if key in self.seen:
            raise ValidationError({"commitment": f"Dubblett av rad {self.seen[key]}."})
        self.seen[key] = self.row_number
        self.category = category
        existing = StatusReport.objects.filter(commitment=commitment, year=year, organisation=organisation)
        if not self.dry_run and transaction.get_connection().in_atomic_block:
            existing = existing.select_for_update()  # held until the confirm commits
        existing = existing.first()
        self.found["|".join(map(str, key))] = (existing.version if existing else 0,
                                               f"{commitment.number} {year} {organisation}")
        if existing:
            self.before = (existing.category, existing.text)
            return existing, False
        self.before = None
        return StatusReport(commitment=commitment, year=year, organisation=organisation), True

    def parse_row(self, row):
        errors = {}
        plan_slug = str(row.get("plan") or "").strip()
        plan = ActionPlan.objects.filter(slug=plan_slug).first() if plan_slug else self.regional
        number = str(row.get("commitment") or "").strip()
        commitment = Commitment.objects.filter(plan=plan, number=number).first() if plan else None
        if commitment is None:
            errors["commitment"] = [f"Okänt åtagande ”{number}” i {plan or 'handlingsplanen'}."]
        try:
            year = int(str(row.get("year") or "").strip())
        except ValueError:
            year = None
            errors["year"] = [f"Ogiltigt år ”{row.get('year')}”."]
        slug = str(row.get("organisation") or "").strip()
        organisation = Organisation.objects.filter(slug=slug).first()
        if organisation is None:
            errors["organisation"] = [f"Okänd organisation ”{slug}”; ange kortnamnet, t.ex. polisen."]
        category = CATEGORY_CODES.get(str(row.get("category") or "").strip().casefold())
        if category is None:
            labels = ", ".join(label for _, label in StatusCategory.choices)
            errors["category"] = [f"Okänd status ”{row.get('category')}”; ange {labels}."]
        if errors:
            raise ValidationError(errors)
        return commitment, year, organisation, category

    def import_instance(self, instance, row, **kwargs):
        instance.category = self.category
        instance.text = str(row.get("text") or "").strip()

    def skip_row(self, instance, original, row, import_validation_errors=None):
        return self.before == (instance.category, instance.text)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        # Runs for every row that would be written (not for skipped ones), preview and confirm alike.
        super().validate_instance(instance, import_validation_errors, validate_unique)
        before = item_of(StatusReport.objects.get(pk=instance.pk)) if instance.pk else None
        action = Action.CHANGE if before else Action.CREATE
        decision = self.policy.decide(Write(action, before=before, after=item_of(instance)))
        if not decision.allowed:
            field = decision.field if decision.field in COLUMNS else "commitment"
            raise ValidationError({field: decision.reason})
        self.resulting_state = decision.state

    def before_save_instance(self, instance, row, **kwargs):
        apply_content_state(instance, self.resulting_state)
        instance._change_reason = "Importerad från fil"

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
            sheets[org.pk].append(["Åtagande", "År", "Status", "Redovisning", "Granskning"])
        sheets[org.pk].append(xlsx_row(sheets[org.pk], [
            report.commitment.number, report.year, report.get_category_display(), report.text,
            report.get_state_display(),
        ]))
    if not sheets:
        book.create_sheet("Statusrapporter")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@admin.action(description="Ladda ner valda som Excel, en flik per organisation")
def download_status_reports_xlsx(modeladmin, request, queryset):
    reports = scoped(queryset, request.user).select_related("commitment", "organisation").order_by(
        "organisation__name", "commitment__number_major", "commitment__number_minor"
    )
    years = sorted({r.year for r in reports})
    name = "statusrapporter-" + ("-".join(str(y) for y in years) or "tom") + ".xlsx"
    response = HttpResponse(status_reports_xlsx(reports), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


class StatusReportImportExportMixin(SafeImportMixin, ImportExportMixin):
    """Import and export buttons on the status reports list, plus the per-organisation Excel action."""

    resource_classes = [StatusReportResource]
    # Files are read within the limits and encodings of reporting.uploads; exports are import-export's.
    import_formats = [TableCSV, TableXLSX]
    export_formats = EXPORT_FORMATS  # every CSV through reporting.spreadsheet
    import_template_name = "admin/actions/statusreport/import.html"

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
