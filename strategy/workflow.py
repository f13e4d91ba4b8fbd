"""The review workflow shared by indicator values and status reports.

draft → submitted → (returned → submitted)* → approved. Only approved items are
public. The transitions themselves live in each app's services.
"""

from django.conf import settings
from django.db import models


class State(models.TextChoices):
    DRAFT = "draft", "Utkast"
    SUBMITTED = "submitted", "Inskickad"
    RETURNED = "returned", "Återskickad"
    APPROVED = "approved", "Godkänd"


class ReviewedQuerySet(models.QuerySet):
    def published(self):
        return self.filter(state=State.APPROVED)


class Reviewed(models.Model):
    state = models.CharField("status i granskningen", max_length=10, choices=State.choices, default=State.DRAFT)
    reviewer_comment = models.TextField("kommentar från granskare", blank=True)
    submitted_at = models.DateTimeField("inskickad", null=True, blank=True)
    approved_at = models.DateTimeField("godkänd", null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="godkänd av",
    )
    created_at = models.DateTimeField("skapad", auto_now_add=True)
    updated_at = models.DateTimeField("senast ändrad", auto_now=True)
    # Bumped on every save; a form carries the version it was opened with, so
    # that a concurrent edit is refused instead of silently overwritten.
    version = models.PositiveIntegerField("version", default=1)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            self.version += 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "version"}
        super().save(*args, **kwargs)

    @property
    def is_public(self):
        return self.state == State.APPROVED
