"""Who revoked a verification code."""

from django.utils.translation import gettext_lazy as _

from municipia.privacy import registry as privacy

privacy.actors("verification.VerificationCode", "revoked_by")
