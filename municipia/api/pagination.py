from django.core.paginator import Paginator
from django.utils.functional import cached_property
from rest_framework import pagination


class CountedPaginator(Paginator):
    """A paginator that takes the list's length from `object_list.cached_count()` where the list
    has one (`api.caching.CachedRowsListMixin`), instead of counting it again."""

    @cached_property
    def count(self):
        counter = getattr(self.object_list, "cached_count", None)
        return counter() if counter is not None else super().count


class PageNumberPagination(pagination.PageNumberPagination):
    """`?page=N&page_size=M`; the page size is capped so no request can ask for a whole table."""

    django_paginator_class = CountedPaginator
    page_size_query_param = "page_size"
    max_page_size = 200
