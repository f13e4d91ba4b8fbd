import re
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from strategy.models import Goal, Organisation, Strategy, ViolenceType
from reporting.models import Reviewed, ReviewedQuerySet, reviewed_history

NUMBER_RE = re.compile(r"^(\d+)[.:](\d+)$")


class ActionPlan(models.Model):
    class Kind(models.TextChoices):
        REGIONAL = "regional", _("Regional handlingsplan")
        LOCAL = "local", _("Lokal handlingsplan eller program")

    strategy = models.ForeignKey(Strategy, on_delete=models.PROTECT, related_name="plans", verbose_name=_("strategi"))
    slug = models.SlugField(_("adress"), unique=True)
    title = models.CharField(_("titel"), max_length=300)
    kind = models.CharField(_("typ"), max_length=10, choices=Kind.choices, default=Kind.REGIONAL)
    owner = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="plans", verbose_name=_("ägare")
    )
    start_year = models.PositiveSmallIntegerField(_("från år"))
    end_year = models.PositiveSmallIntegerField(_("till år"))
    report_number = models.CharField(_("rapportnummer"), max_length=20, blank=True)
    adopted = models.CharField(_("beslutad"), max_length=200, blank=True)
    vision = models.TextField(_("vision"), blank=True)
    description = models.TextField(_("beskrivning"), blank=True)
    follow_up = models.TextField(_("uppföljning"), blank=True)
    remarks = models.TextField(_("synpunkter"), blank=True, help_text=_("En synpunkt per rad, t.ex. från remissvar."))
    source = models.CharField(_("källa"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("handlingsplan")
        verbose_name_plural = _("handlingsplaner")
        ordering = ["kind", "title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_year__gte=models.F("start_year")), name="actionplan_period_ordered"
            )
        ]

    def __str__(self):
        return self.title

    @property
    def is_local(self):
        return self.kind == self.Kind.LOCAL

    @property
    def item_words(self):
        """What the plan calls its items: ItemWords, lower case (a template capitalises with |capfirst)."""
        return ITEM_WORDS[self.kind]


class ItemWords(NamedTuple):
    one: str
    the_one: str
    many: str
    the_many: str


# In one place: a local plan's items are measures (åtgärder), the regional plan's commitments (åtaganden).
ITEM_WORDS = {
    ActionPlan.Kind.LOCAL: ItemWords(_("åtgärd"), _("åtgärden"), _("åtgärder"), _("åtgärderna")),
    ActionPlan.Kind.REGIONAL: ItemWords(_("åtagande"), _("åtagandet"), _("åtaganden"), _("åtagandena")),
}


class PlanGoal(models.Model):
    """A local plan's own goal or focus area, linked to the regional goal(s) it follows.

    The regional plan's commitments point at a regional goal directly; a local
    plan's measures point at one of these, which carries the regional link.
    """

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="plan_goals", verbose_name=_("plan"))
    # Blank where the document quotes a goal without a number (Stockholms stad's programme).
    number = models.CharField(_("nummer"), max_length=10, blank=True)
    title = models.CharField(_("rubrik"), max_length=300)
    description = models.TextField(_("beskrivning"), blank=True)
    prerequisites = models.TextField(
        _("för att nå dit behöver följande vara på plats"), blank=True, help_text=_("En punkt per rad.")
    )
    regional_goals = models.ManyToManyField(
        Goal, blank=True, related_name="plan_goals", verbose_name=_("regionala mål som följs")
    )
    note = models.TextField(_("anteckning"), blank=True)
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)

    class Meta:
        verbose_name = _("lokalt mål eller fokusområde")
        verbose_name_plural = _("lokala mål och fokusområden")
        ordering = ["plan", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "number"],
                condition=~models.Q(number=""),
                name="plangoal_unique_number",
                violation_error_message=_("Planen har redan ett mål eller fokusområde med det numret."),
            ),
        ]

    def __str__(self):
        return f"{self.number}. {self.title}" if self.number else self.title

    @property
    def prerequisite_list(self):
        return [line.strip() for line in self.prerequisites.splitlines() if line.strip()]


class PreventionLevel(models.Model):
    code = models.SlugField(_("kod"), unique=True)
    name = models.CharField(_("namn"), max_length=50)
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)

    class Meta:
        verbose_name = _("preventionsnivå")
        verbose_name_plural = _("preventionsnivåer")
        ordering = ["order"]

    def __str__(self):
        return self.name


def reported_by(organisation):
    """The commitments and measures `organisation` reports on, as a condition.

    It leads or shares a commitment; a municipality also answers for every measure
    of its own local plan, whichever of its committees carries it, while a
    committee answers only for its own measures.
    """
    return (
        models.Q(lead_organisations=organisation)
        | models.Q(co_organisations=organisation)
        | models.Q(plan__kind=ActionPlan.Kind.LOCAL, plan__owner=organisation)
    )


def reporting_pairs():
    """Every (organisation id, commitment id) where the organisation reports on the commitment.

    The same rule as `reported_by`, for all organisations at once (three queries), for
    pages that list every organisation's tasks.
    """
    pairs = set(Commitment.lead_organisations.through.objects.values_list("organisation_id", "commitment_id"))
    pairs |= set(Commitment.co_organisations.through.objects.values_list("organisation_id", "commitment_id"))
    pairs |= set(Commitment.objects.filter(plan__kind=ActionPlan.Kind.LOCAL).values_list("plan__owner_id", "pk"))
    return pairs


class CommitmentQuerySet(models.QuerySet):
    def reported_by(self, organisation):
        return self.filter(pk__in=Commitment.objects.filter(reported_by(organisation)).values("pk"))


class Commitment(models.Model):
    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="commitments", verbose_name=_("handlingsplan"))
    goal = models.ForeignKey(
        Goal, null=True, blank=True, on_delete=models.PROTECT, related_name="commitments", verbose_name=_("regionalt mål")
    )
    plan_goal = models.ForeignKey(
        PlanGoal,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="measures",
        verbose_name=_("lokalt mål eller fokusområde"),
    )
    number = models.CharField(_("nummer"), max_length=10, help_text=_("T.ex. 2.10 eller 1:1"))
    # Derived from `number` so that 2.10 sorts after 2.9.
    number_major = models.PositiveSmallIntegerField(editable=False, default=0)
    number_minor = models.PositiveSmallIntegerField(editable=False, default=0)
    text = models.TextField(_("åtagande"))
    lead_organisations = models.ManyToManyField(
        Organisation, related_name="led_commitments", verbose_name=_("ansvarig organisation")
    )
    # The source names no one for some commitments; the follow-up then assumes the lead and
    # says why in `note`. The public pages show the assumption (fixtures/README.md, rule 5).
    lead_assumed = models.BooleanField(
        _("ansvarig antagen av uppföljningen"),
        default=False,
        help_text=_("Källan anger inte vem som är ansvarig; uppföljningen har antagit det (skälet står i anteckningen)."),
    )
    co_organisations = models.ManyToManyField(
        Organisation, blank=True, related_name="shared_commitments", verbose_name=_("medansvariga")
    )
    prevention_levels = models.ManyToManyField(PreventionLevel, blank=True, verbose_name=_("preventionsnivå"))
    violence_types = models.ManyToManyField(ViolenceType, blank=True, verbose_name=_("våldstyper"))
    note = models.TextField(_("anteckning"), blank=True)

    objects = CommitmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("åtagande")
        verbose_name_plural = _("åtaganden")
        ordering = ["plan", "number_major", "number_minor"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "number"],
                name="commitment_unique_number",
                violation_error_message=_("Handlingsplanen har redan ett åtagande med det numret."),
            ),
            models.CheckConstraint(
                condition=models.Q(goal__isnull=False) | models.Q(plan_goal__isnull=False),
                name="commitment_has_goal",
                violation_error_message=_("Ange ett regionalt mål eller planens eget mål eller fokusområde."),
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.text[:70]}"

    @property
    def label(self):
        """"Åtgärd 1:1" in a local plan, "Åtagande 2.10" in the regional one (the plan names its items)."""
        return f"{self.plan.item_words.one.capitalize()} {self.number}"

    def clean(self):
        if not NUMBER_RE.match(self.number or ""):
            raise ValidationError({"number": gettext("Numret ska skrivas som mål och löpnummer, t.ex. 2.10.")})
        if self.goal_id is None and self.plan_goal_id is None:
            raise ValidationError(gettext("Ange ett regionalt mål eller planens eget mål eller fokusområde."))

    @property
    def regional_goals(self):
        """The regional goals this commitment or measure follows."""
        if self.goal_id:
            return [self.goal]
        return list(self.plan_goal.regional_goals.all()) if self.plan_goal_id else []

    def save(self, *args, **kwargs):
        match = NUMBER_RE.match(self.number or "")
        if match:
            self.number_major, self.number_minor = int(match[1]), int(match[2])
        super().save(*args, **kwargs)


class StatusCategory(models.TextChoices):
    DONE = "done", _("Genomförd")
    ONGOING = "ongoing", _("Pågående")
    NOT_STARTED = "not_started", _("Ej påbörjad")
    NOT_DONE = "not_done", _("Ej genomförd under året")
    NOT_FOLLOWED_UP = "not_followed_up", _("Ej uppföljd")
    UNSPECIFIED = "unspecified", _("Ej angiven")


class StatusReport(Reviewed):
    # No index of its own: the unique key (commitment, year, organisation) begins with it.
    commitment = models.ForeignKey(
        Commitment, on_delete=models.CASCADE, related_name="status_reports", verbose_name=_("åtagande"),
        db_index=False,
    )
    year = models.PositiveSmallIntegerField(_("år"))
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="status_reports", verbose_name=_("rapporterande organisation")
    )
    category = models.CharField(
        _("status"), max_length=20, choices=StatusCategory.choices, default=StatusCategory.UNSPECIFIED
    )
    text = models.TextField(_("redovisning"), blank=True)

    history = reviewed_history("commitment", "organisation")
    objects = ReviewedQuerySet.as_manager()

    class Meta(Reviewed.Meta):
        verbose_name = _("statusrapport")
        verbose_name_plural = _("statusrapporter")
        ordering = ["-year", "commitment__number_major", "commitment__number_minor"]
        constraints = [
            models.UniqueConstraint(
                fields=["commitment", "year", "organisation"],
                name="statusreport_unique_per_year",
                violation_error_message=_("Organisationen har redan en statusrapport för åtagandet det året."),
            ),
        ]

    def __str__(self):
        return f"{self.commitment.number} {self.year} ({self.organisation})"

    # The write policy's view of a status report (reporting.policy).
    subject_field = "commitment"
    empty_message = _("Välj en status (inte Ej angiven) och skriv en redovisning innan rapporten skickas in.")

    @property
    def reporting_organisation_id(self):
        return self.organisation_id

    @property
    def policy_subject_id(self):
        return self.commitment_id

    @property
    def says_something(self):
        return self.category != StatusCategory.UNSPECIFIED and bool(self.text.strip())

    @classmethod
    def reportable_subject_ids(cls, organisation):
        return Commitment.objects.reported_by(organisation).values_list("pk", flat=True)

    @classmethod
    def out_of_scope_message(cls, organisation):
        return gettext(
            "%(organisation)s varken leder eller delar ansvaret för åtagandet och kan inte rapportera på det."
        ) % {"organisation": organisation}
