"""Business actions of communications: `news`, `newsletters` (subscriptions, issues, sending) and
`campaigns`. Import from the submodule."""


class CommunicationsError(Exception):
    """An expected, user-facing reason why an action cannot happen."""
