import io
import re
import zipfile
from pathlib import Path

import pytest

from municipia.plans.importing import (
    ParsedNode,
    PlanImportError,
    clean_text,
    continues,
    read_plan_file,
)
from tests.archives import MB, build, docx_bomb, peak_memory, with_lie, xlsx_bomb

FIXTURES = Path(__file__).parent / "fixtures"


def _objective(title: str, activities: list[str], description: str = "") -> ParsedNode:
    return ParsedNode(
        title=title, description=description, children=[ParsedNode(title=a) for a in activities]
    )


DEMO_DATA = Path(__file__).parents[2] / "municipia" / "demo" / "data"

EXPECTED = [
    _objective(
        title="Fortalecer las capacidades de los gobiernos locales",
        activities=[
            "Ofrecer formación a las ciudades miembro.",
            "Publicar una guía de buenas prácticas.",
            "Organizar un seminario anual sobre evaluación.",
        ],
    ),
    _objective(
        title="Impulsar visitas de estudio",
        activities=[
            "Organizar visitas de estudio a experiencias de las ciudades.",
            "Promover visitas a las experiencias ganadoras del Premio 2029.",
            "Atender las demandas de visitas bilaterales.",
        ],
    ),
    _objective(
        title="Dar voz a las alcaldesas y alcaldes como protagonistas de las transformaciones locales",
        activities=[
            "Incorporar su perspectiva en las publicaciones, y encuentros regionales.",
            "Realizar entrevistas a alcaldes.",
        ],
    ),
    _objective(
        title="Reforzar la comunicación",
        description="Renovar el banco de datos.",
        activities=[
            "Lanzar la web del congreso.",
            "Abrir canales de consulta de las ciudades miembro.",
        ],
    ),
    _objective(
        title="Impulsar campañas",
        activities=["Celebrar el Día Internacional.", "Elaborar materiales de difusión."],
    ),
    _objective(
        title="Mejorar el servicio ofrecido.",
        activities=[
            "Reforzar la formación del equipo del Secretariado.",
            "Atender a las demandas de las ciudades asociadas.",
        ],
    ),
]
FORMATS = [
    ("action_plan.txt", "text"),
    ("action_plan.html", "html"),
    ("action_plan.md", "markdown"),
    ("action_plan.csv", "csv"),
    ("action_plan.xlsx", "xlsx"),
    ("action_plan.docx", "docx"),
]
MARKUP = ("<", ">", "**", "__", "•", "&nbsp;", "\u00a0")


def _read(name: str):
    return read_plan_file(name, (FIXTURES / name).read_bytes())


@pytest.mark.parametrize(("name", "fmt"), FORMATS)
def test_read_plan_file_gives_every_objective_with_all_its_activities(name, fmt):
    parsed = _read(name)

    assert parsed.format == fmt
    assert parsed.objectives == EXPECTED
    assert parsed.activity_count == 14


@pytest.mark.parametrize(("name", "fmt"), FORMATS)
def test_read_plan_file_leaves_no_markup(name, fmt):
    parsed = _read(name)

    texts = [
        t
        for o in parsed.objectives
        for t in (o.title, o.description, *(a.title for a in o.children))
    ]
    assert [t for t in texts if any(mark in t for mark in MARKUP)] == []


@pytest.mark.parametrize("name", ["action_plan.txt", "action_plan.html", "action_plan.xlsx"])
def test_read_plan_file_takes_the_documents_title(name):
    assert _read(name).title.lower() == "plan de acción 2030"


def test_read_plan_file_reports_the_letterhead_it_left_out():
    parsed = _read("action_plan.txt")

    assert parsed.warnings == [
        "Text outside the table was left out: “ASOCIACIÓN DE EJEMPLO Ciudades de Ejemplo”."
    ]


def test_read_plan_file_imports_the_shipped_aice_action_plan_completely():
    path = DEMO_DATA / "aice_action_plan_2025.txt"

    parsed = read_plan_file(path.name, path.read_bytes())

    assert [len(o.children) for o in parsed.objectives] == [
        3, 7, 2, 3, 3, 4, 2, 2, 3, 4, 5, 1, 3, 2, 3, 5, 2, 2, 4, 4, 2,
    ]  # fmt: skip
    assert parsed.objectives[13].title == (
        "Dar voz a los alcaldes y alcaldesas como protagonistas de las transformaciones locales"
    )
    assert parsed.objectives[5].children[2].title == (
        "Promover visitas de estudio a las experiencias ganadoras y finalistas del Premio 2024."
    )
    assert parsed.objectives[10].children[2].title == (
        "Abrir diferentes canales de consulta y participación de las ciudades miembro."
    )
    texts = [
        t
        for o in parsed.objectives
        for t in (o.title, o.description, *(a.title for a in o.children))
    ]
    assert [t for t in texts if any(mark in t for mark in MARKUP)] == []


def test_read_plan_file_skips_a_repeated_row_of_headings():
    data = (
        "Objectives,Activities\nGrow,Train staff.\nObjectives,Activities\nShare,Publish a guide.\n"
    )

    parsed = read_plan_file("plan.csv", data.encode())

    assert [o.title for o in parsed.objectives] == ["Grow", "Share"]


def test_read_plan_file_reads_columns_by_their_headings():
    data = "Activities;Owner;Objectives\nTrain staff.;Team A;Grow\n"

    parsed = read_plan_file("plan.csv", data.encode())

    assert parsed.roots == [
        ParsedNode(
            title="Grow",
            children=[ParsedNode(title="Train staff.", fields={"responsible": "Team A"})],
        )
    ]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (
            "image.png",
            "This file is an image, not a table: upload the plan as HTML, DOCX, XLSX, CSV or Markdown.",
        ),
        ("empty_table.html", "The table has no rows of objectives and activities."),
        ("broken.html", "This HTML file is damaged or cut short: a table in it is never closed."),
        ("not_a_table.html", "No table was found in this HTML file."),
        (
            "no_activities.csv",
            "The table has no two columns to read as levels of the plan (objectives and "
            "activities, or more): its headings are “Objetivos”, “Presupuesto”, “Responsable”. "
            "Choose which columns hold the levels.",
        ),
        (
            "one_column.csv",
            "The table has one column only: a plan needs its objectives in one column and their "
            "activities in another.",
        ),
    ],
)
def test_read_plan_file_refuses_a_file_that_is_not_a_plan(name, message):
    with pytest.raises(PlanImportError) as error:
        _read(name)

    assert str(error.value) == message


def test_read_plan_file_refuses_an_image_renamed_as_csv():
    with pytest.raises(PlanImportError, match="This file is an image"):
        read_plan_file("plan.csv", (FIXTURES / "image.png").read_bytes())


def test_read_plan_file_refuses_a_50_mb_file():
    with pytest.raises(PlanImportError) as error:
        read_plan_file("plan.csv", b"a,b\n" * (50 * 1024 * 1024 // 4))

    assert str(error.value) == "The file is too large (50.0 MB); the limit is 5 MB."


def test_read_plan_file_refuses_an_empty_file():
    with pytest.raises(PlanImportError, match=re.escape("The file is empty.")):
        read_plan_file("plan.csv", b"")


def test_read_plan_file_refuses_binary_data():
    with pytest.raises(PlanImportError, match="This file is not a document we can read"):
        read_plan_file("plan.txt", b"\x00\x01\x02garbage" * 10)


def test_read_plan_file_refuses_a_damaged_word_file():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<not really xml")

    with pytest.raises(PlanImportError, match="This Word file is damaged"):
        read_plan_file("plan.docx", buffer.getvalue())


@pytest.mark.parametrize(
    ("name", "members", "message"),
    [
        ("plan.docx", docx_bomb(200 * MB), "would expand to more than 100 MB"),
        ("plan.docx", docx_bomb(50 * MB), "expands more than 100 times"),
        ("plan.docx", with_lie(docx_bomb(200 * MB), "word/document.xml"), "holds more than"),
        ("plan.xlsx", xlsx_bomb(200 * MB), "would expand to more than 100 MB"),
        ("plan.xlsx", with_lie(xlsx_bomb(200 * MB), "xl/worksheets/sheet1.xml"), "holds more"),
    ],
    ids=["docx", "docx-ratio", "docx-lying", "xlsx", "xlsx-lying"],
)
def test_read_plan_file_refuses_a_zip_bomb_before_opening_it(name, members, message):
    bomb = build(members)
    assert len(bomb) < MB

    with peak_memory() as peak, pytest.raises(PlanImportError, match=message):
        read_plan_file(name, bomb)

    assert peak[0] < 20 * MB


def test_read_plan_file_refuses_a_table_of_objectives_without_activities():
    data = "Objetivos;Actividades\nFortalecer;\nImpulsar;\n"

    with pytest.raises(PlanImportError, match="the activities column is empty"):
        read_plan_file("plan.csv", data.encode())


@pytest.mark.parametrize(
    ("previous", "following", "expected"),
    [
        ("Abrir canales de las ciudades", "miembro.", True),
        ("Promover visitas ganadoras del", "Premio 2024.", True),
        ("Incorporar la perspectiva, y", "Encuentros.", True),
        ("Fomentar la red.", "Realizar formación.", False),
        ("Impulsar campañas", "Promover proyectos", False),
        ("partici-", "pación.", True),
    ],
)
def test_continues_recognises_text_cut_by_a_page_break(previous, following, expected):
    assert continues(previous, following) is expected


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("• <b>Reforzar</b> la <u>comunicación</u>", "Reforzar la comunicación"),
        ("**Mejora del servicio.**", "Mejora del servicio."),
        ("- item   with\u00a0spaces ", "item with spaces"),
        ("“Ciudad, Valores y Educación” .", "“Ciudad, Valores y Educación”."),
        ("Objectifs : agir ensemble", "Objectifs : agir ensemble"),
    ],
)
def test_clean_text_strips_markup(raw, clean):
    assert clean_text(raw) == clean
