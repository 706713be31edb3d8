"""Who translated a text by hand."""

from municipia.privacy import registry as privacy

privacy.actors("translation.TextTranslation", "translated_by")
