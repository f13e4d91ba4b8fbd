from django import forms

from actions.models import StatusReport
from reporting.admin_review import VersionedForm


class StatusReportForm(VersionedForm):
    """The focused status report form: the two fields a reporter writes, through the review admin's checks.

    VersionedForm refuses a stale version and asks the write policy about the
    change and, with the "Skicka in" button, about submitting it as well.
    """

    class Meta:
        model = StatusReport
        fields = ["category", "text"]
        labels = {"category": "Status", "text": "Redovisning"}
        help_texts = {"text": "Vad har gjorts under året, och vad återstår?"}
        widgets = {"text": forms.Textarea(attrs={"rows": 10})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.request_user = user
