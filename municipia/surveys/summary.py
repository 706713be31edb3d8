"""A questionnaire's results as a PDF for the executive committee: the same aggregates as the
results page (never an individual answer), drawn with the site's one report machinery."""

import io

from django.conf import settings
from django.utils.formats import date_format, number_format
from django.utils.timezone import localdate
from django.utils.translation import gettext as _
from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from municipia.core.reports import pdf

TEXTS_IN_SUMMARY = 10
NONE = "\u2013"  # an en dash where there is no figure


def _number(value) -> str:
    return number_format(value, decimal_pos=2) if value is not None else NONE


def _question_story(question, width, s) -> list:
    story = [pdf.p(question.field.label_text, s["h3"])]
    line = _("%(count)s answers") % {"count": question.answered}
    if question.mean is not None:
        line += f" · {_('Mean')}: {_number(question.mean)}"
    if question.nps is not None:
        line += f" · {_('Net promoter score')}: {question.nps}"
    story.append(pdf.p(line, s["small"]))
    if question.rows:
        rows = [
            [pdf.p(_("Answer"), s["head"]), pdf.p(_("Count"), s["head"]), pdf.p("%", s["head"])]
        ]
        rows += [
            [
                pdf.p(row.label, s["cell"]),
                pdf.p(str(row.count), s["number"]),
                pdf.p(str(row.percent), s["number"]),
            ]
            for row in question.rows
        ]
        story.append(pdf.table(rows, [width - 50 * mm, 25 * mm, 25 * mm]))
    if question.items:
        rows = [[pdf.p(_("Item"), s["head"]), pdf.p(_("Mean"), s["head"])]]
        rows += [
            [pdf.p(item.label, s["cell"]), pdf.p(_number(item.mean), s["number"])]
            for item in question.items
        ]
        story.append(pdf.table(rows, [width - 30 * mm, 30 * mm]))
    texts = (question.texts + question.others)[:TEXTS_IN_SUMMARY]
    for text in texts:
        story.append(pdf.p(f"\u2022 {text}", s["cell"]))
    if texts:
        story.append(
            pdf.p(_("Listed in alphabetical order, never in the order they came in."), s["small"])
        )
    story.append(Spacer(1, 4 * mm))
    return story


def summary_pdf(questionnaire, version, found, *, rate: int | None, language: str) -> bytes:
    """The PDF of `found` (results shown: at least the threshold of answers)."""
    buffer = io.BytesIO()
    doc = pdf.document(
        buffer,
        title=questionnaire.title_text,
        author=questionnaire.network.name,
        language=language,
    )
    s = pdf.styles()
    facts = [
        (_("Network"), questionnaire.network.name),
        (_("Version"), str(version.number)),
        (_("Answers"), str(found.responses)),
        (_("Response rate"), f"{rate} %" if rate is not None else NONE),
        (_("Drawn up on"), date_format(localdate(), "DATE_FORMAT")),
    ]
    story = [
        pdf.p(questionnaire.title_text, s["title"]),
        pdf.p(_("Summary of the results"), s["subtitle"]),
        pdf.facts(facts, doc.width, s),
        Spacer(1, 6 * mm),
    ]
    for question in found.questions:
        story += _question_story(question, doc.width, s)
    pdf.build(doc, story, footer=f"{settings.MUNICIPIA_SITE_NAME} · {questionnaire.title_text}")
    return buffer.getvalue()
