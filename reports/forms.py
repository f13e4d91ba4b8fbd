from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Correction, GoalSection, ReportEdition
from .services import COLOPHON_FIELDS, EDITION_TEXT_FIELDS, SECTION_FIELDS

MARKUP_HELP = _(
    "Tom rad mellan stycken. Rubrik: # Rubrik. Lista: rader som börjar med - eller 1. "
    "Länk: [text](https://…). Fotnot: text[^1] och på egen rad [^1]: Fotnotens text. "
    "Ett helt stycke inom [hakparenteser] visas som uppföljningens egen anmärkning."
)


class ColophonForm(forms.ModelForm):
    class Meta:
        model = ReportEdition
        fields = COLOPHON_FIELDS


class EditionTextsForm(forms.ModelForm):
    class Meta:
        model = ReportEdition
        fields = EDITION_TEXT_FIELDS
        widgets = {name: forms.Textarea(attrs={"rows": 8}) for name in EDITION_TEXT_FIELDS}
        help_texts = {name: MARKUP_HELP for name in ("foreword", "how_produced", "how_to_use", "results_intro", "summary_intro")}


class GoalSectionForm(forms.ModelForm):
    class Meta:
        model = GoalSection
        fields = SECTION_FIELDS
        widgets = {name: forms.Textarea(attrs={"rows": 6}) for name in SECTION_FIELDS}
        help_texts = {"intro": MARKUP_HELP, "summary": MARKUP_HELP}


class AnalysisForm(forms.Form):
    text = forms.CharField(label=_("Analys"), required=False, widget=forms.Textarea(attrs={"rows": 5}), help_text=MARKUP_HELP)
    caption = forms.CharField(
        label=_("Tabell- eller diagramtext"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Med rapportens nummer, t.ex. ”Tabell 5. Sammanställning …”. Tom: ingen numrerad text."),
    )


class NewEditionForm(forms.Form):
    year = forms.IntegerField(label=_("År som lägesrapporten följer upp"), min_value=2019, max_value=2100)


class PublishForm(forms.Form):
    confirm = forms.BooleanField(
        label=_(
            "Jag har läst kontrollerna och vill publicera. En publicerad lägesrapport ändras aldrig; "
            "fel rättas med en daterad rättelse."
        ),
        error_messages={"required": _("Bekräfta att du vill publicera.")},
    )


class CorrectionForm(forms.ModelForm):
    class Meta:
        model = Correction
        fields = ["corrected_on", "text"]
        widgets = {"corrected_on": forms.DateInput(attrs={"type": "date"}), "text": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"text": _("Vad som var fel och vad som gäller. Visas i slutet av lägesrapporten, med datum.")}
