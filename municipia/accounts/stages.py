"""allauth login stages: the second factor is not asked twice."""

from allauth.mfa.stages import AuthenticateStage as AllauthAuthenticateStage

from municipia.accounts.adapter import SECOND_FACTOR_CHECKED


class AuthenticateStage(AllauthAuthenticateStage):
    """allauth's second-factor page, skipped when the login form has already checked a code."""

    def handle(self):
        if self.login.state.get(SECOND_FACTOR_CHECKED):
            return None, True
        return super().handle()
