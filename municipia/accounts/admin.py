from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from municipia.accounts.models import Role, User
from municipia.accounts.services import revoke_api_tokens, withdraw_role_access

# A change to any of these on an active role takes that role away from its holder.
_ROLE_FIELDS = {"is_active", "kind", "network", "local_government", "user"}


def _removes_a_role(form) -> bool:
    return bool(
        form.instance.pk
        and form.initial.get("is_active")
        and _ROLE_FIELDS.intersection(form.changed_data)
    )


class PasswordChangeForm(AdminPasswordChangeForm):
    """The admin's "change password", which ends the user's API tokens as every password change does."""

    def save(self, commit=True):
        user = super().save(commit=commit)
        if commit:
            revoke_api_tokens(user, reason="password")
        return user


class RoleInline(admin.TabularInline):
    model = Role
    extra = 0
    raw_id_fields = ["network", "local_government"]


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_staff", "is_superuser", "is_active", "last_login"]
    search_fields = ["email", "full_name"]
    inlines = [RoleInline]
    change_password_form = PasswordChangeForm
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Profile"), {"fields": ("full_name", "language", "timezone")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)

    def save_formset(self, request, form, formset, change):
        removed = formset.model is Role and any(
            (role_form in formset.deleted_forms and role_form.initial.get("is_active"))
            or _removes_a_role(role_form)
            for role_form in formset.initial_forms
        )
        super().save_formset(request, form, formset, change)
        if removed:
            withdraw_role_access(form.instance, by=request.user)


@admin.register(Role)
class RoleAdmin(SimpleHistoryAdmin):
    list_display = ["user", "kind", "network", "local_government", "is_active"]
    list_filter = ["kind", "is_active", "network"]
    search_fields = ["user__email", "user__full_name"]
    list_select_related = ["user", "network", "local_government"]
    raw_id_fields = ["user", "network", "local_government"]

    def save_model(self, request, obj, form, change):
        previous_holder = (
            User.objects.get(pk=form.initial["user"]) if change and _removes_a_role(form) else None
        )
        super().save_model(request, obj, form, change)
        if previous_holder is not None:
            withdraw_role_access(previous_holder, by=request.user)

    def delete_model(self, request, obj):
        was_active = obj.is_active
        super().delete_model(request, obj)
        if was_active:
            withdraw_role_access(obj.user, by=request.user)

    def delete_queryset(self, request, queryset):
        holders = list(User.objects.filter(roles__in=queryset.filter(is_active=True)).distinct())
        super().delete_queryset(request, queryset)
        for holder in holders:
            withdraw_role_access(holder, by=request.user)
