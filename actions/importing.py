"""The status reports' side of the import pipeline (reporting/importing.py): a row is a plan (optional,
the regional plan by default), a commitment number, a year, an organisation (slug), a status (label or
code) and a text. Plans, commitments and organisations are read in three queries whatever the file's
size, so the import costs the same number of queries for 1 row as for 10 000."""

import pandas as pd
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from reporting.importing import Adapter, Distinct, Kind, run_import
from strategy.models import Organisation

from .models import ActionPlan, Commitment, StatusCategory, StatusReport

COLUMNS = ["plan", "commitment", "year", "organisation", "category", "text", "state"]
REQUIRED_COLUMNS = ["commitment", "year", "organisation", "category"]


def swedish_category_labels():
    """code → the Swedish label, whatever the language: the words the files are written in."""
    with translation.override("sv"):
        return {code: str(label) for code, label in StatusCategory.choices}


def category_codes():
    """A status cell (code or Swedish label, any case) → its code."""
    return {**{code: code for code in StatusCategory.values},
            **{label.casefold(): code for code, label in swedish_category_labels().items()}}

STATUS_REPORTS = Kind(
    model=StatusReport,
    key=["commitment_id", "year", "organisation_id"],
    written=["category", "text"],
    # Where an import row shows the policy's refusal: the field it names if the file has it.
    policy_columns={name: name for name in COLUMNS},
    policy_column="commitment",
    duplicate_column="commitment",
)


class StatusReportImport(Adapter):
    kind = STATUS_REPORTS

    def resolve(self, rows):
        missing = [c for c in REQUIRED_COLUMNS if not rows.has(c)]
        if missing:
            raise ValidationError(f"Filen saknar kolumnerna {', '.join(missing)}.")
        clean = ~rows.bad()  # a row with a NUL anywhere is refused for that alone
        plans = {plan.slug: plan for plan in ActionPlan.objects.all()}
        regional = next((p for p in plans.values() if p.kind == ActionPlan.Kind.REGIONAL), None)
        numbers = set(rows.text("commitment")[clean])
        self.commitments = {(c.plan_id, c.number): c for c in Commitment.objects.filter(number__in=numbers).select_related("plan")}
        self.by_id = {c.pk: c for c in self.commitments.values()}
        self.organisations = {o.slug: o for o in Organisation.objects.filter(slug__in=set(rows.text("organisation")[clean]))}
        self.organisations_by_id = {o.pk: o for o in self.organisations.values()}

        def plan_of(slug):
            plan = plans.get(slug) if slug else regional
            if plan is None:
                raise ValidationError(_("Okänd plan ”%(plan)s”; ange planens kortnamn eller lämna kolumnen tom.") % {"plan": slug})
            return plan

        def commitment_of(slug, number):
            plan = plans.get(slug) if slug else regional
            if plan is None:
                return None  # the plan's own error says why
            commitment = self.commitments.get((plan.pk, number))
            if commitment is None:
                raise ValidationError(_("Okänt åtagande ”%(number)s” i %(plan)s.") % {"number": number, "plan": plan})
            return commitment

        def year_of(slug, text):
            if not (text.isascii() and text.isdigit()):
                raise ValidationError(_("Ogiltigt år ”%(year)s”; ange året med fyra siffror, t.ex. 2024.") % {"year": text})
            plan = plans.get(slug) if slug else regional
            if plan is not None and not plan.start_year <= int(text) <= plan.end_year:
                raise ValidationError(_("Året %(year)s ligger utanför handlingsplanens år %(first)s–%(last)s.")
                                      % {"year": text, "first": plan.start_year, "last": plan.end_year})
            return int(text)

        def organisation_of(slug):
            if slug not in self.organisations:
                raise ValidationError(_("Okänd organisation ”%(slug)s”; ange kortnamnet, t.ex. polisen.") % {"slug": slug})
            return self.organisations[slug].pk

        def category_of(text):
            codes = category_codes()
            if text.casefold() not in codes:
                raise ValidationError(_("Okänd status ”%(status)s”; ange %(labels)s.")
                                      % {"status": text, "labels": ", ".join(swedish_category_labels().values())})
            return codes[text.casefold()]

        def cells(*columns):
            return pd.DataFrame({c: rows.text(c) for c in columns}, index=rows.frame.index)

        plan = Distinct(cells("plan"), plan_of, where=clean)
        commitment = Distinct(cells("plan", "commitment"), commitment_of, where=clean)
        year = Distinct(cells("plan", "year"), year_of, where=clean)
        organisation = Distinct(cells("organisation"), organisation_of, where=clean)
        category = Distinct(cells("category"), category_of, where=clean)
        for column, parsed in (("plan", plan), ("commitment", commitment), ("year", year),
                               ("organisation", organisation), ("category", category)):
            rows.refuse(column, parsed.errors.notna(), parsed.errors)
        organisation_id = organisation.column()
        return pd.DataFrame({
            "commitment_id": commitment.column(lambda c: c.pk), "year": year.column(),
            "organisation_id": organisation_id, "category": category.column(), "text": rows.text("text"),
            "subject_id": commitment.column(lambda c: c.pk),
        }, index=rows.frame.index)

    def stored_rows(self, keys):
        return StatusReport.objects.filter(commitment_id__in=set(keys["commitment_id"]))

    def duplicate_error(self, first):
        return _("Dubblett av rad %(row)s.") % {"row": first}

    def found(self, plan):
        return plan["commitment_id"].astype(str) + "|" + plan["year"].astype(str) + "|" + plan["organisation_id"].astype(str)

    def label(self, row):
        organisation = self.organisations_by_id[row["organisation_id"]]
        return f"{self.by_id[row['commitment_id']].number} {row['year']} {organisation}"

    def preview(self, row, import_type):
        commitment = self.by_id[row["commitment_id"]]
        return None, [commitment.plan.slug, commitment.number, row["year"],
                      self.organisations_by_id[row["organisation_id"]].slug,
                      StatusCategory(row["category"]).label, row["text"]]


def import_status_reports(frame, *, user, dry_run=False, preview_versions=None):
    """Import status reports (a frame read by TableCSV or TableXLSX) as `user`; import-export's Result."""
    return run_import(StatusReportImport(user), frame, dry_run=dry_run, preview_versions=preview_versions)
