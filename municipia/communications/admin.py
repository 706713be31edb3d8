from django.contrib import admin

from municipia.communications.models import (
    Campaign,
    CampaignActivity,
    CampaignMaterial,
    CampaignTranslation,
    Delivery,
    ExhibitionStop,
    Issue,
    NewsPost,
    NewsTranslation,
    Subscriber,
    Subscription,
)


class NewsTranslationInline(admin.StackedInline):
    model = NewsTranslation
    extra = 0


@admin.register(NewsPost)
class NewsPostAdmin(admin.ModelAdmin):
    list_display = ["__str__", "network", "category", "status", "published_at", "embargo_until"]
    list_filter = ["status", "category", "network"]
    list_select_related = ["network"]
    inlines = [NewsTranslationInline]
    readonly_fields = ["image"]  # uploaded through the post's page, where its content is checked


class SubscriptionInline(admin.TabularInline):
    model = Subscription
    extra = 0


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    list_display = ["email", "status", "confirmed_at", "stopped_at"]
    list_filter = ["status"]
    search_fields = ["email"]
    inlines = [SubscriptionInline]


@admin.register(Issue)
class IssueAdmin(admin.ModelAdmin):
    list_display = ["subject", "network", "language", "status", "sent_at"]
    list_filter = ["status", "language", "network"]
    readonly_fields = ["job", "sent_at"]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["issue", "email", "status", "claimed_at", "sent_at"]
    list_filter = ["status"]
    search_fields = ["email"]
    readonly_fields = ["issue", "subscriber", "email", "status", "claimed_at", "sent_at", "error"]


class CampaignTranslationInline(admin.StackedInline):
    model = CampaignTranslation
    extra = 0


class ExhibitionStopInline(admin.TabularInline):
    model = ExhibitionStop
    extra = 0
    autocomplete_fields = ["city"]


class CampaignMaterialInline(admin.TabularInline):
    model = CampaignMaterial
    extra = 0
    fields = ["kind", "language", "title", "original_name", "content_type", "size"]
    readonly_fields = ["original_name", "content_type", "size"]


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["__str__", "network", "starts_on", "ends_on", "is_published"]
    list_filter = ["is_published", "network"]
    inlines = [CampaignTranslationInline, ExhibitionStopInline, CampaignMaterialInline]
    raw_id_fields = ["declaration_draft"]


@admin.register(CampaignActivity)
class CampaignActivityAdmin(admin.ModelAdmin):
    list_display = ["title", "campaign", "city", "happens_on"]
    list_filter = ["campaign"]
    autocomplete_fields = ["city"]
