"""The plans' texts readers see, per language (django-modeltranslation; see strategy/translation.py)."""

from modeltranslation.translator import TranslationOptions, register

from .models import ActionPlan, Commitment


@register(ActionPlan)
class ActionPlanTranslation(TranslationOptions):
    fields = ("title",)


@register(Commitment)
class CommitmentTranslation(TranslationOptions):
    fields = ("text",)
