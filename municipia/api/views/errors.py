from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from rest_framework.exceptions import NotFound


@csrf_exempt  # like the API's views: nothing here reads a session
def not_found(request, *args, **kwargs):
    """An API path that names nothing answers like every other API 404: JSON, not the site's page.

    Identifiers the routes refuse (`/plans/a.b/`, `/invoices/1.5/`) land here too.
    """
    return JsonResponse({"detail": str(NotFound.default_detail)}, status=404)
