import pytest

from municipia.core.paging import Paginator
from municipia.directory.models import Country

pytestmark = pytest.mark.django_db


@pytest.fixture
def countries():
    codes = ("AD", "BE", "CL", "DZ", "ES")
    for code in codes:
        Country.objects.get_or_create(code=code, defaults={"names": {"en": code}})
    return Country.objects.filter(code__in=codes).order_by("code")


def test_a_list_that_fits_on_the_first_page_is_read_once(countries, django_assert_num_queries):
    with django_assert_num_queries(1):
        page = Paginator(countries, 5).get_page("1")
        codes = [country.code for country in page]

    assert codes == ["AD", "BE", "CL", "DZ", "ES"]
    assert page.paginator.count == 5
    assert not page.has_next()


def test_a_longer_list_is_counted_and_its_first_page_read_once(
    countries, django_assert_num_queries
):
    with django_assert_num_queries(2):
        page = Paginator(countries, 2).get_page(None)
        codes = [country.code for country in page]

    assert codes == ["AD", "BE"]
    assert page.paginator.num_pages == 3
    assert page.has_next()


def test_other_pages_and_bad_numbers_are_as_django_gives_them(countries):
    assert [c.code for c in Paginator(countries, 2).get_page("3")] == ["ES"]
    assert [c.code for c in Paginator(countries, 2).get_page("9")] == ["ES"]
    assert [c.code for c in Paginator(countries, 2).get_page("x")] == ["AD", "BE"]
    assert Paginator(countries.none(), 2).get_page(1).paginator.count == 0
