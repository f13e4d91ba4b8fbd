from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from .models import Area, Goal, GoalItem, Membership, NationalGoal, Organisation, Strategy, ViolenceType


@admin.register(Strategy)
class StrategyAdmin(TranslationAdmin):
    list_display = ["title", "period", "report_number"]
    search_fields = ["title", "vision"]


@admin.register(ViolenceType)
class ViolenceTypeAdmin(TranslationAdmin):
    list_display = ["name", "slug", "order"]
    search_fields = ["name", "definition"]


@admin.register(NationalGoal)
class NationalGoalAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "source"]
    search_fields = ["title", "description"]


class GoalItemInline(admin.TabularInline):
    model = GoalItem
    extra = 0
    fields = ["kind", "order", "text"]


@admin.register(Goal)
class GoalAdmin(TranslationAdmin):
    list_display = ["number", "short_name", "title", "strategy"]
    list_display_links = ["number", "short_name"]
    list_filter = ["strategy"]
    search_fields = ["title", "short_name", "items__text"]
    filter_horizontal = ["national_goals"]
    inlines = [GoalItemInline]


@admin.register(GoalItem)
class GoalItemAdmin(admin.ModelAdmin):
    list_display = ["goal", "kind", "order", "text"]
    list_filter = ["kind", "goal"]
    search_fields = ["text"]
    list_select_related = ["goal"]


@admin.register(Organisation)
class OrganisationAdmin(TranslationAdmin):
    list_display = ["name", "short_name", "kind", "parent", "municipality_code", "operation_kvinnofrid_member"]
    list_filter = ["kind", "operation_kvinnofrid_member"]
    search_fields = ["name", "short_name", "slug", "municipality_code"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "code"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation"]
    list_filter = ["organisation__kind"]
    search_fields = ["user__username", "organisation__name"]
    autocomplete_fields = ["organisation"]
    list_select_related = ["user", "organisation"]
