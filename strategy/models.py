import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# A name is one line: it goes into mail subjects and spreadsheet cells, where a line break
# would end the header (the mail is refused) or the row.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f\u2028\u2029\x85]")


def single_line(columns):
    """No line break in any of these columns (a condition for a CheckConstraint)."""
    condition = models.Q()
    for column in columns:
        condition &= ~models.Q(**{f"{column}__contains": "\n"}) & ~models.Q(**{f"{column}__contains": "\r"})
    return condition


# An organisation's names in every language (strategy/translation.py adds name_sv, name_en …): the
# database keeps each of them on one line, whichever language an edit or an update() writes.
NAME_COLUMNS = [
    f"{field}{suffix}" for field in ("name", "short_name") for suffix in ["", *(f"_{code}" for code, _ in settings.LANGUAGES)]
]


class Strategy(models.Model):
    slug = models.SlugField(_("kortnamn"), unique=True)
    title = models.CharField(_("titel"), max_length=300)
    start_year = models.PositiveSmallIntegerField(_("från år"))
    end_year = models.PositiveSmallIntegerField(_("till år"))
    vision = models.TextField(_("vision"))
    report_number = models.CharField(_("rapportnummer"), max_length=20, blank=True)
    publisher = models.CharField(_("utgivare"), max_length=200, blank=True)
    introduction = models.TextField(_("inledning"), blank=True)

    class Meta:
        verbose_name = _("strategi")
        verbose_name_plural = _("strategier")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_year__gte=models.F("start_year")),
                name="strategy_period_ordered",
            )
        ]

    def __str__(self):
        return self.title

    @property
    def period(self):
        return f"{self.start_year}–{self.end_year}"

    @property
    def first_report_year(self):
        """The yearly reports' series start the year before the strategy was adopted (2019)."""
        return self.start_year - 1

    def report_year_error(self, year):
        """Why `year` can have no round or Lägesrapport (outside the follow-up), or "" when it can."""
        if self.first_report_year <= year <= self.end_year:
            return ""
        return gettext("Året måste ligga inom strategins uppföljning, %(first)s–%(last)s.") % {
            "first": self.first_report_year, "last": self.end_year}


class ViolenceType(models.Model):
    slug = models.SlugField(_("kortnamn"), unique=True)
    name = models.CharField(_("namn"), max_length=100)
    definition = models.TextField(_("definition"), blank=True)
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)

    class Meta:
        verbose_name = _("våldstyp")
        verbose_name_plural = _("våldstyper")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class NationalGoal(models.Model):
    code = models.CharField(_("beteckning"), max_length=20, unique=True)
    title = models.CharField(_("titel"), max_length=300)
    description = models.TextField(_("beskrivning"), blank=True)
    source = models.CharField(_("källa"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("nationellt jämställdhetspolitiskt delmål")
        verbose_name_plural = _("nationella jämställdhetspolitiska delmål")
        ordering = ["code"]

    def __str__(self):
        return gettext("Delmål %(code)s: %(title)s") % {"code": self.code, "title": self.title}


class Goal(models.Model):
    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="goals", verbose_name=_("strategi"))
    number = models.PositiveSmallIntegerField(_("nummer"))
    title = models.CharField(_("målsättning"), max_length=300)
    short_name = models.CharField(_("kortnamn"), max_length=100)
    indicator_intro = models.TextField(_("om indikatorerna"), blank=True)
    national_goals = models.ManyToManyField(
        NationalGoal, blank=True, related_name="goals", verbose_name=_("nationella delmål")
    )

    class Meta:
        verbose_name = _("mål")
        verbose_name_plural = _("mål")
        ordering = ["strategy", "number"]
        constraints = [
            models.UniqueConstraint(fields=["strategy", "number"], name="goal_unique_number"),
            models.CheckConstraint(condition=models.Q(number__gte=1), name="goal_number_positive"),
        ]

    def __str__(self):
        return gettext("Mål %(number)s: %(name)s") % {"number": self.number, "name": self.short_name}

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("goal", args=[self.number])


class GoalItem(models.Model):
    """One bullet of a goal's lists: what must be in place, or a suggested measure."""

    PREREQUISITE = "prerequisite"
    MEASURE = "measure"
    NATIONAL_MEASURE = "national_measure"
    KIND_CHOICES = [
        (PREREQUISITE, _("För att nå dit behöver följande vara på plats")),
        (MEASURE, _("Förslag på åtgärder")),
        (NATIONAL_MEASURE, _("Förslag på åtgärder enligt delmål 6")),
    ]

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="items", verbose_name=_("mål"))
    kind = models.CharField(_("typ"), max_length=20, choices=KIND_CHOICES)
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)
    text = models.TextField(_("text"))

    class Meta:
        verbose_name = _("punkt under mål")
        verbose_name_plural = _("punkter under mål")
        ordering = ["goal", "kind", "order"]
        constraints = [
            models.UniqueConstraint(fields=["goal", "kind", "order"], name="goalitem_unique_position"),
        ]

    def __str__(self):
        return self.text[:80]


class Organisation(models.Model):
    AUTHORITY = "authority"
    REGION = "region"
    MUNICIPALITY = "municipality"
    CITY_DISTRICT = "city_district"
    COMMITTEE = "committee"
    COMPANY = "company"
    ASSOCIATION = "association"
    PARTNERSHIP = "partnership"
    KIND_CHOICES = [
        (AUTHORITY, _("Statlig myndighet")),
        (REGION, _("Region")),
        (MUNICIPALITY, _("Kommun")),
        (CITY_DISTRICT, _("Stadsdelsnämnd")),
        (COMMITTEE, _("Nämnd eller förvaltning")),
        (COMPANY, _("Kommunalt bolag")),
        (ASSOCIATION, _("Kommunförbund")),
        (PARTNERSHIP, _("Samverkansorgan")),
    ]

    slug = models.SlugField(_("kortnamn i adresser"), unique=True)
    name = models.CharField(_("namn"), max_length=200)
    short_name = models.CharField(_("kort namn"), max_length=100, blank=True)
    kind = models.CharField(_("typ"), max_length=20, choices=KIND_CHOICES)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name=_("ingår i")
    )
    municipality_code = models.CharField(_("kommunkod"), max_length=4, blank=True)
    description = models.TextField(_("roll enligt strategin"), blank=True)
    operation_kvinnofrid_member = models.BooleanField(_("ingår i Operation Kvinnofrid"), default=False)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisationer")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality_code"],
                condition=~models.Q(municipality_code=""),
                name="organisation_unique_municipality_code",
            ),
            models.CheckConstraint(
                condition=single_line(NAME_COLUMNS),
                name="organisation_name_single_line",
                violation_error_message=_("Namnet får inte innehålla radbrytningar."),
            ),
        ]

    def __str__(self):
        return self.short_name or self.name

    def clean(self):
        super().clean()
        errors = {
            field: gettext("Namnet ska stå på en rad, utan radbrytningar eller andra styrtecken.")
            for field in ("name", "short_name")
            if CONTROL_CHARACTERS.search(getattr(self, field) or "")
        }
        if errors:
            raise ValidationError(errors)

    @property
    def display_name(self):
        return self.short_name or self.name


class Area(models.Model):
    COUNTY = "county"
    POLICE_REGION = "police_region"
    PROSECUTION_AREA = "prosecution_area"
    NATION = "nation"
    NATIONAL_MEDIAN = "national_median"
    MUNICIPALITY = "municipality"
    KIND_CHOICES = [
        (COUNTY, _("Län")),
        (POLICE_REGION, _("Polisregion")),
        (PROSECUTION_AREA, _("Åklagarområde")),
        (NATION, _("Riket")),
        (NATIONAL_MEDIAN, _("Riket, median")),
        (MUNICIPALITY, _("Kommun")),
    ]
    # Areas a chart shows as the national comparison line.
    NATIONAL_KINDS = (NATION, NATIONAL_MEDIAN)

    slug = models.SlugField(_("kortnamn"), unique=True)
    name = models.CharField(_("namn"), max_length=100)
    kind = models.CharField(_("typ"), max_length=20, choices=KIND_CHOICES)
    code = models.CharField(_("kod"), max_length=10, blank=True, help_text=_("Kommunkod för kommuner, länskod för län."))
    description = models.TextField(_("beskrivning"), blank=True)

    class Meta:
        verbose_name = _("område")
        verbose_name_plural = _("områden")
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["code"], condition=~models.Q(code=""), name="area_unique_code"),
        ]

    def __str__(self):
        return self.name


class Membership(models.Model):
    """Which organisation a user reports for; staff without one see everything only if coordinators."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership", verbose_name=_("användare")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="members", verbose_name=_("organisation")
    )

    class Meta:
        verbose_name = _("organisationstillhörighet")
        verbose_name_plural = _("organisationstillhörigheter")

    def __str__(self):
        return f"{self.user} – {self.organisation}"
