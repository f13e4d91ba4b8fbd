"""The models' labels and messages in the user's language; the downloads' words Swedish in every language."""

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from indicators.models import Indicator
from indicators.selectors import MISSING_LABELS, published_value_rows
from indicators.units import Unit, check_value

pytestmark = pytest.mark.django_db


def test_it_shows_the_admin_in_english_to_a_user_who_chose_english(admin_client):
    indicator = Indicator.objects.get(code="1.I2")
    admin_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = admin_client.get(reverse("admin:indicators_indicator_change", args=[indicator.pk])).content.decode()
    assert "Measurement" in page and "Responsibility and types of violence" in page  # the fieldsets
    assert "Development indicator" in page  # a choice's label
    grid = admin_client.get(reverse("admin:indicators_indicator_values", args=[indicator.pk])).content.decode()
    assert "Values for 1.I2" in grid


def test_it_says_a_value_is_out_of_range_in_the_active_language():
    for language, message in [("sv", "En andel i procent måste ligga mellan 0 och 100."),
                              ("en", "A percentage must be between 0 and 100.")]:
        with translation.override(language), pytest.raises(ValidationError) as refused:
            check_value(Unit.PERCENT, 101)
        assert refused.value.messages == [message]


def test_it_keeps_the_data_files_words_swedish_when_english_is_active():
    """The downloads' rows and the words an imported file is read by (indicators.selectors), in an English admin."""
    with translation.override("en"):
        rows = list(published_value_rows())
        assert {row["kind"] for row in rows} == {"Indikator", "Utvecklingsindikator"}
        assert {row["unit"] for row in rows} >= {"Procent", "Antal"}
        assert list(MISSING_LABELS.values()) == ["För få fall / sekretess", "Ej tillgänglig", "Ej tillämplig"]
        assert str(Unit.PERCENT.label) == "Per cent"  # while the pages' labels are English
