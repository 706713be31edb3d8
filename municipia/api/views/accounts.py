from drf_spectacular.utils import extend_schema
from rest_framework import generics, permissions, status
from rest_framework.authtoken.models import Token
from rest_framework.response import Response
from rest_framework.views import APIView

from municipia.api.serializers.accounts import MeSerializer, TokenSerializer


class MeView(generics.RetrieveUpdateAPIView):
    """The logged-in user, with the roles that decide what they may see and change."""

    serializer_class = MeSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_object(self):
        return self.request.user


class TokenView(APIView):
    """Create or rotate the caller's API token; only from a logged-in session (MFA applies)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=None, responses={201: TokenSerializer})
    def post(self, request):
        Token.objects.filter(user=request.user).delete()
        token = Token.objects.create(user=request.user)
        return Response({"token": token.key}, status=status.HTTP_201_CREATED)
