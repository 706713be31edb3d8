from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import permissions
from rest_framework.exceptions import NotFound, Throttled
from rest_framework.response import Response
from rest_framework.views import APIView

from municipia.api.serializers.verification import VerificationSerializer
from municipia.verification.services import Status, look_up, within_rate


class VerificationView(APIView):
    """Check a verification code printed on a document (a receipt, a certificate): valid or
    revoked, with what the public may see. Unknown or mistyped codes answer 404. Lookups are
    limited per client address, together with the public page's."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(responses={200: VerificationSerializer})
    def get(self, request, code):
        if not within_rate(request._request):
            raise Throttled(wait=60)
        result = look_up(code)
        if result.status == Status.MISTYPED:
            raise NotFound(_("This is not a valid code"))
        if result.status not in (Status.VALID, Status.REVOKED):
            raise NotFound(_("No document carries this code."))
        return Response(VerificationSerializer(result).data)
