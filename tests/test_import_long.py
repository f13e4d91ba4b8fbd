"""Import of values in the long format: admin preview and confirm, every kind of bad row, scope, round trip."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from indicators.formats import VALUE_IMPORT_FORMATS, LongCSV
from indicators.importing import import_values_csv
from indicators.models import Value
from strategy.models import Area, Organisation
from reporting.models import State
from tests import factories
from tests.reporting import open_round

HEADER = "indicator_code,year,area,breakdown,value,missing_reason,respondents,note\n"


def csv_file(*rows):
    return HEADER + "".join(row + "\n" for row in rows)


def admin_preview(client, text, fmt=LongCSV, name="varden.csv"):
    upload = SimpleUploadedFile(name, text.encode() if isinstance(text, str) else text)
    return client.post(
        reverse("admin:indicators_value_import"),
        {"format": VALUE_IMPORT_FORMATS.index(fmt), "resource": 0, "import_file": upload},
    )


def admin_confirm(client, preview):
    form = preview.context["confirm_form"]
    data = {name: form.initial.get(name, field.initial) for name, field in form.fields.items()}
    return client.post(reverse("admin:indicators_value_process_import"), {k: v for k, v in data.items() if v is not None})


def stored(code, label, area_slug, year):
    return Value.objects.get(series__indicator__code=code, series__label=label, area__slug=area_slug, year=year)


@pytest.fixture
def percent_indicator(db):
    ind = factories.indicator("9.I90", unit="percent", decimals=1)
    factories.headline(ind)
    return ind


@pytest.mark.django_db
def test_it_previews_new_updated_unchanged_then_confirms(coordinator_client, coordinator):
    text = csv_file(
        '1.I2,2022,Stockholms län,"Flickor, År 2 på gymnasiet","6,6",,,',  # unchanged
        '1.I2,2023,Stockholms län,"Flickor, åk 8","7,1",,120,Ny enkät',  # words in another order and case
        "1.I2,2021,0180,År 2 på gymnasiet,7.0,,,",  # new, area by code
    )
    before = Value.objects.count()
    preview = admin_preview(coordinator_client, text)
    html = preview.content.decode()
    assert "Förhandsgranskning" in html
    assert "Ny" in html and "Oförändrad" in html
    assert preview.context["result"].totals["skip"] == 1
    assert Value.objects.count() == before, "the preview writes nothing"

    admin_confirm(coordinator_client, preview)
    new = stored("1.I2", "År 2 på gymnasiet", "kommun-0180", 2021)
    assert new.value == Decimal("7") and new.state == State.DRAFT
    assert new.history.first().history_type == "+"
    assert new.history.first().history_user == coordinator


@pytest.mark.django_db
def test_it_marks_a_changed_value_as_update_and_sends_it_back_to_review(coordinator_client):
    approved = stored("1.I2", "Flickor, År 2 på gymnasiet", "stockholms-lan", 2022)
    assert approved.state == State.APPROVED
    preview = admin_preview(coordinator_client, csv_file('1.I2,2022,stockholms-lan,"Flickor, År 2 på gymnasiet","6,4",,,'))
    assert "Ändras" in preview.content.decode()
    admin_confirm(coordinator_client, preview)
    approved.refresh_from_db()
    assert approved.value == Decimal("6.4")
    assert approved.state == State.DRAFT and approved.approved_at is None
    assert approved.history.first().history_type == "~"


BAD_ROWS = [
    ("9.X99,2022,Stockholms län,Totalt,5,,,", "Okänd indikator"),
    ("9.I90,2022,Atlantis,Totalt,5,,,", "Okänt område"),
    ("9.I90,2022,Stockholms län,Flickor,5,,,", "Okänd uppdelning"),
    ("9.I90,2022,Stockholms län,Totalt,105,,,", "mellan 0 och 100"),
    ("9.I90,2022,Stockholms län,Totalt,-1,,,", "negativt"),
    ("9.I90,2022,Stockholms län,Totalt,mycket,,,", "inget tal"),
    ("9.I90,tjugo,Stockholms län,Totalt,5,,,", "Ogiltigt år"),
    ("9.I90,1850,Stockholms län,Totalt,5,,,", "inte rimligt"),
    ("9.I90,2022/2023,Stockholms län,Totalt,5,,,", "kalenderår"),
    ("9.I90,2022,Stockholms län,Totalt,,okänd,,", "Okänd orsak"),
    ("9.I90,2022,Stockholms län,Totalt,,,,Siffran kommer senare", "Ange ett värde"),  # a row left empty is skipped
    ("9.I90,2022,Stockholms län,Totalt,5,Ej tillgänglig,,", "inte båda"),
    ("9.I90,2022,Stockholms län,Totalt,5,,många,", "heltal"),
]


@pytest.mark.django_db
@pytest.mark.parametrize("bad_row,message", BAD_ROWS)
def test_it_imports_nothing_when_any_row_is_bad(coordinator_client, percent_indicator, bad_row, message):
    good = "9.I90,2021,Stockholms län,Totalt,5,,,"
    before = Value.objects.count()
    preview = admin_preview(coordinator_client, csv_file(good, bad_row))
    html = preview.content.decode()
    assert "Inget importerades" in html and message in html
    assert "confirm_form" not in preview.context or not preview.context["confirm_form"]
    assert Value.objects.count() == before


@pytest.mark.django_db
def test_it_lists_every_bad_row_with_its_line(coordinator, percent_indicator):
    result = import_values_csv(
        csv_file(
            "9.I90,2021,Stockholms län,Totalt,5,,,",
            "9.I90,2021,Stockholms län,Totalt,6,,,",
            "9.I90,2022,Stockholms län,Totalt,500,,,",
        ),
        user=coordinator,
    )
    errors = {row.number: row.error_dict for row in result.invalid_rows}
    assert set(errors) == {2, 3}
    assert "Dubblett: rad 1" in errors[2]["breakdown"][0]
    assert not Value.objects.filter(series__indicator=percent_indicator).exists()


@pytest.mark.django_db
def test_it_refuses_a_file_without_the_needed_columns(coordinator):
    result = import_values_csv("indicator_code,year\n1.I2,2022\n", user=coordinator)
    assert "saknar kolumnerna area, breakdown, value" in str(result.base_errors[0].error)


@pytest.mark.django_db
def test_it_skips_everything_on_reimport(coordinator, percent_indicator):
    text = csv_file("9.I90,2021,Stockholms län,Totalt,5,,,", "9.I90,2022,Stockholms län,Totalt,x,,,")
    first = import_values_csv(text, user=coordinator)
    assert first.totals["new"] == 2
    history = Value.history.count()
    second = import_values_csv(text, user=coordinator)
    assert second.totals["skip"] == 2 and second.totals["new"] == second.totals["update"] == 0
    assert Value.history.count() == history
    assert Value.objects.get(series__indicator=percent_indicator, year=2022).missing_reason == "too_few"


@pytest.mark.django_db
def test_it_round_trips_the_public_csv_without_changes(client, coordinator):
    exported = b"".join(client.get(reverse("values_csv")).streaming_content)
    before = list(Value.objects.order_by("pk").values_list("pk", "value", "missing_reason", "state", "version"))
    result = import_values_csv(exported, user=coordinator)
    assert not result.has_validation_errors() and not result.has_errors()
    assert result.totals["skip"] == len(before) and result.totals["new"] == result.totals["update"] == 0
    after = list(Value.objects.order_by("pk").values_list("pk", "value", "missing_reason", "state", "version"))
    assert after == before


@pytest.mark.django_db
def test_it_lets_a_reporter_import_only_its_own_indicators(client, make_user, percent_indicator):
    reporter = make_user("rapportor-skolinsp", "skolinspektionen", "rapportor")
    other = make_user("rapportor-polisen", "polisen", "rapportor")
    open_round(2021)  # a reporter imports only into an open reporting round
    text = csv_file('1.I2,2021,Stockholms län,"Pojkar, Åk 8 i grundskolan","7,2",,,')
    assert import_values_csv(text, user=reporter).totals["new"] == 1

    percent_indicator.responsible = Organisation.objects.get(slug="skolinspektionen")
    percent_indicator.save()
    client.force_login(other)
    preview = admin_preview(client, csv_file("9.I90,2021,Stockholms län,Totalt,5,,,"))
    assert "Du kan bara rapportera för din egen organisation" in preview.content.decode()
    assert not Value.objects.filter(series__indicator=percent_indicator).exists()


@pytest.mark.django_db
def test_it_reads_swedish_excel_csv_with_semicolons_and_missing_labels(coordinator, percent_indicator):
    text = "\ufeffindicator_code;year;area;breakdown;value;missing_reason\n9.I90;2022;Riket;Totalt;;För få fall / sekretess\n"
    result = import_values_csv(text.encode("utf-8"), user=coordinator)
    assert result.totals["new"] == 1
    value = Value.objects.get(series__indicator=percent_indicator, area=Area.objects.get(slug="riket"))
    assert value.missing_reason == "too_few" and value.value is None


@pytest.fixture
def school_reporter(make_user):
    """A reporter for Skolinspektionen, which is responsible for 1.I2."""
    return make_user("rapportor-skolinsp", "skolinspektionen", "rapportor")


def errors_of(result):
    return {row.number: [m for ms in row.error_dict.values() for m in ms] for row in result.invalid_rows}


@pytest.mark.django_db
def test_it_lets_a_reporter_import_only_into_an_open_reporting_round(school_reporter):
    text = csv_file(
        '1.I2,2021,Stockholms län,"Pojkar, Åk 8 i grundskolan","7,2",,,',
        '1.I2,2020,Stockholms län,"Pojkar, Åk 8 i grundskolan","7,0",,,',
    )
    result = import_values_csv(text, user=school_reporter)
    messages = errors_of(result)
    assert set(messages) == {1, 2}
    assert "Rapporteringsomgången 2021 är inte öppen" in messages[1][0]
    assert not Value.objects.filter(series__indicator__code="1.I2", year__in=[2020, 2021]).exists()

    open_round(2021)
    result = import_values_csv(text, user=school_reporter)
    assert set(errors_of(result)) == {2}, "2020 has no open round"
    assert not Value.objects.filter(series__indicator__code="1.I2", year=2021, area__slug="stockholms-lan",
                                    series__label="Pojkar, Åk 8 i grundskolan").exists(), "one bad row: nothing"


@pytest.mark.django_db
def test_it_never_lets_a_reporter_change_a_submitted_or_approved_value(school_reporter):
    approved = stored("1.I2", "Flickor, År 2 på gymnasiet", "stockholms-lan", 2022)
    assert approved.state == State.APPROVED and str(approved.value) == "6.6000"
    open_round(2022)
    unchanged = csv_file('1.I2,2022,Stockholms län,"Flickor, År 2 på gymnasiet","6,6",,,')
    assert import_values_csv(unchanged, user=school_reporter).totals["skip"] == 1, "unchanged rows change nothing"

    result = import_values_csv(unchanged.replace('"6,6"', '"6,4"'), user=school_reporter)
    assert "är godkänd och kan inte ändras" in errors_of(result)[1][0]
    approved.refresh_from_db()
    assert approved.value == Decimal("6.6") and approved.state == State.APPROVED

    approved.state = State.RETURNED  # sent back by a coordinator: the reporter may correct it
    approved.save()
    assert import_values_csv(unchanged.replace('"6,6"', '"6,4"'), user=school_reporter).totals["update"] == 1
    approved.refresh_from_db()
    # Like any content change by any path: a returned value stays returned until it is submitted again.
    assert approved.value == Decimal("6.4") and approved.state == State.RETURNED


@pytest.mark.django_db
def test_it_refuses_a_reporter_values_of_a_locked_year_unless_reopened(school_reporter, coordinator):
    from tests.reporting import publish_edition, value

    open_round(2025)
    draft = value(code="1.I2", year=2025, state=State.DRAFT, number="5")
    publish_edition(2025)  # the year is locked
    series = draft.series
    breakdown = series.label or "Totalt"
    text = csv_file(f'1.I2,2025,{draft.area.slug},"{breakdown}","5,5",,,')
    result = import_values_csv(text, user=school_reporter)
    assert "Lägesrapporten för 2025 är publicerad" in errors_of(result)[1][0]
    draft.refresh_from_db()
    assert draft.value == Decimal("5")

    draft.reopened_at = draft.updated_at  # a coordinator reopened this one value
    draft.save()
    assert import_values_csv(text, user=school_reporter).totals["update"] == 1
    assert import_values_csv(text.replace('"5,5"', '"5,6"'), user=coordinator).totals["update"] == 1


def test_it_shows_the_confirm_form_below_the_preview(coordinator_client):
    page = admin_preview(coordinator_client, csv_file("1.I2,2021,0180,År 2 på gymnasiet,7.0,,,")).content.decode()
    assert f'action="{reverse("admin:indicators_value_process_import")}"' in page
    assert 'name="confirm" value="Bekräfta import"' in page and "Avbryt importen" in page
