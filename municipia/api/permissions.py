"""DRF adapters over the apps' `can_*` predicates: the API asks the same questions as the pages."""

from rest_framework import permissions

from municipia.accounts.permissions import can_manage_network


class ReadOnlyOrNetworkStaff(permissions.BasePermission):
    """Anyone reads what the queryset shows them; writes need the object's network staff."""

    def has_permission(self, request, view):
        return request.method in permissions.SAFE_METHODS or request.user.is_authenticated

    def has_object_permission(self, request, view, obj):
        if request.method in permissions.SAFE_METHODS:
            return True
        network = obj if obj.__class__.__name__ == "Network" else getattr(obj, "network", None)
        return network is not None and can_manage_network(request.user, network)
