"""The indicators' texts readers see, per language (django-modeltranslation; see strategy/translation.py)."""

from modeltranslation.translator import TranslationOptions, register

from .models import Category, Dimension, Indicator


@register(Indicator)
class IndicatorTranslation(TranslationOptions):
    fields = ("title", "description")


@register(Dimension)
class DimensionTranslation(TranslationOptions):
    fields = ("name",)


@register(Category)
class CategoryTranslation(TranslationOptions):
    fields = ("label",)
