from django.contrib import admin

from outcomes.models import Category, Instrument, Item, ResponseOption, Threshold


class ItemInline(admin.TabularInline):
    model = Item
    extra = 0


class OptionInline(admin.TabularInline):
    model = ResponseOption
    extra = 0


class ThresholdInline(admin.TabularInline):
    model = Threshold
    extra = 0


@admin.register(Instrument)
class InstrumentAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "program", "is_active"]
    inlines = [ItemInline, OptionInline, ThresholdInline]


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["question", "label", "code", "program", "is_active"]
    list_filter = ["question"]
