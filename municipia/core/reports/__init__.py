"""The building blocks of the documents the platform prints: a PDF (reportlab) and a Word file
(python-docx) with the same look, fonts and tables. Each report (a plan's activity report, a
network's financial report) gathers its data and lays it out with these, so that every printed
document shares one machinery."""

from django.conf import settings


def network_languages(network) -> list[str]:
    """The network's working languages that the site speaks, in the network's order (the site's
    default language when it names none): the languages its reports are printed in."""
    known = dict(settings.LANGUAGES)
    languages = [code for code in network.working_languages or () if code in known]
    return list(dict.fromkeys(languages)) or [settings.LANGUAGE_CODE]
