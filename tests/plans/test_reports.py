import datetime
import io
from decimal import Decimal

import docx
import pytest
from reportlab.pdfbase import pdfmetrics

from municipia.plans import charts, reports
from municipia.plans.models import Activity
from tests.factories.plans import IndicatorFactory, IndicatorValueFactory, ProgressUpdateFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def followed_plan(published_plan):
    activity = Activity.objects.for_plan(published_plan).get()
    Activity.objects.filter(pk=activity.pk).update(
        description="Col·laborar amb l'Àrea metropolitana"
    )
    ProgressUpdateFactory(
        activity=activity, reported_on=datetime.date(2025, 5, 1), text="Fet a mig"
    )
    ProgressUpdateFactory(
        activity=activity, reported_on=datetime.date(2024, 5, 1), text="Last year"
    )
    IndicatorValueFactory(
        indicator=IndicatorFactory(objective=published_plan.objectives.get(), plan=published_plan),
        value=Decimal(10),
    )
    return published_plan


def test_build_report_keeps_the_updates_of_the_year(followed_plan):
    data = reports.build_report(followed_plan, year=2025, language="es")

    activity = data.outline[0].activities[0]
    assert [u.text for u in data.updates_in_year(activity)] == ["Fet a mig"]
    assert data.indicators[0].achievement == 25


def test_render_pdf_embeds_a_font_with_catalan_letters(followed_plan):
    content = reports.render_pdf(reports.build_report(followed_plan, year=2025, language="ca"))

    font = pdfmetrics.getFont(reports.FONT).face
    sample = "Col·laborar àèéíïòóúüç ÀÈÉÍÏÒÓÚÜÇ ñ ã õ â ê ô œ € “ ” « »"
    assert [c for c in sample if c != " " and ord(c) not in font.charToGlyph] == []
    assert content[:5] == b"%PDF-"
    assert b"/FontFile2" in content  # the TrueType font travels inside the PDF


def test_render_docx_has_a_row_per_activity(followed_plan):
    content = reports.render_docx(reports.build_report(followed_plan, year=2025, language="en"))

    document = docx.Document(io.BytesIO(content))
    activity_table = document.tables[0]
    assert [c.text for c in activity_table.rows[1].cells] == [
        "1.1 Col·laborar amb l'Àrea metropolitana",
        "Planned",
        "0 %",
        "05/01/2025 · 50 % · Fet a mig",
    ]


def test_progress_bars_escape_their_labels():
    svg = charts.progress_bars([("<script>", 40)], title="A & B")

    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    assert '<title id="pb-title">A &amp; B</title>' in svg


def test_indicator_chart_draws_a_point_per_value():
    svg = charts.indicator_chart(
        name="Cities",
        unit="cities",
        baseline=Decimal(0),
        target=Decimal(40),
        values=[(datetime.date(2025, 3, 1), Decimal(10)), (datetime.date(2025, 6, 1), Decimal(20))],
        start=datetime.date(2025, 1, 1),
        end=datetime.date(2025, 12, 31),
        chart_id="c1",
    )

    assert svg.count("<circle") == 2
    assert 'aria-labelledby="c1-t c1-d"' in svg
