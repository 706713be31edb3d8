"""Pages of a list that cost one query when the list fits on one page.

Django's `Paginator` counts the rows (a query), then reads the page (another). Most personal
lists (an officer's experiences, a member's invoices) fit on their first page: reading one row
more than a page tells whether there is a second one, and the rows read are then the count.
"""

from django.core import paginator


class Paginator(paginator.Paginator):
    """`django.core.paginator.Paginator` that reads the first page with one row more: when that
    row is missing, the rows read are the whole list and give the count (one query, not two);
    otherwise, and for any other page, the list is counted as Django does."""

    def get_page(self, number):
        # Django's validates the number first, which counts.
        return self.page(1) if _is_first(number) else super().get_page(number)

    def page(self, number):
        if not _is_first(number) or self.orphans or "count" in self.__dict__:
            return super().page(number)
        head = list(self.object_list[: self.per_page + 1])
        if len(head) <= self.per_page:
            self.count = len(head)  # `count` is a cached_property: this is its value
        self.validate_number(1)
        return self._get_page(head[: self.per_page], 1, self)


def _is_first(number) -> bool:
    try:
        return int(number) == 1
    except (TypeError, ValueError):
        return False
