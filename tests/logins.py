"""A test client logged in as a user, past the second factor that staff and superusers must use."""


def logged_in(client, user):
    if user is not None:
        client.force_login(user)
        session = client.session
        session["mfa_ok"] = True
        session.save()
    return client
