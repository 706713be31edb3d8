"""A table of two columns, objectives and their activities, as plans exported from a PDF have it.

Such tables put several activities in one cell (a paragraph or a bullet each), and page breaks cut
them; this builder puts them back together:

* a row with an empty objective cell continues the previous objective (a page break split it);
* a row whose objective text goes on mid-sentence (it starts in lower case, or the previous one
  ends on "de", "and", a comma…) is joined to the previous objective;
* an activity cut by a page break (the first activity of a continuation row goes on from the last
  one) is joined back into one;
* after the table, a bold paragraph followed by plain ones is read as one more objective with its
  activities: the last page of a PDF table often loses its grid lines.
"""

from django.utils.translation import gettext as _

from municipia.plans.importing.items import (
    Free,
    ListItem,
    Para,
    ParsedNode,
    ParsedPlan,
    PlanImportError,
    Row,
    continues,
    join_text,
    merge_continued,
    shortened,
)


class TwoColumns:
    def __init__(self, plan: ParsedPlan, objective_column: int, activity_column: int):
        self.plan = plan
        self.columns = (objective_column, activity_column)
        self.current: list[str] | None = None  # paragraphs of the current objective
        self.free_objective = False  # the current objective came from paragraphs after the table
        self.parts: list[tuple[list[str], list[str]]] = []

    def row(self, item: Row) -> None:
        objective_col, activity_col = self.columns
        objective = _texts(item.cells[objective_col]) if objective_col < len(item.cells) else []
        activities = _texts(item.cells[activity_col]) if activity_col < len(item.cells) else []
        self._add(objective, activities)
        self.free_objective = False

    def free(self, item: Free | ListItem) -> None:
        para = item.para if isinstance(item, Free) else Para(item.text, item.bold)
        text = para.text
        if not text:
            return
        if isinstance(item, Free) and item.mixed:
            self._ignored(text)
        elif para.bold:
            self._add([text], [])
            self.free_objective = True
        elif self.free_objective:
            self._add([], [text])
        else:
            self._ignored(text)

    def _ignored(self, text: str) -> None:
        self.plan.warnings.append(
            _("Text outside the table was left out: “%(text)s”.") % {"text": shortened(text)}
        )

    def _add(self, objective: list[str], activities: list[str]) -> None:
        if not objective and not activities:
            return
        if not objective:
            if self.current is None:
                self.plan.warnings.append(
                    _("Activities before the first objective were left out: “%(text)s”.")
                    % {"text": activities[0][:87]}
                )
                return
            self._extend_activities(activities)
            return
        if self.current is not None and continues(self.current[-1], objective[0]):
            self.current[-1] = join_text(self.current[-1], objective[0])
            self.current.extend(objective[1:])
            self._extend_activities(activities)
            return
        self.current = list(objective)
        self.parts.append((self.current, list(activities)))

    def _extend_activities(self, activities: list[str]) -> None:
        existing = self.parts[-1][1]
        for text in activities:
            if existing and continues(existing[-1], text):
                existing[-1] = join_text(existing[-1], text)
            else:
                existing.append(text)

    def result(self) -> ParsedPlan:
        if not self.parts:
            raise PlanImportError(_("The table has no rows of objectives and activities."))
        for paragraphs, activities in self.parts:
            self.plan.roots.append(
                ParsedNode(
                    title=paragraphs[0],
                    description="\n\n".join(paragraphs[1:]),
                    children=[ParsedNode(title=text) for text in activities],
                )
            )
        if self.plan.activity_count == 0:
            raise PlanImportError(
                _("The table has objectives but no activities: the activities column is empty.")
            )
        return self.plan


def _texts(cell: list[Para]) -> list[str]:
    return merge_continued([p.text for p in cell if p.text])
