"""Marks on suggestions are a person's own opinions: they go with the person who made them, and a
mark naming an expert goes with that expert's erasure too."""

from django.utils.translation import gettext_lazy as _

from municipia.privacy import registry as privacy

privacy.register(
    "matching.SuggestionMark",
    about=["user", "suggested_person"],
    erase=privacy.delete(_("A mark on a suggestion is only an opinion about it.")),
    export=["kind", "suggested_city", "suggested_person", "verdict", "created_at"],
)
