"""Import and export of status reports (commitment number, year, organisation slug, category, text).

A reporter imports and exports only its own organisation's reports; a coordinator all.
Imported reports are drafts until reviewed; one bad row imports nothing.
"""

import io

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from import_export import fields, resources
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV, XLSX

from strategy.models import Organisation
from reporting.scoping import organisation_for, sees_everything
from reporting.policy import Action, Policy, Write, item_of
from reporting.workflow import apply_content_state

from .models import ActionPlan, Commitment, StatusCategory, StatusReport

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
COLUMNS = ["plan", "commitment", "year", "organisation", "category", "text", "state"]
CATEGORY_CODES = {**{code: code for code in StatusCategory.values},
                  **{label.casefold(): code for code, label in StatusCategory.choices}}


def scoped(queryset, user):
    if sees_everything(user):
        return queryset
    return queryset.filter(organisation=organisation_for(user))


class StatusReportResource(resources.ModelResource):
    plan = fields.Field(column_name="plan", readonly=True)
    commitment = fields.Field(column_name="commitment", readonly=True)
    year = fields.Field(attribute="year", column_name="year", readonly=True)
    organisation = fields.Field(column_name="organisation", readonly=True)
    category = fields.Field(attribute="category", column_name="category", readonly=True)
    text = fields.Field(attribute="text", column_name="text", readonly=True)
    state = fields.Field(column_name="state", readonly=True)

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
        return super().import_data(dataset, **kwargs)

    def before_import(self, dataset, **kwargs):
        self.regional = ActionPlan.objects.filter(kind=ActionPlan.Kind.REGIONAL).first()
        self.seen = {}
        # Who may write which report, and the state it leaves: the write policy, its context read once.
        self.policy = Policy(self.user)

    def import_row(self, row, instance_loader, **kwargs):
        self.row_number = kwargs.get("row_number")
        return super().import_row(row, instance_loader, **kwargs)

    def get_or_init_instance(self, instance_loader, row):
        commitment, year, organisation, category = self.parse_row(row)
        key = (commitment.pk, year, organisation.pk)
        if key in self.seen:
            raise ValidationError({"commitment": f"Dubblett av rad {self.seen[key]}."})
        self.seen[key] = self.row_number
        self.category = category
        existing = StatusReport.objects.filter(commitment=commitment, year=year, organisation=organisation).first()
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
        sheets[org.pk].append(
            [report.commitment.number, report.year, report.get_category_display(), report.text, report.get_state_display()]
        )
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


class StatusReportImportExportMixin(ImportExportMixin):
    """Import and export buttons on the status reports list, plus the per-organisation Excel action."""

    resource_classes = [StatusReportResource]
    formats = [CSV, XLSX]

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
