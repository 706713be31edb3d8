"""Who translated a text by hand."""

from django.utils.translation import gettext_lazy as _

from municipia.privacy import registry as privacy

privacy.actors("translation.TextTranslation", "translated_by")
