"""The strategy's texts readers see, in every language of settings.LANGUAGES (django-modeltranslation).

Each field gets a column per language (title_sv, title_en); reading `title` gives the active
language's text, or the Swedish where there is none. Swedish is the source's words; English is
the follow-up's translation (fixtures/README.md).
"""

from modeltranslation.translator import TranslationOptions, register

from .models import Goal, Organisation, Strategy, ViolenceType


@register(Strategy)
class StrategyTranslation(TranslationOptions):
    fields = ("title", "vision")


@register(ViolenceType)
class ViolenceTypeTranslation(TranslationOptions):
    fields = ("name", "definition")


@register(Goal)
class GoalTranslation(TranslationOptions):
    fields = ("title", "short_name", "indicator_intro")


@register(Organisation)
class OrganisationTranslation(TranslationOptions):
    fields = ("name", "short_name")
