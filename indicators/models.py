from django.core.exceptions import ValidationError
from django.conf import settings
from django.core.cache import cache
from django.db import models
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.urls import reverse
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import build_localized_fieldname

from strategy.models import Area, Goal, Organisation, ViolenceType
from reporting.models import Reviewed, ReviewedQuerySet, reviewed_history
from reporting.numbers import local_number

from .units import UNIT_SUFFIX, UNIT_WORD, Unit, check_value

FIRST_YEAR = 2000
LAST_YEAR = 2100


def year_range_message(first, last):
    return gettext("Året måste ligga mellan %(first)s och %(last)s.") % {"first": first, "last": last}


class PeriodKind(models.TextChoices):
    CALENDAR = "calendar", _("Kalenderår")
    SCHOOL = "school", _("Läsår")


def period_label(year, period_kind):
    """2022 → "2022" for a calendar year, "2022/2023" for a school year."""
    if period_kind == PeriodKind.SCHOOL:
        return f"{year}/{year + 1}"
    return str(year)


class IndicatorQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=Indicator.Status.ACTIVE)

    def in_use(self, year):
        """The indicators followed in `year`: active, or retired after it (its last year with data is `year` or later).

        A round for a past year still needs the values of an indicator retired since.
        """
        return self.filter(models.Q(status=Indicator.Status.ACTIVE) | models.Q(retired_last_year__gte=year))


class Indicator(models.Model):
    class Kind(models.TextChoices):
        INDICATOR = "indicator", _("Indikator")
        DEVELOPMENT = "development", _("Utvecklingsindikator")

    class Direction(models.TextChoices):
        INCREASE = "increase", _("Ökning är önskvärd")
        DECREASE = "decrease", _("Minskning är önskvärd")
        NEUTRAL = "neutral", _("Ingen önskad riktning")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Aktiv")
        RETIRED = "retired", _("Utgått")

    class Origin(models.TextChoices):
        BILAGA1 = "bilaga1", _("Strategins bilaga 1")
        REPORT = "report2024", _("Lägesrapport 2024")

    goal = models.ForeignKey(Goal, on_delete=models.PROTECT, related_name="indicators", verbose_name=_("mål"))
    report_goal = models.ForeignKey(
        Goal,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reported_indicators",
        verbose_name=_("redovisas under mål"),
        help_text=_("Om lägesrapporten redovisar indikatorn under ett annat mål än bilaga 1."),
    )
    code = models.CharField(_("kod"), max_length=20, unique=True)
    position = models.PositiveSmallIntegerField(_("ordning"), default=0)
    slug = models.SlugField(_("adress"), max_length=80, unique=True)
    title = models.CharField(_("indikator"), max_length=500)
    kind = models.CharField(_("typ"), max_length=12, choices=Kind.choices, default=Kind.INDICATOR)
    origin = models.CharField(_("ursprung"), max_length=12, choices=Origin.choices, default=Origin.BILAGA1)
    theme = models.CharField(_("tema"), max_length=200, blank=True)
    source = models.CharField(_("källa"), max_length=300, blank=True)
    unit = models.CharField(_("enhet"), max_length=12, choices=Unit.choices, default=Unit.PERCENT)
    decimals = models.PositiveSmallIntegerField(_("decimaler"), default=0)
    direction = models.CharField(
        _("önskad riktning"), max_length=10, choices=Direction.choices, default=Direction.NEUTRAL
    )
    period_kind = models.CharField(_("period"), max_length=10, choices=PeriodKind.choices, default=PeriodKind.CALENDAR)
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="+", verbose_name=_("område"), help_text=_("Området värdena avser.")
    )
    responsible = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="indicators",
        verbose_name=_("ansvarig organisation"),
    )
    # As Commitment.lead_assumed: the source names no one; the notes say why this organisation.
    responsible_assumed = models.BooleanField(
        _("ansvarig antagen av uppföljningen"),
        default=False,
        help_text=_("Källan anger inte vem som är ansvarig; uppföljningen har antagit det (skälet står i anteckningarna)."),
    )
    violence_types = models.ManyToManyField(ViolenceType, blank=True, related_name="indicators", verbose_name=_("våldstyper"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    retired_last_year = models.PositiveSmallIntegerField(_("senaste år med data"), null=True, blank=True)
    retired_reason = models.TextField(_("skäl till att indikatorn utgått"), blank=True)
    description = models.TextField(_("beskrivning"), blank=True)
    kolada_kpi = models.CharField(_("Kolada-KPI"), max_length=20, blank=True)

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        verbose_name = _("indikator")
        verbose_name_plural = _("indikatorer")
        ordering = ["goal__number", "kind", "position", "code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="active") | models.Q(retired_last_year__isnull=False),
                name="indicator_retired_has_last_year",
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.title}"

    def get_absolute_url(self):
        return reverse("indicator", args=[self.slug])

    def clean(self):
        if self.status == self.Status.RETIRED and self.retired_last_year is None:
            raise ValidationError({"retired_last_year": gettext("Ange senaste år med data för en indikator som utgått.")})

    def check_value(self, value):
        check_value(self.unit, value)

    def period_label(self, year):
        return period_label(year, self.period_kind)

    def format_value(self, value):
        if value is None:
            return ""
        # In the page's language (1\u00a0234,5 dagar / 1,234.5 days); the downloads keep their own notation.
        return local_number(value, self.decimals) + (f" {UNIT_WORD[self.unit]}" if self.unit in UNIT_WORD else UNIT_SUFFIX[self.unit])

    @property
    def shown_goal(self):
        """The goal under which the yearly report shows this indicator."""
        return self.report_goal or self.goal


class Dimension(models.Model):
    """A breakdown vocabulary: kön, ålder, årskurs, relation …"""

    code = models.SlugField(_("kod"), max_length=40, unique=True)
    name = models.CharField(_("namn"), max_length=100)
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)

    class Meta:
        verbose_name = _("uppdelning")
        verbose_name_plural = _("uppdelningar")
        ordering = ["order", "code"]

    def __str__(self):
        return self.name


class Category(models.Model):
    dimension = models.ForeignKey(Dimension, on_delete=models.CASCADE, related_name="categories", verbose_name=_("uppdelning"))
    code = models.SlugField(_("kod"), max_length=60)
    label = models.CharField(_("benämning"), max_length=300)
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)

    class Meta:
        verbose_name = _("kategori")
        verbose_name_plural = _("kategorier")
        ordering = ["dimension__order", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["dimension", "code"], name="category_unique_code"),
        ]

    def __str__(self):
        return f"{self.dimension.name}: {self.label}"


def breakdown_key(pairs):
    """Canonical text for a set of (dimension code, category code) pairs; "" is the total."""
    return "|".join(f"{d}={c}" for d, c in sorted(pairs))

# The categories' labels per language, as the pages read series labels (indicators.selectors.category_labels).
# v2: (label, language) pairs; a new key, so that a shared cache's older entries (labels only) are never read.
CATEGORY_LABELS_KEY = "indicators:category-labels:v2:%s"


@receiver([post_save, post_delete], sender=Category)
def forget_category_labels(**kwargs):
    cache.delete_many([CATEGORY_LABELS_KEY % code for code, _name in settings.LANGUAGES])



class Series(models.Model):
    """One line of an indicator's table: the headline or a combination of breakdown categories."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="series", verbose_name=_("indikator"))
    key = models.CharField(_("uppdelning (kod)"), max_length=300, blank=True, editable=False)
    label = models.CharField(_("uppdelning"), max_length=500, blank=True)
    categories = models.ManyToManyField(Category, blank=True, related_name="series", verbose_name=_("kategorier"))
    is_headline = models.BooleanField(_("huvudserie"), default=False)
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)
    # Where the source changes what a series measures (4.I5: 2023 counts referrals to social
    # services, 2024 support in the municipality's own services), the years before and after
    # are not one series: no trend is drawn across the break, and chart and table show it.
    break_year = models.PositiveSmallIntegerField(
        _("tidsseriebrott före år"),
        null=True,
        blank=True,
        help_text=_("Första året med den nya definitionen. Ingen trend räknas över brottet."),
    )
    break_note = models.TextField(
        _("om tidsseriebrottet"), blank=True, help_text=_("Varför serien bryts, med källans ord.")
    )

    class Meta:
        verbose_name = _("serie")
        verbose_name_plural = _("serier")
        ordering = ["indicator", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "key"], name="series_unique_breakdown"),
            models.UniqueConstraint(
                fields=["indicator"], condition=models.Q(is_headline=True), name="series_one_headline"
            ),
        ]

    def __str__(self):
        return f"{self.indicator.code} – {self.display_label}"

    @property
    def display_label(self):
        return self.label or "Totalt"  # sv-only: the total's label is data, as in the downloads and the API

    def clean(self):
        if self.break_year is not None and not self.break_note.strip():
            raise ValidationError({"break_note": gettext("Ange varför serien bryts.")})
        if self.break_year is not None and not FIRST_YEAR < self.break_year <= LAST_YEAR:
            raise ValidationError({"break_year": year_range_message(FIRST_YEAR + 1, LAST_YEAR)})

    @staticmethod
    def breakdown_of(categories):
        """(key, label) of a breakdown: the one place both are derived (label in dimension order).

        Used by the admin's series form, the importers and the loaders alike.
        """
        categories = sorted(categories, key=lambda c: (c.dimension.order, c.dimension.code))
        # The Swedish labels, whatever the language of the coordinator saving it: the stored label is data.
        swedish = build_localized_fieldname("label", "sv")
        return (breakdown_key((c.dimension.code, c.code) for c in categories),
                ", ".join(getattr(c, swedish) or c.label for c in categories))

    def duplicate_breakdown(self, key):
        """Whether another series of the indicator has this breakdown (series_unique_breakdown)."""
        return Series.objects.filter(indicator_id=self.indicator_id, key=key).exclude(pk=self.pk).exists()

    def set_categories(self, categories):
        """Set the breakdown and derive key and label from it."""
        self.key, self.label = self.breakdown_of(categories)
        self.save(update_fields=["key", "label"])
        self.categories.set(categories)


class MissingReason(models.TextChoices):
    TOO_FEW = "too_few", _("För få fall / sekretess")
    NOT_AVAILABLE = "not_available", _("Ej tillgänglig")
    NOT_APPLICABLE = "not_applicable", _("Ej tillämplig")


class ValueQuerySet(ReviewedQuerySet):
    def for_indicator(self, indicator):
        return self.filter(series__indicator=indicator)

    def on_pages(self):
        """Values the pages draw: the indicator's own area and the national comparison.

        The municipalities' values (most rows, as data grows) are in the downloads only.
        """
        return self.filter(
            models.Q(area_id=models.F("series__indicator__area_id")) | models.Q(area__kind__in=Area.NATIONAL_KINDS)
        )


class Value(Reviewed):
    # No index of its own: the unique key (series, year, area) begins with it.
    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="values", verbose_name=_("serie"),
                               db_index=False)
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="values", verbose_name=_("område"))
    year = models.PositiveSmallIntegerField(_("år"), help_text=_("För läsår: det första året (2022 = 2022/2023)."))
    value = models.DecimalField(_("värde"), max_digits=14, decimal_places=4, null=True, blank=True)
    missing_reason = models.CharField(_("orsak till saknat värde"), max_length=20, choices=MissingReason.choices, blank=True)
    respondents = models.PositiveIntegerField(_("antal svarande"), null=True, blank=True)
    footnote = models.TextField(_("fotnot"), blank=True)
    source_ref = models.CharField(
        _("hämtat från"), max_length=300, blank=True, help_text=_("Dokument och tabell eller avsnitt, t.ex. Lägesrapport 2024, Tabell 1.")
    )

    history = reviewed_history("area", "series")
    objects = ValueQuerySet.as_manager()

    class Meta(Reviewed.Meta):
        verbose_name = _("värde")
        verbose_name_plural = _("värden")
        # Column ids, not the related models: ordering by "series" would pull in the
        # series', indicator's and goal's own orderings as joins on every list.
        ordering = ["series_id", "area_id", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "year", "area"],
                name="value_unique_series_year_area",
                violation_error_message=_("Det finns redan ett värde för den här serien, året och området."),
            ),
            models.CheckConstraint(
                condition=(models.Q(value__isnull=False) & models.Q(missing_reason=""))
                | (models.Q(value__isnull=True) & ~models.Q(missing_reason="")),
                name="value_number_xor_missing_reason",
                violation_error_message=_("Ange antingen ett värde eller en orsak till att det saknas."),
            ),
            models.CheckConstraint(
                condition=models.Q(year__gte=FIRST_YEAR) & models.Q(year__lte=LAST_YEAR),
                name="value_year_plausible",
                violation_error_message=lazy(year_range_message, str)(FIRST_YEAR, LAST_YEAR),
            ),
        ]
        indexes = [
            *Reviewed.Meta.indexes,
            # Public pages and downloads read approved values only.
            models.Index(fields=["state", "year"], name="value_state_year_idx"),
        ]

    def __str__(self):
        return f"{self.series} {self.period_label} {self.area}"

    @property
    def period_label(self):
        return period_label(self.year, self.series.indicator.period_kind)

    # The write policy's view of a value (reporting.policy): the indicator's responsible organisation reports it.
    subject_field = "series"

    @property
    def reporting_organisation_id(self):
        return self.series.indicator.responsible_id

    @property
    def policy_subject_id(self):
        return self.series.indicator_id

    @classmethod
    def reportable_subject_ids(cls, organisation):
        return Indicator.objects.filter(responsible=organisation).values_list("pk", flat=True)

    @classmethod
    def out_of_scope_message(cls, organisation):
        return gettext("%(organisation)s ansvarar inte för indikatorn och kan inte rapportera dess värden.") % {
            "organisation": organisation
        }

    def clean(self):
        errors = {}
        if self.value is None and not self.missing_reason:
            errors["value"] = gettext("Ange ett värde eller en orsak till att det saknas.")
        if self.value is not None and self.missing_reason:
            errors["missing_reason"] = gettext("Ett värde som finns kan inte samtidigt ha en orsak till att det saknas.")
        if self.year is not None and not FIRST_YEAR <= self.year <= LAST_YEAR:
            errors["year"] = year_range_message(FIRST_YEAR, LAST_YEAR)
        if self.value is not None and self.series_id:
            try:
                self.series.indicator.check_value(self.value)
            except ValidationError as exc:
                errors["value"] = exc.messages
        if errors:
            raise ValidationError(errors)
