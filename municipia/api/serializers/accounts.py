from rest_framework import serializers

from municipia.accounts.models import Role, User


class RoleSerializer(serializers.ModelSerializer):
    network = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    local_government = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Role
        fields = ["kind", "network", "local_government", "is_active"]


class MeSerializer(serializers.ModelSerializer):
    roles = RoleSerializer(many=True, read_only=True)

    class Meta:
        model = User
        fields = ["email", "full_name", "language", "timezone", "is_superuser", "roles"]
        read_only_fields = ["email", "is_superuser", "roles"]


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(read_only=True)
    expires_at = serializers.DateTimeField(read_only=True)
