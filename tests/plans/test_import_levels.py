"""Plans of several levels, from the shapes real plans come in (tests/plans/data/make_plans.py)."""

import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from municipia.plans.importing import (
    Choice,
    PlanImportError,
    build_plan,
    read_document,
    read_plan_file,
    suggest_choice,
)
from municipia.plans.models import Activity, Indicator, Objective, Plan, Section
from municipia.plans.services import import_plan

DATA = Path(__file__).parent / "data"

PLANS = [
    (
        "pam_vilanova_2024_2027.csv",
        "csv",
        ["Eix", "Línia", "Objectiu", "Acció"],
        [5, 38, 119, 247],
    ),
    (
        "plan_estrategico_2040.md",
        "markdown",
        ["Eje", "Tema", "Programa", "Proyecto"],
        [6, 27, 139, 364],
    ),
    (
        "cartera_proyectos_2040.csv",
        "csv",
        ["Eje", "Tema", "Programa", "Proyecto"],
        [6, 27, 139, 364],
    ),
    ("climate_city_contract.md", "markdown", ["Field of action", "Action"], [6, 42]),
    ("plano_acao_climatica.docx", "docx", ["Eixo", "Objetivo", "Activity"], [4, 12, 40]),
    ("plan_climat.html", "html", ["Axe", "Orientation", "Activity"], [5, 15, 45]),
]


def _read(name: str):
    return read_plan_file(name, (DATA / name).read_bytes())


@pytest.mark.parametrize(("name", "fmt", "levels", "counts"), PLANS)
def test_each_plan_is_read_whole_with_its_levels(name, fmt, levels, counts):
    parsed = _read(name)

    assert (parsed.format, parsed.levels, parsed.level_counts) == (fmt, levels, counts)


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "fmt", "levels", "counts"), PLANS)
def test_each_plan_is_imported_whole(name, fmt, levels, counts, network, network_staff):
    parsed = _read(name)

    plan = import_plan(
        parsed,
        by=network_staff,
        title=parsed.title or name,
        starts_on=datetime.date(2024, 1, 1),
        ends_on=datetime.date(2040, 12, 31),
        languages=["es", "en"],
        network=network,
    )

    section_counts = [plan.sections.filter(level=n).count() for n in range(len(levels) - 2)]
    assert [
        *section_counts,
        plan.objectives.count(),
        Activity.objects.for_plan(plan).count(),
    ] == counts
    assert plan.section_depth == len(levels) - 2
    assert not plan.objectives.filter(section__isnull=len(levels) > 2).exists()


def test_a_data_cell_that_names_an_activity_is_not_taken_for_headings():
    parsed = _read("pam_vilanova_2024_2027.csv")

    texts = [a.title for a in parsed.level_nodes(3)]
    assert texts[0] == "Ampliar l'activitat del casal de joves vinculada a mobilitat sostenible"
    assert texts[1] == "Activitats d'estiu per a infants sobre mobilitat sostenible"
    assert parsed.warnings == []


def test_numbering_is_taken_off_the_titles_of_numbered_levels():
    parsed = _read("pam_vilanova_2024_2027.csv")

    assert [n.title for n in parsed.roots][:2] == [
        "Ciutat verda i sostenible",
        "Cohesió social i benestar",
    ]
    assert parsed.roots[0].children[0].title == "Mobilitat sostenible"
    assert parsed.roots[0].children[0].children[0].title == (
        "Millorar la qualitat del servei de mobilitat sostenible"
    )


def test_the_mapped_columns_fill_the_activities(network, network_staff):
    parsed = _read("pam_vilanova_2024_2027.csv")

    first = parsed.level_nodes(3)[0]

    assert first.fields == {
        "responsible": "Àrea de Territori",
        "starts_on": "2024-02-01",
        "ends_on": "2025-03-31",
        "budget": "17500.00",
        "status": "in_progress",
        "status_text": "En curs",
        "indicator": "Nombre de persones ateses (mobilitat sostenible)",
    }
    assert parsed.currency == "EUR"


@pytest.mark.django_db
def test_import_writes_the_fields_indicators_and_level_names(network, network_staff):
    parsed = _read("pam_vilanova_2024_2027.csv")

    plan = import_plan(
        parsed,
        by=network_staff,
        title="Pla d'actuació municipal",
        starts_on=datetime.date(2024, 1, 1),
        ends_on=datetime.date(2027, 12, 31),
        languages=["ca"],
        network=network,
    )

    activity = Activity.objects.for_plan(plan).order_by("objective__position", "position").first()
    assert (
        activity.responsible,
        activity.starts_on,
        activity.ends_on,
        activity.budget,
        activity.status,
    ) == (
        "Àrea de Territori",
        datetime.date(2024, 2, 1),
        datetime.date(2025, 3, 31),
        Decimal("17500.00"),
        Activity.Status.IN_PROGRESS,
    )
    assert plan.levels == [{"ca": "Eix"}, {"ca": "Línia"}, {"ca": "Objectiu"}, {"ca": "Acció"}]
    assert plan.currency == "EUR"
    assert Indicator.objects.filter(plan=plan).count() == 119  # on the first action of each
    assert Indicator.objects.filter(plan=plan, target__isnull=True).count() == 119
    done = Activity.objects.for_plan(plan).filter(status=Activity.Status.DONE)
    assert set(done.values_list("progress", flat=True)) == {100}


def test_blank_parent_cells_mean_the_same_as_above():
    parsed = _read("cartera_proyectos_2040.csv")

    axis = parsed.roots[0]
    assert (axis.title, len(axis.children), axis.children[0].title) == (
        "Ciudad segura y en paz",
        5,
        "Prevención social de la violencia",
    )
    assert parsed.level_nodes(3)[1].fields["budget"] == "375000.00"


def test_the_portfolio_table_is_found_among_the_others_and_joined_across_the_page_break():
    document = read_document("ccc.md", (DATA / "climate_city_contract.md").read_bytes())

    assert [(t.width, len(t.body)) for t in document.tables] == [
        (2, 6),
        (4, 4),
        (2, 2),
        (8, 48),
        (4, 3),
    ]
    portfolio = document.tables[3]
    assert portfolio.headings[:3] == ["Action ID", "Field of action", "Action"]
    choice = suggest_choice(document)
    assert choice.source == str(portfolio.index)
    assert choice.columns[6] == "budget"
    parsed = build_plan(document, choice)
    assert parsed.level_nodes(1)[0].fields["budget"] == "300000.00"  # "0.3" in a column of M€


def test_a_table_of_short_rows_can_be_chosen_and_mapped_by_hand():
    document = read_document("ccc.md", (DATA / "climate_city_contract.md").read_bytes())

    parsed = build_plan(
        document,
        Choice(source="1", columns={0: "level:0", 1: "level:1"}, levels=["Term", "Definition"]),
    )

    assert (parsed.levels, parsed.level_counts) == (["Term", "Definition"], [6, 6])


def test_a_chosen_mapping_needs_two_levels():
    document = read_document("ccc.md", (DATA / "climate_city_contract.md").read_bytes())

    with pytest.raises(PlanImportError, match="no two columns to read as levels"):
        build_plan(document, Choice(source="2", columns={0: "level:0", 1: "budget"}))


def test_names_given_for_another_number_of_levels_give_way_to_the_documents():
    document = read_document("plan.md", (DATA / "plan_estrategico_2040.md").read_bytes())

    parsed = build_plan(document, Choice(source="outline", levels=["Eje", "Proyecto"]))

    assert parsed.levels == ["Eje", "Tema", "Programa", "Proyecto"]
    assert parsed.warnings[-1] == (
        "2 level names were given for 4 levels: the document's own names are shown instead."
    )


def test_prose_around_the_outline_is_left_out_with_a_warning():
    parsed = _read("plan_estrategico_2040.md")

    assert parsed.title == "Plan Estratégico Municipal Ciudad del Valle 2040"
    assert parsed.warnings == [
        "The part “Presentación” holds no items of the deepest level and was left out.",
        "The part “Principios” holds no items of the deepest level and was left out.",
        "The part “Seguimiento y evaluación” holds no items of the deepest level and was left out.",
    ]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "utf-16", "utf-16-le"])
def test_a_csv_is_read_in_any_of_the_usual_encodings(encoding):
    text = (DATA / "pam_vilanova_2024_2027.csv").read_bytes().decode("cp1252")

    parsed = read_plan_file("plan.csv", text.encode(encoding))

    assert parsed.level_counts == [5, 38, 119, 247]
    assert parsed.roots[0].children[1].title == "Energia i canvi climàtic"


def test_a_csv_separated_by_commas_with_commas_inside_quoted_cells():
    data = (
        'Eje,Programa,Acción,Presupuesto\n"Agua, saneamiento",Red,"Cambiar 3,5 km de tubería",'
        '"$1,250,000.00"\n,,"Instalar medidores, fase 1","$300,000.00"\n'
    )

    parsed = read_plan_file("p.csv", data.encode())

    assert parsed.level_counts == [1, 1, 2]
    assert [a.fields["budget"] for a in parsed.level_nodes(2)] == ["1250000.00", "300000.00"]


@pytest.mark.django_db
def test_an_imported_plan_of_four_levels_keeps_its_tree(network, network_staff):
    plan = import_plan(
        _read("plan_estrategico_2040.md"),
        by=network_staff,
        title="Plan 2040",
        starts_on=datetime.date(2025, 1, 1),
        ends_on=datetime.date(2040, 12, 31),
        languages=["es"],
        network=network,
    )

    theme = Section.objects.get(plan=plan, level=1, position=1)
    assert (theme.parent.title, theme.title) == (
        "Ciudad segura y en paz",
        "Prevención social de la violencia",
    )
    programme = Objective.objects.filter(section=theme).order_by("position").first()
    assert programme.title == "Fortalecimiento de prevención social de la violencia"
    assert plan.level_labels == ["Eje", "Tema", "Programa", "Proyecto"]
    assert Plan.objects.get(pk=plan.pk).status == Plan.Status.DRAFT
