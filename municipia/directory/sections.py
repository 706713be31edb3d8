"""Sections that other apps add to the directory's hub pages.

A city's page and a network's page are where later modules show what they hold about that place or
network (experiences, projects, events…). An app declares its sections on its AppConfig, the same way
it declares `navigation`:

    class KnowledgeConfig(AppConfig):
        local_government_sections = [("knowledge/sections/city_experiences.html", _("Experiences"))]
        network_sections = [("knowledge/sections/network_experiences.html", _("Experiences"))]

The directory renders each template inside a titled <section>, with `local_government` (or
`network`), `request` and `user` in the context; the template fetches its own data, usually through a
template tag of its app, and renders nothing when it has nothing to show.
"""

from django.apps import apps

LOCAL_GOVERNMENT = "local_government_sections"
NETWORK = "network_sections"


def page_sections(attribute: str) -> list[dict]:
    return [
        {"template": template, "title": title, "app": config.label}
        for config in apps.get_app_configs()
        for template, title in getattr(config, attribute, [])
    ]
