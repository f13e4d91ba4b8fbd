"""The reviewed-item states, the abstract reviewed model, and the yearly reporting rounds.

draft → submitted → (returned → submitted)* → approved. Only approved items are
public. Once the year's report edition is published the year's round is locked;
a coordinator may reopen a single item with a reason.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from strategy.models import Strategy


class State(models.TextChoices):
    DRAFT = "draft", _("Utkast")
    SUBMITTED = "submitted", _("Inskickad")
    RETURNED = "returned", _("Återskickad")
    APPROVED = "approved", _("Godkänd")


# States in which the reporting organisation may still edit the item.
EDITABLE_BY_REPORTER = (State.DRAFT, State.RETURNED)


class ReviewedQuerySet(models.QuerySet):
    def published(self):
        return self.filter(state=State.APPROVED)


def reviewed_history(*subject_fields):
    """The history of a reviewed item (Value, StatusReport). An import writes a history row per item
    (reporting/importing.py), so the history table has no index on the columns no query reads (history is
    looked up by the item's id and date): the reviewers and `subject_fields`, the item's own foreign keys.
    Nor a foreign-key check of the user, which PostgreSQL would run once per row at the commit: Django
    sets a deleted user's history rows to NULL either way."""
    return HistoricalRecords(excluded_fields=["version"], user_db_constraint=False,
                             no_db_index=["approved_by", "reopened_by", *subject_fields])


class Reviewed(models.Model):
    state = models.CharField(_("status i granskningen"), max_length=10, choices=State.choices, default=State.DRAFT)
    reviewer_comment = models.TextField(_("kommentar från granskare"), blank=True)
    submitted_at = models.DateTimeField(_("inskickad"), null=True, blank=True)
    approved_at = models.DateTimeField(_("godkänd"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("godkänd av"),
        db_index=False,  # a partial index below
    )
    # Set while a coordinator has unlocked this one item after publication;
    # cleared again when it is re-approved. The reason stays for the record.
    reopened_at = models.DateTimeField(_("upplåst"), null=True, blank=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("upplåst av"),
        db_index=False,  # a partial index below
    )
    reopened_reason = models.TextField(_("skäl till upplåsning"), blank=True)
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    updated_at = models.DateTimeField(_("senast ändrad"), auto_now=True)
    # Bumped on every save; a form carries the version it was opened with, so
    # that a concurrent edit is refused instead of silently overwritten.
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        abstract = True
        # The reviewers are looked up only when a user is deleted (SET NULL), and only set rows are found
        # then: an index on the set ones alone costs an import's unreviewed rows nothing to maintain.
        indexes = [
            models.Index(fields=["approved_by"], condition=models.Q(approved_by__isnull=False),
                         name="%(app_label)s_%(class)s_approver"),
            models.Index(fields=["reopened_by"], condition=models.Q(reopened_by__isnull=False),
                         name="%(app_label)s_%(class)s_reopener"),
        ]

    def save(self, *args, **kwargs):
        if not self._state.adding:
            self.version += 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "version"}
        super().save(*args, **kwargs)

    @property
    def is_public(self):
        return self.state == State.APPROVED

    # What the write policy (reporting.policy) needs to know of an item; each model says how.
    subject_field = ""  # the field naming the commitment or indicator, for form and import errors
    empty_message = gettext_noop("Posten är tom.")  # translated where it is shown (reporting.policy)

    @property
    def reporting_organisation_id(self):
        """The organisation that reports this item."""
        raise NotImplementedError

    @property
    def policy_subject_id(self):
        """The commitment or indicator the item belongs to."""
        raise NotImplementedError

    @property
    def says_something(self):
        """Whether the item may be submitted and approved as it is."""
        return True

    @classmethod
    def reportable_subject_ids(cls, organisation):
        """Ids of the commitments or indicators `organisation` reports on."""
        raise NotImplementedError

    @classmethod
    def out_of_scope_message(cls, organisation):
        raise NotImplementedError

    @property
    def is_locked(self):
        return self.reopened_at is None and year_is_locked(self.year)


class ReportingRoundQuerySet(models.QuerySet):
    def open(self):
        return self.filter(is_open=True)

    def locked(self):
        return self.filter(locked_at__isnull=False)


class ReportingRound(models.Model):
    """A year's reporting round: while open, reporters write and submit that year's items.

    Publishing the year's report edition locks the round (the reports app tells
    it through reporting.services.reporting_years_lock): its items are then frozen
    until a coordinator reopens one.
    """

    year = models.PositiveSmallIntegerField(_("uppföljningsår"), unique=True)
    opens_on = models.DateField(
        _("öppnas"), null=True, blank=True, help_text=_("Den dag omgången planeras öppnas; visas för rapportörerna.")
    )
    deadline = models.DateField(_("sista dag att rapportera"))
    is_open = models.BooleanField(_("öppen"), default=False)
    opened_at = models.DateTimeField(_("öppnad"), null=True, blank=True)
    closed_at = models.DateTimeField(_("stängd"), null=True, blank=True)
    # Set only by publishing the year's report edition (reporting_years_lock): no form offers it.
    locked_at = models.DateTimeField(_("låst (lägesrapporten publicerad)"), null=True, blank=True, editable=False)

    objects = ReportingRoundQuerySet.as_manager()

    class Meta:
        # The table keeps the name it had when rounds lived in the actions app.
        db_table = "actions_reportinground"
        verbose_name = _("rapporteringsomgång")
        verbose_name_plural = _("rapporteringsomgångar")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(opens_on__isnull=True) | models.Q(deadline__gt=models.F("opens_on")),
                name="reportinground_deadline_after_opening",
                violation_error_message=_("Sista dag att rapportera måste komma efter den dag omgången öppnas."),
            ),
            models.CheckConstraint(
                condition=models.Q(locked_at__isnull=True) | models.Q(is_open=False),
                name="reportinground_locked_is_closed",
                violation_error_message=_("En låst omgång kan inte vara öppen."),
            ),
        ]

    def __str__(self):
        return gettext("Rapportering %(year)s") % {"year": self.year}

    def unique_error_message(self, model_class, unique_check):
        # Django's own sentence names the field, capitalised, mid-sentence: say it as the coordinator would.
        if unique_check == ("year",):
            return ValidationError(
                gettext("Det finns redan en rapporteringsomgång för %(year)s.") % {"year": self.year}, code="unique"
            )
        return super().unique_error_message(model_class, unique_check)

    def _stored_year(self):
        if self._state.adding or self.pk is None:
            return None
        return ReportingRound.objects.filter(pk=self.pk).values_list("year", flat=True).first()

    def _moved_from_locked_year(self):
        stored = self._stored_year()
        return stored is not None and stored != self.year and year_is_locked(stored)

    def clean(self):
        errors = {}
        if self.opens_on and self.deadline and self.deadline <= self.opens_on:
            errors["deadline"] = gettext("Sista dag att rapportera måste komma efter den dag omgången öppnas.")
        # The strategy's period is data, not schema: checked here, not by the database.
        strategy = Strategy.objects.order_by("id").first()
        if strategy and self.year is not None and strategy.report_year_error(self.year):
            errors["year"] = strategy.report_year_error(self.year)
        elif self._moved_from_locked_year():
            errors["year"] = str(MOVED_LOCKED)
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        # Also outside forms: a locked year's round stays where it is.
        if self._moved_from_locked_year():
            raise ValidationError(str(MOVED_LOCKED))
        adding = self._state.adding
        super().save(*args, **kwargs)
        if adding:
            # A round made for a year that is already locked is held by that lock (see LockedYear.reporting_round).
            LockedYear.objects.filter(year=self.year, reporting_round__isnull=True).update(reporting_round=self)

    def delete(self, *args, **kwargs):
        if year_is_locked(self.year):
            raise models.ProtectedError(
                gettext("Lägesrapporten för %(year)s är publicerad; omgången kan inte tas bort.") % {"year": self.year},
                {self},
            )
        return super().delete(*args, **kwargs)


MOVED_LOCKED = _("Lägesrapporten för omgångens år är publicerad; omgången kan inte flyttas till ett annat år.")


class LockedYear(models.Model):
    """A year covered by a published report edition: its items are frozen for everyone.

    Kept apart from the rounds because the years before the first round (loaded
    from the printed reports) are covered by a published edition too. Only the
    reports app writes these, through reporting.services.reporting_years_lock.
    """

    year = models.PositiveSmallIntegerField(_("år"), unique=True)
    locked_at = models.DateTimeField(_("låst"), auto_now_add=True)
    reason = models.CharField(_("skäl"), max_length=200)
    # The year's round, if there is one: the database refuses to delete a round whose year is locked.
    reporting_round = models.OneToOneField(
        ReportingRound,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lock",
        verbose_name=_("rapporteringsomgång"),
    )

    class Meta:
        verbose_name = _("låst år")
        verbose_name_plural = _("låsta år")
        ordering = ["year"]

    def __str__(self):
        return str(self.year)


def locked_years():
    """Years covered by a published report edition (and years whose round was locked)."""
    return set(LockedYear.objects.values_list("year", flat=True)) | set(
        ReportingRound.objects.locked().values_list("year", flat=True)
    )


def year_is_locked(year):
    return (
        LockedYear.objects.filter(year=year).exists() or ReportingRound.objects.locked().filter(year=year).exists()
    )


class Notification(models.Model):
    """One e-mail sent (or attempted) to one person: who was told what, when, about which round or item.

    The coordinator reads these to see who was told; the reminder command relies
    on the named unique constraint to never send the same reminder twice.
    """

    class Kind(models.TextChoices):
        ROUND_OPENED = "round_opened", _("Omgången har öppnat")
        RETURNED = "returned", _("Återskickad med kommentar")
        ORGANISATION_COMPLETE = "organisation_complete", _("Organisationen har skickat in allt")
        REMINDER_14 = "reminder_14", _("Påminnelse 14 dagar före sista dag")
        REMINDER_3 = "reminder_3", _("Påminnelse 3 dagar före sista dag")

    # Kinds sent at most once per round, organisation and address.
    ONCE_KINDS = (Kind.ORGANISATION_COMPLETE, Kind.REMINDER_14, Kind.REMINDER_3)

    kind = models.CharField(_("typ"), max_length=30, choices=Kind.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notifications",
        verbose_name=_("mottagare"),
    )
    email = models.EmailField(_("e-postadress"))
    organisation = models.ForeignKey(
        "strategy.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("gäller organisation"),
    )
    reporting_round = models.ForeignKey(
        ReportingRound,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notifications",
        verbose_name=_("rapporteringsomgång"),
    )
    item_label = models.CharField(_("gäller post"), max_length=300, blank=True)
    subject = models.CharField(_("ämne"), max_length=300)
    body = models.TextField(_("text"))
    body_html = models.TextField(_("text som HTML"), blank=True)
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    sent_at = models.DateTimeField(_("skickad"), null=True, blank=True)
    error = models.TextField(_("fel vid sändning"), blank=True)

    class Meta:
        verbose_name = _("utskick")
        verbose_name_plural = _("utskick")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["reporting_round", "kind", "organisation", "email"],
                condition=models.Q(kind__in=["organisation_complete", "reminder_14", "reminder_3"]),
                name="notification_once_per_round_organisation_address",
            ),
        ]

    def __str__(self):
        return gettext("%(kind)s till %(email)s") % {"kind": self.get_kind_display(), "email": self.email}
