"""Business actions for calls, one module per stage: `calls` (the call's life), `applications`,
`juries` (jury, conflicts, assignment), `reviews` and `decisions`.

Every state change goes through one of these functions, so pages, the API, the admin and tasks
behave alike. Import from the submodule (`municipia.calls.services.applications`).
"""


class CallError(Exception):
    """An expected, user-facing reason why an action in a call cannot happen."""
