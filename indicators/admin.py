from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline
from simple_history.admin import SimpleHistoryAdmin

from reporting.admin_history import SWEDISH_NUMBER_OVERRIDES, ReadableHistoryAdmin
from reporting.numbers import swedish_number
from reporting.admin_review import ReviewedAdmin
from reporting.admin_scoping import OrganisationScopedAdmin
from reporting.spreadsheet import EXPORT_FORMATS
from strategy.models import Area


from .grid import MISSING_CODES, ValuesGridForm, area_choices, values_grid_submit
from .models import Category, Dimension, Indicator, Series, Value
from .resources import ValueImportAdminMixin


class CategoryInline(TranslationTabularInline):
    model = Category
    extra = 0


@admin.register(Dimension)
class DimensionAdmin(TranslationAdmin):
    list_display = ["name", "code", "order"]
    search_fields = ["name", "code"]
    inlines = [CategoryInline]


@admin.register(Category)
class CategoryAdmin(TranslationAdmin):
    list_display = ["label", "dimension", "code", "order"]
    list_filter = ["dimension"]
    search_fields = ["label", "code"]


class SeriesInline(admin.TabularInline):
    model = Series
    extra = 0
    fields = ["label", "is_headline", "order"]
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        # A series is added on its own page, where its categories (and so its key) are chosen.
        return False


@admin.register(Indicator)
class IndicatorAdmin(OrganisationScopedAdmin, TranslationAdmin):
    organisation_lookups = ["responsible"]
    reporter_read_only = True
    list_display = ["code", "title", "goal", "kind", "unit", "status", "responsible", "origin"]
    list_display_links = ["code", "title"]
    list_filter = ["goal", "kind", "status", "origin", "unit", "violence_types", "responsible"]
    search_fields = ["code", "title", "theme", "source"]
    list_select_related = ["goal", "responsible"]
    autocomplete_fields = ["responsible"]
    filter_horizontal = ["violence_types"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [SeriesInline]
    fieldsets = [
        (None, {"fields": ["goal", "report_goal", "code", "position", "slug", "title", "kind", "origin", "theme"]}),
        (_("Mätning"), {"fields": ["source", "unit", "decimals", "direction", "period_kind", "area", "kolada_kpi"]}),
        (_("Ansvar och våldstyper"), {"fields": ["responsible", "violence_types"]}),
        (_("Status"), {"fields": ["status", "retired_last_year", "retired_reason"]}),
        (_("Beskrivning"), {"fields": ["description"]}),
    ]

    def get_urls(self):
        return [
            path(
                "<int:pk>/varden/",
                self.admin_site.admin_view(self.values_grid_view),
                name="indicators_indicator_values",
            ),
        ] + super().get_urls()

    def values_grid_view(self, request, pk):
        indicator = get_object_or_404(self.get_queryset(request), pk=pk)
        if not request.user.has_perm("indicators.change_value"):
            raise PermissionDenied
        areas = area_choices(indicator)
        area = get_object_or_404(Area, slug=request.GET.get("omrade")) if request.GET.get("omrade") else areas[0]
        if request.method == "POST":
            form, result = values_grid_submit(data=request.POST, indicator=indicator, area=area, user=request.user)
        else:
            form, result = ValuesGridForm(indicator=indicator, area=area, user=request.user), None
        if result is not None:
            messages.success(
                request,
                gettext(
                    "Sparat: %(created)s nya, %(updated)s ändrade och %(deleted)s borttagna värden. "
                    "Ändrade värden granskas innan de publiceras."
                )
                % result,
            )
            url = reverse("admin:indicators_indicator_values", args=[indicator.pk])
            return redirect(f"{url}?omrade={area.slug}")
        if request.method == "POST":
            messages.error(request, gettext("Inget sparades. Rätta de markerade cellerna."))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": indicator,
            "indicator": indicator,
            "form": form,
            "area": area,
            "areas": areas,
            "missing_codes": MISSING_CODES,
            "title": gettext("Värden för %(code)s") % {"code": indicator.code},
        }
        return TemplateResponse(request, "admin/indicators/indicator/values_grid.html", context)


class SeriesForm(forms.ModelForm):
    """Key and label come from the chosen categories (Series.breakdown_of); a repeated breakdown is an error."""

    class Meta:
        model = Series
        fields = "__all__"

    def clean(self):
        cleaned = super().clean()
        categories = cleaned.get("categories")
        if categories is None or not cleaned.get("indicator"):
            return cleaned
        key, label = Series.breakdown_of(categories)
        self.instance.indicator = cleaned["indicator"]
        if self.instance.duplicate_breakdown(key):
            self.add_error("categories", gettext("Indikatorn har redan en serie med den uppdelningen."))
        self.instance.key = key
        if not cleaned.get("label"):
            cleaned["label"] = label
        return cleaned


@admin.register(Series)
class SeriesAdmin(OrganisationScopedAdmin, admin.ModelAdmin):
    form = SeriesForm
    organisation_lookups = ["indicator__responsible"]
    reporter_read_only = True
    list_display = ["indicator", "display_label", "is_headline", "order"]
    list_filter = ["indicator__goal", "is_headline"]
    search_fields = ["indicator__code", "indicator__title", "label"]
    autocomplete_fields = ["indicator"]
    filter_horizontal = ["categories"]
    list_select_related = ["indicator"]


@admin.register(Value)
class ValueAdmin(ValueImportAdminMixin, ReviewedAdmin, ReadableHistoryAdmin, SimpleHistoryAdmin):
    list_display = ["series", "year", "area", "shown_value", "missing_reason", "state", "source_ref"]
    formfield_overrides = SWEDISH_NUMBER_OVERRIDES
    list_filter = ["state", "year", "area", "series__indicator__goal", "missing_reason"]
    search_fields = ["series__indicator__code", "series__indicator__title", "series__label", "source_ref"]
    list_select_related = ["series__indicator", "area"]
    autocomplete_fields = ["series"]
    organisation_lookups = ["series__indicator__responsible"]
    export_formats = EXPORT_FORMATS  # every CSV through reporting.spreadsheet

    @admin.display(description=_("värde"), ordering="value")
    def shown_value(self, obj):
        return swedish_number(obj.value)
