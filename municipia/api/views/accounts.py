from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, permissions, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from municipia.api.authentication import second_factor_missing, token_expires_at
from municipia.api.serializers.accounts import MeSerializer, TokenSerializer


class MeView(generics.RetrieveUpdateAPIView):
    """The logged-in user, with the roles that decide what they may see and change."""

    serializer_class = MeSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_object(self):
        return self.request.user


class TokenView(APIView):
    """Create or rotate the caller's API token, from a logged-in session only (so a token cannot
    renew itself past its expiry, MUNICIPIA_API_TOKEN_DAYS, and the second factor applies)."""

    authentication_classes = [SessionAuthentication]
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=None, responses={201: TokenSerializer})
    def post(self, request):
        if second_factor_missing(request.user):
            raise PermissionDenied(
                _("Set up two-factor authentication on the site before creating an API token.")
            )
        Token.objects.filter(user=request.user).delete()
        token = Token.objects.create(user=request.user)
        return Response(
            TokenSerializer({"token": token.key, "expires_at": token_expires_at(token)}).data,
            status=status.HTTP_201_CREATED,
        )
