"""Who sees a personal data request: the person who made it, and the staff who answer it."""

from django.http import Http404

from municipia.accounts.models import Role
from municipia.accounts.permissions import is_superuser, network_ids_with_role
from municipia.privacy.models import DataExport, PrivacyRequest


def can_handle_requests(user) -> bool:
    """Superusers, and the staff of a network's secretariat (each for their network's requests)."""
    return is_superuser(user) or bool(network_ids_with_role(user, Role.Kind.NETWORK_STAFF))


def requests_for_staff(user):
    if is_superuser(user):
        return PrivacyRequest.objects.all()
    ids = network_ids_with_role(user, Role.Kind.NETWORK_STAFF)
    return PrivacyRequest.objects.filter(network_id__in=ids)


def can_handle_request(user, request: PrivacyRequest) -> bool:
    if is_superuser(user):
        return True
    return request.network_id in network_ids_with_role(user, Role.Kind.NETWORK_STAFF)


def get_request_for_staff(user, pk: int) -> PrivacyRequest:
    request = PrivacyRequest.objects.select_related("user", "network").filter(pk=pk).first()
    if request is None or not can_handle_request(user, request):
        raise Http404
    return request


def can_download_export(user, export: DataExport) -> bool:
    """Only the person, and the staff answering the request it was made for."""
    if not user.is_authenticated:
        return False
    if export.user_id == user.pk:
        return True
    return export.request is not None and can_handle_request(user, export.request)


def get_export_for_download(user, pk: int) -> DataExport:
    export = DataExport.objects.select_related("request").filter(pk=pk).first()
    if export is None or not can_download_export(user, export) or not export.is_ready:
        raise Http404
    return export
