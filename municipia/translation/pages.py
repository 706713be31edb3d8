"""What a page says about its language: "Machine translated from Spanish — see the original"."""

from django.utils.translation import gettext_lazy as _

# Whole sentences, so that each language can say "from Spanish" its own way.
FROM = {
    "en": _("Machine translated from English"),
    "es": _("Machine translated from Spanish"),
    "fr": _("Machine translated from French"),
    "ca": _("Machine translated from Catalan"),
    "pt": _("Machine translated from Portuguese"),
}


def notice(
    *,
    machine: bool,
    source_language: str,
    original_url: str,
    translated_url: str = "",
    showing_original: bool = False,
    manage_url: str = "",
) -> dict:
    """The context of `translation/partials/notice.html`."""
    return {
        "machine": machine,
        "source_language": source_language,
        "sentence": FROM.get(source_language, ""),
        "original_url": original_url,
        "translated_url": translated_url,
        "showing_original": showing_original,
        "manage_url": manage_url,
    }
