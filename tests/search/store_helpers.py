"""A small deterministic embedding model for the index store's tests, and a process that plays
a worker (or a writer) over a database file, driven line by line through its standard input."""

import hashlib
import json
import os
import re
import sys
import time

import numpy as np

from municipia.search.embeddings import EmbeddingModel, _normalised


class WordsModel(EmbeddingModel):
    """Each word adds a fixed pseudo-random direction: texts sharing words are near."""

    name = "words"
    dim = 64

    def __init__(self, threads: int = 1):
        pass

    def _vector(self, text: str) -> np.ndarray:
        total = np.zeros(self.dim, dtype=np.float32)
        for word in re.findall(r"\w+", text.lower()):
            seed = int.from_bytes(
                hashlib.sha1(word.encode(), usedforsecurity=False).digest()[:4], "little"
            )
            total += np.random.default_rng(seed).normal(size=self.dim).astype(np.float32)
        return total

    def embed_passages(self, texts):
        return _normalised(np.stack([self._vector(t) for t in texts]))

    def embed_queries(self, texts):
        return self.embed_passages(texts)


def install() -> None:
    """Make `WordsModel` known to this process (as a model of `embeddings.MODELS`)."""
    from municipia.search import embeddings

    embeddings.MODELS[WordsModel.name] = WordsModel
    embeddings._loaded[(os.getpid(), WordsModel.name)] = WordsModel()


def serve() -> None:
    """Commands, one JSON list a line: ["index", key, language, title], ["remove", key],
    ["build"], ["search", text]. Answers one JSON object a line."""
    import django

    django.setup()
    from django.core.management import call_command

    if "--migrate" in sys.argv:  # the tables of search and core are all the protocol needs
        for app in ("core", "search"):
            call_command("migrate", app, verbosity=0)
    install()
    from municipia.search import store
    from municipia.search.backends.vector import VectorBackend
    from municipia.search.documents import Document

    backend = VectorBackend(models=[WordsModel.name])
    print(json.dumps({"ready": os.getpid()}), flush=True)  # noqa: T201 (the protocol)
    for line in sys.stdin:
        command, *args = json.loads(line)
        out: dict = {}
        start = time.perf_counter()
        if command == "index":
            key, language, title = args
            backend.index([Document(key, language, title, title, "public", {"year": ["2024"]})])
        elif command == "remove":
            backend.remove(args)
        elif command == "build":
            out["manifest"] = store.build([WordsModel.name], force=True)["generation"]
        elif command == "search":
            hits = backend.search(args[0], languages=["en"], visibility=["public"], limit=5)
            cat = backend.catalogue()
            out["keys"] = [hit.key for hit in hits]
            out["generation"] = cat.base.generation if cat.base is not None else None
            out["base_id"] = id(cat.base)
            out["delta"] = len(cat) - (len(cat.base) if cat.base is not None else len(cat))
            with open("/proc/self/maps") as maps:
                out["mapped"] = str(store.index_dir()) in maps.read()
        out["ms"] = (time.perf_counter() - start) * 1000
        print(json.dumps(out), flush=True)  # noqa: T201 (the protocol)


if __name__ == "__main__":
    serve()
