from django import template

from municipia.translation.pages import notice

register = template.Library()


@register.inclusion_tag("translation/notice.html")
def machine_notice(origin: str, source_language: str, manage_url: str = ""):
    """The "Machine translated from … — see the original" line of a text whose `origin` is
    "machine"; nothing for an original or a human translation. The original is `?lang=`."""
    return {
        "translation": notice(
            machine=origin == "machine",
            source_language=source_language,
            original_url=f"?lang={source_language}",
            manage_url=manage_url,
        )
    }
