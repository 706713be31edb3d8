"""Who revoked a verification code."""

from municipia.privacy import registry as privacy

privacy.actors("verification.VerificationCode", "revoked_by")
