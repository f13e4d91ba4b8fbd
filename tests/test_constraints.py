"""The database itself refuses duplicates and impossible rows (named constraints)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import CheckConstraint, UniqueConstraint

from actions.models import ActionPlan, Commitment, StatusReport
from indicators.models import Indicator, Series, Value
from reports.models import GoalSection, ReportEdition
from strategy.models import Area, Goal, Organisation, Strategy

from . import factories

pytestmark = pytest.mark.django_db


def refused(create, model, name):
    """Run `create`, which must break `model`'s constraint `name` and no other one."""
    constraint = next((c for c in model._meta.constraints if c.name == name), None)
    assert constraint is not None, f"{model.__name__} has no constraint {name}"
    with pytest.raises(IntegrityError) as exc, transaction.atomic():
        create()
    fired = exc.value.__cause__
    diag = getattr(fired, "diag", None)
    if diag is not None:  # PostgreSQL names the constraint (or the unique index) that fired
        assert diag.constraint_name == name
    else:
        assert str(fired) == sqlite_message(model, constraint)


def sqlite_message(model, constraint):
    """What SQLite says when `constraint` fires: a check by its name, a unique constraint by its columns.

    Two unique rules over the same columns would say the same thing, so such a pair
    cannot be told apart here and fails instead of passing for either.
    """
    if isinstance(constraint, CheckConstraint):
        return f"CHECK constraint failed: {constraint.name}"
    columns = unique_columns(model, constraint.fields)
    twins = [c.name for c in model._meta.constraints if isinstance(c, UniqueConstraint) and c is not constraint
             and c.fields and unique_columns(model, c.fields) == columns]
    twins += [f.name for f in model._meta.local_fields if f.unique and unique_columns(model, [f.name]) == columns]
    assert not twins, f"SQLite cannot tell {constraint.name} from {twins}"
    table = model._meta.db_table
    return "UNIQUE constraint failed: " + ", ".join(f"{table}.{column}" for column in columns)


def unique_columns(model, fields):
    return tuple(model._meta.get_field(f).column for f in fields)


def test_it_refuses_two_values_for_the_same_series_year_and_area():
    series = factories.headline(factories.indicator())
    area = Area.objects.get(slug="stockholms-lan")
    Value.objects.create(series=series, area=area, year=2023, value=Decimal("12"))
    refused(lambda: Value.objects.create(series=series, area=area, year=2023, value=Decimal("13")), Value, "value_unique_series_year_area")
    assert Value.objects.filter(series=series).count() == 1


def test_it_allows_the_same_year_for_another_area():
    series = factories.headline(factories.indicator())
    Value.objects.create(series=series, area=Area.objects.get(slug="stockholms-lan"), year=2023, value=1)
    Value.objects.create(series=series, area=Area.objects.get(slug="riket-median"), year=2023, value=2)
    assert series.values.count() == 2


def test_it_explains_the_duplicate_value_in_swedish():
    series = factories.headline(factories.indicator())
    area = Area.objects.get(slug="stockholms-lan")
    Value.objects.create(series=series, area=area, year=2023, value=1)
    with pytest.raises(ValidationError) as exc:
        Value(series=series, area=area, year=2023, value=2).full_clean()
    assert "Det finns redan ett värde för den här serien, året och området." in str(exc.value)


def test_it_refuses_a_value_with_both_a_number_and_a_missing_reason():
    series = factories.headline(factories.indicator())
    area = Area.objects.get(slug="stockholms-lan")
    refused(
        lambda: Value.objects.create(series=series, area=area, year=2022, value=1, missing_reason="too_few"),
        Value, "value_number_xor_missing_reason",
    )
    refused(lambda: Value.objects.create(series=series, area=area, year=2022), Value, "value_number_xor_missing_reason")
    Value.objects.create(series=series, area=area, year=2022, missing_reason="too_few")


def test_it_refuses_an_implausible_year():
    series = factories.headline(factories.indicator())
    area = Area.objects.get(slug="stockholms-lan")
    refused(lambda: Value.objects.create(series=series, area=area, year=1999, value=1), Value, "value_year_plausible")


def test_it_refuses_two_series_with_the_same_breakdown():
    ind = factories.indicator()
    Series.objects.create(indicator=ind, key="kon=kvinnor", label="Kvinnor")
    refused(lambda: Series.objects.create(indicator=ind, key="kon=kvinnor", label="K"), Series, "series_unique_breakdown")


def test_it_refuses_two_headline_series():
    ind = factories.indicator()
    Series.objects.create(indicator=ind, key="", is_headline=True)
    refused(lambda: Series.objects.create(indicator=ind, key="a=b", is_headline=True), Series, "series_one_headline")


def test_it_refuses_two_commitments_with_the_same_number_in_a_plan():
    plan = ActionPlan.objects.get(slug="handlingsplan-2024-2027")
    goal = Goal.objects.get(number=1)
    refused(lambda: Commitment.objects.create(plan=plan, goal=goal, number="1.1", text="Dubblett"), Commitment, "commitment_unique_number")


def test_it_refuses_two_status_reports_for_one_commitment_year_and_organisation():
    existing = StatusReport.objects.select_related("commitment", "organisation").first()
    refused(
        lambda: StatusReport.objects.create(
            commitment=existing.commitment, year=existing.year, organisation=existing.organisation, text="igen"
        ),
        StatusReport, "statusreport_unique_per_year",
    )


def test_it_refuses_two_sections_for_one_goal_in_an_edition():
    edition = ReportEdition.objects.create(strategy=Strategy.objects.get(), year=2031, title="Lägesrapport 2031")
    GoalSection.objects.create(edition=edition, goal=Goal.objects.get(number=1))
    refused(lambda: GoalSection.objects.create(edition=edition, goal=Goal.objects.get(number=1)), GoalSection, "goalsection_unique_goal")


def test_it_refuses_a_retired_indicator_without_last_data_year():
    refused(lambda: factories.indicator(code="9.I98", status="retired"), Indicator, "indicator_retired_has_last_year")


def test_it_refuses_two_organisations_with_one_municipality_code():
    refused(
        lambda: Organisation.objects.create(slug="dubblett", name="Dubblett", kind="municipality", municipality_code="0180"),
        Organisation, "organisation_unique_municipality_code",
    )
