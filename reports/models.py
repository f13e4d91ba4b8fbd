import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from indicators.models import Indicator
from strategy.models import Goal, Strategy

# Why a published edition refuses every write, on every path (admin, editor, seed, shell).
# Kept as Swedish str with a %(year)s placeholder; translated where it is raised: gettext(PUBLISHED_REFUSAL) % {...}.
PUBLISHED_REFUSAL = gettext_noop(
    "Lägesrapport %(year)s är publicerad och ändras inte. En rättelse läggs till som en daterad rättelse."
)


# A published report is a Swedish document: its body and its PDF are rendered in Swedish in every
# language of the site.
REPORT_LANGUAGE = "sv"


class ReportEditionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(state=ReportEdition.State.PUBLISHED)

    def delete(self):
        if self.published().exists():
            raise ValidationError(gettext("En publicerad lägesrapport kan inte tas bort."))
        return super().delete()


def isbn_adds_up(isbn):
    """Whether `isbn` (hyphens and spaces allowed) is an ISBN-13, or an older ISBN-10, whose check digit
    adds up: the weighted sum of its digits is a multiple of 10 (ISBN-13) or of 11 (ISBN-10, X = 10)."""
    compact = isbn.replace("-", "").replace(" ", "").upper()
    if len(compact) == 13 and compact.isascii() and compact.isdigit() and compact[:3] in ("978", "979"):
        return sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(compact)) % 10 == 0
    if len(compact) == 10 and compact[:9].isascii() and compact[:9].isdigit() and (compact[9].isdigit() or compact[9] == "X"):
        digits = [int(d) for d in compact[:9]] + [10 if compact[9] == "X" else int(compact[9])]
        return sum(d * w for d, w in zip(digits, range(10, 0, -1))) % 11 == 0
    return False


class ReportEdition(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("Utkast")
        PUBLISHED = "published", _("Publicerad")

    strategy = models.ForeignKey(Strategy, on_delete=models.PROTECT, related_name="editions", verbose_name=_("strategi"))
    year = models.PositiveSmallIntegerField(_("uppföljningsår"), unique=True)
    title = models.CharField(_("titel"), max_length=300)
    report_number = models.CharField(_("rapportnummer"), max_length=20, blank=True)
    isbn = models.CharField(_("ISBN"), max_length=20, blank=True)
    publication_year = models.PositiveSmallIntegerField(_("utgivningsår"), null=True, blank=True)
    publication_date = models.DateField(_("publiceringsdatum"), null=True, blank=True)
    author = models.CharField(_("författare"), max_length=200, blank=True)
    cover_credit = models.CharField(_("omslagsbild"), max_length=200, blank=True)
    foreword = models.TextField(_("förord"), blank=True)
    foreword_signature = models.TextField(_("förordets undertecknare"), blank=True)
    how_produced = models.TextField(_("hur lägesrapporten har tagits fram"), blank=True)
    how_produced_footnotes = models.TextField(_("fotnoter till hur rapporten tagits fram"), blank=True)
    how_to_use = models.TextField(_("hur lägesrapporten kan användas"), blank=True)
    results_intro = models.TextField(_("inledning till resultaten"), blank=True)
    summary_intro = models.TextField(_("inledning till sammanfattningen"), blank=True)
    state = models.CharField(_("status"), max_length=10, choices=State.choices, default=State.DRAFT)
    published_at = models.DateTimeField(_("publicerad"), null=True, blank=True)
    # What the edition shows, as published: {"values": [...], "status_reports": [...]}
    # (see reports.services.edition_snapshot). Written once when the edition is
    # published, so that a later correction, reopening or deletion of an item
    # never changes a published edition.
    snapshot = models.JSONField(_("innehåll vid publiceringen"), default=dict, blank=True, editable=False)
    # The report's main content exactly as it was published (title page to summary),
    # rendered once by reports.services.report_edition_publish. The published page and
    # its PDF are drawn from this alone, so no later edit of a goal, an indicator, an
    # organisation or this edition's own texts changes what was published.
    frozen_html = models.TextField(_("lägesrapporten vid publiceringen"), blank=True, editable=False)

    history = HistoricalRecords()
    objects = ReportEditionQuerySet.as_manager()

    class Meta:
        verbose_name = _("lägesrapport")
        verbose_name_plural = _("lägesrapporter")
        ordering = ["-year"]

    def __str__(self):
        return f"Lägesrapport {self.year}"  # sv-only: the Swedish document's name, in every language

    def get_absolute_url(self):
        return reverse("report", args=[self.year])

    def clean(self):
        # The ISBN is printed on the title page and in the PDF, which never change once published.
        if self.isbn and not isbn_adds_up(self.isbn):
            raise ValidationError({"isbn": gettext(
                "ISBN %(isbn)s stämmer inte: kontrollsiffran går inte ihop med de övriga siffrorna (eller så är "
                "antalet siffror fel). Skriv av det från ISBN-tilldelningen."
            ) % {"isbn": self.isbn}})

    @property
    def is_published(self):
        return self.state == self.State.PUBLISHED

    @property
    def earliest_correction_date(self):
        """The first day a rättelse of the edition can carry: the report on a year appears after it, and
        not before its own publication date (when it has one)."""
        after_the_year = datetime.date(self.year + 1, 1, 1)
        return max(after_the_year, self.publication_date) if self.publication_date else after_the_year

    @property
    def was_published(self):
        """Whether the stored row is published (an in-memory change of `state` does not count)."""
        return self.pk is not None and ReportEdition.objects.published().filter(pk=self.pk).exists()

    def save(self, *args, **kwargs):
        # The last guard behind the policy (reports.policy): whatever the path, a stored
        # published edition is written once more only by the publishing service itself.
        if self.was_published and not getattr(self, "_publishing", False):
            raise ValidationError(gettext(PUBLISHED_REFUSAL) % {"year": self.year})
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.was_published:
            raise ValidationError(gettext("En publicerad lägesrapport kan inte tas bort."))
        return super().delete(*args, **kwargs)

    @property
    def frozen_values(self):
        """The snapshot's values as the pages' value dicts (numbers as Decimal)."""
        return [
            {**row, "value": None if row["value"] is None else Decimal(row["value"])}
            for row in self.snapshot.get("values", [])
        ]


class EditionPart(models.Model):
    """A text that belongs to one edition; it never changes once the edition is published."""

    class Meta:
        abstract = True

    def _refuse_if_published(self):
        edition = ReportEdition.objects.filter(pk=self.edition_id).only("state", "year").first()
        if edition is not None and edition.is_published:
            raise ValidationError(gettext(PUBLISHED_REFUSAL) % {"year": edition.year})

    def save(self, *args, **kwargs):
        self._refuse_if_published()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._refuse_if_published()
        return super().delete(*args, **kwargs)


class GoalSection(EditionPart):
    edition = models.ForeignKey(ReportEdition, on_delete=models.CASCADE, related_name="sections", verbose_name=_("lägesrapport"))
    goal = models.ForeignKey(Goal, on_delete=models.PROTECT, related_name="report_sections", verbose_name=_("mål"))
    intro = models.TextField(_("inledande text"), blank=True)
    summary = models.TextField(_("sammanfattning"), blank=True)
    summary_footnotes = models.TextField(_("fotnoter till sammanfattningen"), blank=True)
    development_areas = models.TextField(_("utvecklingsområden"), blank=True, help_text=_("Ett utvecklingsområde per rad."))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("målavsnitt")
        verbose_name_plural = _("målavsnitt")
        ordering = ["edition", "goal__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "goal"],
                name="goalsection_unique_goal",
                violation_error_message=_("Lägesrapporten har redan ett avsnitt för målet."),
            ),
        ]

    def __str__(self):
        return f"{self.edition} – {self.goal}"

    @property
    def development_area_list(self):
        return [line.strip() for line in self.development_areas.splitlines() if line.strip()]


class IndicatorAnalysis(EditionPart):
    """An edition's commentary under one indicator: each year's report has its own.

    Paragraphs in light markup (reports.markup); a paragraph in square brackets is the
    follow-up's own remark, shown labelled as such.
    """

    edition = models.ForeignKey(ReportEdition, on_delete=models.CASCADE, related_name="analyses", verbose_name=_("lägesrapport"))
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="analyses", verbose_name=_("indikator"))
    text = models.TextField(_("analys"), blank=True)
    caption = models.TextField(
        _("tabell- eller diagramtext"),
        blank=True,
        help_text=_("Rapportens numrerade text till indikatorns tabell eller diagram, t.ex. ”Tabell 5. Sammanställning …”."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("analys av en indikator")
        verbose_name_plural = _("analyser av indikatorer")
        ordering = ["edition", "indicator__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "indicator"],
                name="indicatoranalysis_unique_indicator",
                violation_error_message=_("Lägesrapporten har redan en analys av indikatorn."),
            ),
        ]

    def __str__(self):
        return f"{self.edition} – {self.indicator.code}"


class Correction(models.Model):
    """A dated rättelse of a published edition: shown on it, never a silent edit."""

    edition = models.ForeignKey(ReportEdition, on_delete=models.PROTECT, related_name="corrections", verbose_name=_("lägesrapport"))
    corrected_on = models.DateField(_("datum"))
    text = models.TextField(_("rättelse"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("skriven av")
    )
    created_at = models.DateTimeField(_("sparad"), auto_now_add=True)

    class Meta:
        verbose_name = _("rättelse")
        verbose_name_plural = _("rättelser")
        ordering = ["edition", "corrected_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(text=""),
                name="correction_text_not_empty",
                violation_error_message=_("Skriv vad som rättas."),
            ),
        ]

    def __str__(self):
        return gettext("Rättelse %(date)s – %(edition)s") % {"date": self.corrected_on, "edition": self.edition}

    def clean(self):
        if not self.text.strip():
            raise ValidationError({"text": gettext("Skriv vad som rättas.")})
        # A rättelse is never changed or removed, so a mistyped date would stand on the edition for good.
        if self.corrected_on is not None and self.edition_id is not None:
            if self.corrected_on > timezone.localdate():
                raise ValidationError({"corrected_on": gettext("Datumet kan inte ligga i framtiden.")})
            earliest = self.edition.earliest_correction_date
            if self.corrected_on < earliest:
                raise ValidationError(
                    {
                        "corrected_on": gettext("Datumet ligger före lägesrapporten; välj ett datum från och med %(date)s.")
                        % {"date": date_format(earliest, "j F Y")}
                    }
                )

    def save(self, *args, **kwargs):
        # A correction is itself part of the published record: it is added, never rewritten.
        if self.pk is not None and Correction.objects.filter(pk=self.pk).exists():
            raise ValidationError(gettext("En rättelse ändras inte; lägg till en ny rättelse."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(gettext("En rättelse tas inte bort; lägg till en ny rättelse."))


class EditionPdf(models.Model):
    """The PDF of a published edition, made once by the worker and never changed afterwards.

    Kept in the database beside the edition it was made from (a few MB once a
    year): it is backed up with the edition, needs no media storage, and a row
    written once is simple to keep immutable (reports.tasks only ever fills a row
    that holds no PDF yet). Attempts and the last error are kept so that a failed
    run is seen in the admin, never lost.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("Skapas")
        READY = "ready", _("Klar")
        FAILED = "failed", _("Misslyckades")

    edition = models.OneToOneField(
        ReportEdition, on_delete=models.PROTECT, related_name="pdf", verbose_name=_("lägesrapport")
    )
    state = models.CharField(_("status"), max_length=10, choices=State.choices, default=State.PENDING)
    content = models.BinaryField(_("PDF"), default=b"", editable=False)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    pages = models.PositiveIntegerField(_("sidor"), null=True, blank=True)
    bytes = models.PositiveIntegerField(_("storlek (byte)"), null=True, blank=True)
    generated_at = models.DateTimeField(_("skapad"), null=True, blank=True)
    queued_at = models.DateTimeField(_("köad"), auto_now_add=True)
    attempts = models.PositiveSmallIntegerField(_("försök"), default=0)
    error = models.TextField(_("senaste fel"), blank=True)

    class Meta:
        verbose_name = _("PDF för lägesrapport")
        verbose_name_plural = _("PDF:er för lägesrapporter")
        ordering = ["-edition__year"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(state="ready") | ~models.Q(sha256=""),
                name="editionpdf_ready_has_checksum",
                violation_error_message=_("En färdig PDF måste ha en kontrollsumma."),
            ),
        ]

    def __str__(self):
        return gettext("PDF för %(edition)s") % {"edition": self.edition}

    @property
    def is_ready(self):
        return self.state == self.State.READY

    def get_absolute_url(self):
        return reverse("report_pdf", args=[self.edition.year, self.edition.year])
