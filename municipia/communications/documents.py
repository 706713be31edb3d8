"""How news is searched: one document per translation of a public post.

A draft, a post dated in the future and an embargoed post yield no document at all; the periodic
`index_released_news` indexes a post once its moment has come, and the search loads only public
posts, so an entry written early would still never be shown.
"""

from municipia.communications.models import NewsPost
from municipia.knowledge.documents import PUBLIC, plain
from municipia.search.documents import Document

LABEL = "communications.newspost"


def news_key(pk: int) -> str:
    return f"{LABEL}:{pk}"


def indexable_news():
    return NewsPost.objects.select_related("network__parent").prefetch_related("translations")


def news_documents(post: NewsPost) -> list[Document]:
    if not post.is_public():
        return []
    networks = [post.network.slug]
    if post.network.parent_id:
        networks.append(post.network.parent.slug)
    facets = {
        "type": ["newspost"],
        "network": sorted(networks),
        "year": [str(post.public_from.year)],
    }
    return [
        Document(
            key=news_key(post.pk),
            language=t.language,
            title=t.title,
            body=f"{plain(t.summary)} {plain(t.body)}",
            visibility=PUBLIC,
            facets={**facets, "language": [t.language]},
        )
        for t in post.translations.all()
    ]


def public_news(pks):
    queryset = (
        NewsPost.objects.public()
        .filter(pk__in=pks)
        .order_by()
        .select_related("network")
        .prefetch_related("translations")
    )
    return {p.pk: p for p in queryset}
