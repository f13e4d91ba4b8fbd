"""Small builders for test data that the real data does not provide."""

from indicators.models import Indicator, Series
from strategy.models import Area, Goal


def indicator(code="9.I99", unit="percent", period_kind="calendar", slug=None, **kwargs):
    ind = Indicator.objects.create(
        goal=kwargs.pop("goal", None) or Goal.objects.get(number=1),
        code=code,
        slug=slug or f"test-{code.replace('.', '-').lower()}",
        title=kwargs.pop("title", f"Testindikator {code}"),
        unit=unit,
        period_kind=period_kind,
        area=kwargs.pop("area", None) or Area.objects.get(slug="stockholms-lan"),
        **kwargs,
    )
    return ind


def headline(ind, label=""):
    return Series.objects.create(indicator=ind, key=label, label=label, is_headline=not label)
