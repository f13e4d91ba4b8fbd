from django import forms
from django.utils.translation import gettext_lazy as _

from actions.models import StatusReport
from reporting.admin_review import VersionedForm
from reporting.models import ReportingRound


class StatusReportForm(VersionedForm):
    """The focused status report form: the two fields a reporter writes, through the review admin's checks.

    VersionedForm refuses a stale version and asks the write policy about the
    change and, with the "Skicka in" button, about submitting it as well.
    """

    class Meta:
        model = StatusReport
        fields = ["category", "text"]
        labels = {"category": _("Status"), "text": _("Redovisning")}
        help_texts = {"text": _("Vad har gjorts under året, och vad återstår?")}
        widgets = {"text": forms.Textarea(attrs={"rows": 10})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.request_user = user


class ReportingRoundForm(forms.ModelForm):
    """A new round: its year, planned opening day and deadline (the model's clean() and constraints check them)."""

    class Meta:
        model = ReportingRound
        fields = ["year", "opens_on", "deadline"]
        widgets = {"opens_on": forms.DateInput(attrs={"type": "date"}), "deadline": forms.DateInput(attrs={"type": "date"})}
