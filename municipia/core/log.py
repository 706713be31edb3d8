"""`log_action` records business events; services call it next to the change they make."""

from django.contrib.contenttypes.models import ContentType

from municipia.core.models import ActivityLog


def log_action(obj, action: str, *, user=None, data: dict | None = None) -> ActivityLog:
    return ActivityLog.objects.create(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        action=action,
        user=user if user is not None and user.is_authenticated else None,
        data=data or {},
    )
