"""Writes fictional plans shaped like real public ones, in the formats and languages they come in.

Every town, number, person and budget here is invented; the shapes are those of real documents:

* `pam_vilanova_2024_2027.csv`: a Catalan municipal action plan (5 axes → 38 lines → 119 objectives
  → 247 actions), one row per action repeating its axis, line and objective, separated by
  semicolons, saved by a spreadsheet program on Windows (Windows-1252), with data cells such as
  "Ampliar l'activitat del casal de joves" and "Activitats d'estiu…";
* `plan_estrategico_2040.md`: a Mexican city's strategic plan in Markdown, 6 axes → 27 themes →
  139 programmes → 364 projects as nested lists, between sections of prose;
* `cartera_proyectos_2040.csv`: the same projects as a portfolio (clave, eje, tema, programa,
  proyecto, responsable, presupuesto, fechas, estatus, indicador), a parent written once and left
  blank below, UTF-8 with a byte-order mark;
* `climate_city_contract.md`: a climate city contract converted from PDF: a glossary, an emissions
  table, a table of short rows ("Objective | …"), the action portfolio (6 fields of action → 42
  actions) split by a page break, and an indicators table;
* `plano_acao_climatica.docx`: a Portuguese climate action plan in Word headings and bullet lists
  (4 axes → 12 objectives → 40 actions), with an introduction and a table of indicators;
* `plan_climat.html`: a French climate plan as an HTML page of headings and lists (5 axes →
  15 orientations → 45 actions), with a budget table.

Run `python tests/plans/data/make_plans.py` to write them again.
"""

import csv
import io
from pathlib import Path

HERE = Path(__file__).parent

# --- Catalan municipal action plan -------------------------------------------------------------

CA_AXES = [
    (
        "Ciutat verda i sostenible",
        [
            "Mobilitat sostenible",
            "Energia i canvi climàtic",
            "Residus i economia circular",
            "Espais verds i biodiversitat",
            "Cicle de l'aigua",
            "Qualitat de l'aire",
            "Soroll i benestar acústic",
            "Educació ambiental",
        ],
    ),
    (
        "Cohesió social i benestar",
        [
            "Serveis socials bàsics",
            "Habitatge assequible",
            "Salut pública",
            "Gent gran",
            "Infància i adolescència",
            "Igualtat de gènere",
            "Diversitat i convivència",
        ],
    ),
    (
        "Economia local i ocupació",
        [
            "Comerç de proximitat",
            "Ocupació i formació",
            "Turisme sostenible",
            "Emprenedoria",
            "Mercats municipals",
            "Polígons d'activitat econòmica",
            "Economia social i solidària",
            "Agricultura periurbana",
        ],
    ),
    (
        "Cultura, educació i esport",
        [
            "Equipaments culturals",
            "Festes i tradicions",
            "Biblioteques",
            "Escoles i llars d'infants",
            "Esport de base",
            "Joventut",
            "Patrimoni històric",
        ],
    ),
    (
        "Bon govern i participació",
        [
            "Transparència",
            "Participació ciutadana",
            "Administració digital",
            "Finances municipals",
            "Organització i personal",
            "Seguretat i convivència",
            "Barris",
            "Cooperació internacional",
        ],
    ),
]
CA_OBJECTIVES = [
    "Millorar la qualitat del servei de {t}",
    "Ampliar l'abast de {t} a tots els barris",
    "Reduir les desigualtats en {t}",
    "Avaluar cada any els resultats de {t}",
]
CA_ACTIONS = [
    "Redactar el pla director de {t}",
    "Ampliar l'activitat del casal de joves vinculada a {t}",
    "Activitats d'estiu per a infants sobre {t}",
    "Crear una comissió de seguiment de {t}",
    "Organitzar sessions informatives als barris sobre {t}",
]
CA_TEAMS = [
    "Àrea de Territori",
    "Àrea de Drets Socials",
    "Àrea de Promoció Econòmica",
    "Àrea de Cultura",
    "Àrea de Govern Obert",
]
CA_STATUSES = ["Previst", "En curs", "Finalitzada", "En curs"]


def catalan_rows() -> list[list[str]]:
    rows = [
        [
            "Eix",
            "Línia",
            "Objectiu",
            "Acció",
            "Responsable",
            "Inici",
            "Fi",
            "Pressupost (€)",
            "Estat",
            "Indicador",
        ]
    ]
    line_number = objective_number = 0
    for a, (axis, lines) in enumerate(CA_AXES, start=1):
        for li, line in enumerate(lines, start=1):
            line_number += 1
            objectives = 4 if line_number % 7 == 0 else 3  # 5 lines of the 38 have four
            for o in range(1, objectives + 1):
                objective_number += 1
                topic = line[0].lower() + line[1:]
                objective = CA_OBJECTIVES[o - 1].format(t=topic)
                actions = 3 if objective_number % 13 == 0 else 2  # 9 objectives of 119 have three
                for n in range(actions):
                    action = CA_ACTIONS[(objective_number + n) % len(CA_ACTIONS)].format(t=topic)
                    budget = (objective_number * 7 + n * 3) % 40 * 2500
                    rows.append(
                        [
                            f"Eix {a}. {axis}",
                            f"{a}.{li} {line}",
                            f"{a}.{li}.{o} {objective}",
                            action,
                            CA_TEAMS[a - 1],
                            f"01/{1 + (objective_number + n) % 12:02d}/2024",
                            f"T{1 + n % 4} 202{5 + n % 3}",
                            _euros(budget) if budget else "",
                            CA_STATUSES[(objective_number + n) % 4],
                            f"Nombre de persones ateses ({topic})" if n == 0 else "",
                        ]
                    )
    return rows


def _euros(amount: int) -> str:
    """12.500,00 €, as Catalan spreadsheets write it."""
    digits = f"{amount:,.2f}".replace(",", " ").replace(".", ",").replace(" ", ".")
    return f"{digits} €"


def write_catalan_csv() -> None:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerows(catalan_rows())
    (HERE / "pam_vilanova_2024_2027.csv").write_bytes(buffer.getvalue().encode("cp1252"))


# --- Mexican strategic plan 2040 ---------------------------------------------------------------

MX_AXES = [
    (
        "Ciudad segura y en paz",
        [
            "Prevención social de la violencia",
            "Policía de proximidad",
            "Justicia cívica",
            "Protección civil",
            "Movilidad segura",
        ],
    ),
    (
        "Ciudad incluyente e igualitaria",
        ["Desarrollo social", "Salud comunitaria", "Igualdad sustantiva", "Grupos prioritarios"],
    ),
    (
        "Ciudad próspera e innovadora",
        ["Empleo", "Emprendimiento", "Turismo", "Abasto y mercados", "Ciencia y tecnología"],
    ),
    (
        "Ciudad sustentable y resiliente",
        ["Agua", "Residuos sólidos", "Áreas verdes", "Cambio climático"],
    ),
    (
        "Ciudad ordenada y conectada",
        [
            "Ordenamiento territorial",
            "Vivienda",
            "Transporte público",
            "Espacio público",
            "Infraestructura vial",
        ],
    ),
    (
        "Gobierno abierto y eficiente",
        ["Transparencia", "Participación ciudadana", "Finanzas públicas", "Gobierno digital"],
    ),
]
MX_PROGRAMMES = [
    "Fortalecimiento de {t}",
    "{T} en los barrios",
    "Innovación en {t}",
    "Coordinación metropolitana de {t}",
    "Evaluación de {t}",
    "Capacitación en {t}",
]
MX_PROJECTS = [
    "Diagnóstico participativo de {t}",
    "Plataforma digital de {t}",
    "Centro comunitario de {t}",
    "Convenio con universidades sobre {t}",
    "Red de promotores de {t}",
]
MX_OFFICES = [
    "Secretaría de Seguridad",
    "Secretaría de Bienestar",
    "Secretaría de Desarrollo Económico",
    "Secretaría de Medio Ambiente",
    "Instituto Municipal de Planeación",
    "Tesorería Municipal",
]
MX_STATUSES = ["Por iniciar", "En proceso", "Concluido"]


def mexican_tree() -> list[tuple[str, list[tuple[str, list[tuple[str, list[str]]]]]]]:
    tree = []
    programme_number = 0
    theme_number = 0
    for axis, themes in MX_AXES:
        theme_nodes = []
        for theme in themes:
            theme_number += 1
            count = 6 if theme_number in (3, 10, 17, 24) else 5  # 4 of 27 themes have six
            programmes = []
            topic = theme[0].lower() + theme[1:]
            for p in range(count):
                programme_number += 1
                name = MX_PROGRAMMES[p].format(t=topic, T=theme)
                projects = 3 if programme_number * 86 % 139 < 86 else 2  # 86 of the 139
                programmes.append(
                    (
                        name,
                        [
                            MX_PROJECTS[(programme_number + n) % len(MX_PROJECTS)].format(t=topic)
                            for n in range(projects)
                        ],
                    )
                )
            theme_nodes.append((theme, programmes))
        tree.append((axis, theme_nodes))
    return tree


def write_mexican_markdown() -> None:
    lines = [
        "# Plan Estratégico Municipal Ciudad del Valle 2040",
        "",
        "Documento de planeación de largo plazo del Ayuntamiento de Ciudad del Valle (ficticio).",
        "",
        "## Presentación",
        "",
        "El plan orienta el desarrollo de la ciudad hasta 2040. Fue elaborado con la "
        "participación de más de cinco mil personas en foros y encuestas.",
        "",
        "## Principios",
        "",
        "- Igualdad",
        "- Sustentabilidad",
        "- Transparencia",
        "",
        "## Ejes, temas, programas y proyectos",
        "",
    ]
    for a, (axis, themes) in enumerate(mexican_tree(), start=1):
        lines.append(f"- **Eje {a}. {axis}**")
        for t, (theme, programmes) in enumerate(themes, start=1):
            lines.append(f"  - Tema {a}.{t}. {theme}")
            for p, (programme, projects) in enumerate(programmes, start=1):
                lines.append(f"    - Programa {a}.{t}.{p}. {programme}")
                for j, project in enumerate(projects, start=1):
                    lines.append(f"      - Proyecto {a}.{t}.{p}.{j}. {project}")
    lines += [
        "",
        "## Seguimiento y evaluación",
        "",
        "El Instituto Municipal de Planeación publicará cada año un informe de avance.",
        "",
    ]
    (HERE / "plan_estrategico_2040.md").write_text("\n".join(lines), encoding="utf-8")


def write_mexican_portfolio() -> None:
    rows = [
        [
            "clave",
            "eje",
            "tema",
            "programa",
            "proyecto",
            "responsable",
            "presupuesto",
            "fecha_inicio",
            "fecha_fin",
            "estatus",
            "indicador",
        ]
    ]
    number = 0
    for a, (axis, themes) in enumerate(mexican_tree(), start=1):
        for t, (theme, programmes) in enumerate(themes, start=1):
            for p, (programme, projects) in enumerate(programmes, start=1):
                for j, project in enumerate(projects, start=1):
                    number += 1
                    first_of = (t == 1 and p == 1 and j == 1, p == 1 and j == 1, j == 1)
                    rows.append(
                        [
                            f"{a}.{t}.{p}.{j}",
                            axis if first_of[0] else "",
                            theme if first_of[1] else "",
                            programme if first_of[2] else "",
                            project,
                            MX_OFFICES[(a + j) % len(MX_OFFICES)],
                            f"${(number % 17 + 1) * 125_000:,.2f}",
                            f"{1 + number % 28:02d}/{1 + number % 12:02d}/2025",
                            f"31/12/20{30 + number % 11}",
                            MX_STATUSES[number % 3],
                            "Porcentaje de avance físico" if j == 1 else "",
                        ]
                    )
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    (HERE / "cartera_proyectos_2040.csv").write_text(buffer.getvalue(), encoding="utf-8-sig")


# --- Climate city contract converted from PDF --------------------------------------------------

CLIMATE_FIELDS = [
    ("Energy systems", "Energy"),
    ("Buildings", "Buildings"),
    ("Transport and mobility", "Mobility"),
    ("Waste and circular economy", "Waste"),
    ("Green infrastructure and nature-based solutions", "Green"),
    ("Agriculture, forestry and other land use", "AFOLU"),
]
CLIMATE_ACTIONS = [
    "Solar panels on {t} municipal roofs",
    "Energy communities for {t}",
    "Retrofit programme for {t}",
    "Low-emission zone extended to {t}",
    "Public procurement criteria for {t}",
    "Citizen climate assembly on {t}",
    "Monitoring platform for {t}",
]


def write_climate_markdown() -> None:
    lines = [
        "# Climate City Contract \u2014 Porto Alba (fictional)",
        "",
        "Page 1 of 40",
        "",
        "## Part A \u2014 Commitments",
        "",
        "Porto Alba commits to climate neutrality by 2030, together with its partners.",
        "",
        "| Term | Definition |",
        "| --- | --- |",
        "| CCC | Climate City Contract, the commitment signed by the city and its partners. |",
        "| NBS | Nature-based solutions: actions that work with nature to address challenges. |",
        "| GHG | Greenhouse gases, counted in tonnes of CO2 equivalent. |",
        "| Scope 1 | Emissions from sources located within the city boundary. |",
        "| Scope 2 | Emissions from grid-supplied energy used within the city. |",
        "| Scope 3 | Emissions outside the city boundary caused by activities within it. |",
        "",
        "## Part B \u2014 Action plan",
        "",
        "### B-1.1 Emissions baseline",
        "",
        "| Sector | 2019 baseline (tCO2e) | 2030 target (tCO2e) | Reduction |",
        "| --- | --- | --- | --- |",
        "| Stationary energy | 412 300 | 41 230 | 90 % |",
        "| Transport | 268 900 | 26 890 | 90 % |",
        "| Waste | 51 200 | 5 120 | 90 % |",
        "| Total | 732 400 | 73 240 | 90 % |",
        "",
        "### B-1.2 Key facts",
        "",
        "| Objective | Climate neutrality by 2030 |",
        "| --- | --- |",
        "| Activity | Action portfolio below |",
        "| Residual emissions | 73 240 tCO2e |",
        "",
        "### B-2.1 Action portfolio",
        "",
    ]
    header = (
        "| Action ID | Field of action | Action | Responsible | Start | End | Cost (M€) | Status |"
    )
    lines += [header, "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    for f, (field, short) in enumerate(CLIMATE_FIELDS, start=1):
        if f == 4:
            # The page breaks: the converter closes the table, prints the footer, repeats headings.
            lines += [
                "",
                "Page 14 of 40",
                "",
                header,
                "| --- | --- | --- | --- | --- | --- | --- | --- |",
            ]
        lines.append(f"| | **{field}** | | | | | | |")
        for n in range(7):
            action = CLIMATE_ACTIONS[n].format(t=short.lower())
            lines.append(
                f"| {short[:2].upper()}-{n + 1:02d} | | {action} | "
                f"{'City Council' if n % 2 else 'Energy agency'} | {2024 + n % 3} | "
                f"{2027 + n % 4} | {(f * 3 + n) / 10:.1f} | "
                f"{['Planned', 'Ongoing', 'Completed'][n % 3]} |"
            )
    lines += [
        "",
        "### B-3.1 Indicators",
        "",
        "| Indicator | Unit | Baseline | Target 2030 |",
        "| --- | --- | --- | --- |",
        "| Renewable electricity share | % | 18 | 80 |",
        "| Modal share of walking, cycling and public transport | % | 54 | 75 |",
        "| Residual waste per inhabitant | kg | 310 | 150 |",
        "",
        "## Part C \u2014 Investment plan",
        "",
        "The investment plan is published as a separate document.",
        "",
    ]
    (HERE / "climate_city_contract.md").write_text("\n".join(lines), encoding="utf-8")


# --- Portuguese climate action plan (Word) ----------------------------------------------------

PT_AXES = [
    ("Energia limpa", ["Produção solar", "Eficiência nos edifícios", "Iluminação pública"]),
    ("Mobilidade sustentável", ["Transporte público", "Modos ativos", "Logística urbana"]),
    ("Adaptação", ["Ondas de calor", "Cheias urbanas", "Gestão da água"]),
    ("Cidadania climática", ["Educação", "Participação", "Comunicação"]),
]
PT_ACTIONS = [
    "Elaborar o plano operacional de {t}",
    "Lançar um concurso para projetos de {t}",
    "Criar um grupo de trabalho sobre {t}",
    "Publicar um relatório anual de {t}",
]


def write_portuguese_docx() -> None:
    import docx

    document = docx.Document()
    document.add_heading("Plano Municipal de Ação Climática de Vila Serena 2030", level=0)
    document.add_heading("Enquadramento", level=1)
    document.add_paragraph(
        "Este plano (fictício) define os eixos, objetivos e ações do município até 2030."
    )
    count = 0
    for a, (axis, objectives) in enumerate(PT_AXES, start=1):
        document.add_heading(f"Eixo {a} \u2013 {axis}", level=1)
        for o, objective in enumerate(objectives, start=1):
            document.add_heading(f"Objetivo {a}.{o} \u2013 {objective}", level=2)
            actions = 4 if (a + o) % 3 == 0 else 3
            for n in range(actions):
                count += 1
                topic = objective[0].lower() + objective[1:]
                document.add_paragraph(PT_ACTIONS[n].format(t=topic), style="List Bullet")
    assert count == 40, count
    document.add_heading("Indicadores", level=1)
    table = document.add_table(rows=1, cols=3)
    for cell, text in zip(table.rows[0].cells, ("Indicador", "Unidade", "Meta 2030"), strict=True):
        cell.text = text
    for name, unit, target in (
        ("Emissões per capita", "tCO2e", "2,1"),
        ("Energia renovável", "%", "60"),
    ):
        cells = table.add_row().cells
        cells[0].text, cells[1].text, cells[2].text = name, unit, target
    document.save(HERE / "plano_acao_climatica.docx")


# --- French climate plan (HTML) -----------------------------------------------------------------

FR_AXES = [
    ("Sobriété énergétique", ["Bâtiments publics", "Éclairage", "Commande publique"]),
    ("Mobilités douces", ["Vélo", "Marche", "Transports en commun"]),
    ("Nature en ville", ["Arbres", "Cours d'école", "Eau"]),
    ("Alimentation durable", ["Restauration scolaire", "Circuits courts", "Gaspillage"]),
    ("Mobilisation citoyenne", ["Associations", "Entreprises", "Jeunes"]),
]
FR_ACTIONS = [
    "Réaliser un diagnostic : {t}",
    "Lancer un appel à projets : {t}",
    "Former les agents municipaux : {t}",
]


def write_french_html() -> None:
    parts = [
        "<!DOCTYPE html>",
        '<html lang="fr"><head><meta charset="utf-8"><title>Plan climat</title></head><body>',
        "<header><p>Ville de Montclair (fictive)</p></header>",
        "<main>",
        "<h1>Plan Climat Air Énergie Territorial 2026-2030</h1>",
        "<h2>Introduction</h2>",
        "<p>Ce plan fictif décline la stratégie climat de la ville en axes, orientations et "
        "actions.</p>",
        "<h2>Budget par axe</h2>",
        "<table><tr><th>Axe</th><th>Budget (k€)</th></tr>",
    ]
    for a, (axis, _orientations) in enumerate(FR_AXES, start=1):
        parts.append(f"<tr><td>{axis}</td><td>{a * 350}</td></tr>")
    parts.append("</table>")
    for a, (axis, orientations) in enumerate(FR_AXES, start=1):
        parts.append(f"<h2>Axe {a} : {axis}</h2>")
        parts.append(f"<p>Ce que la ville fera pour : {axis.lower()}.</p>")
        for o, orientation in enumerate(orientations, start=1):
            parts.append(f"<h3>Orientation {a}.{o} \u2013 {orientation}</h3><ul>")
            for action in FR_ACTIONS:
                parts.append(f"<li>{action.format(t=orientation.lower())}</li>")
            parts.append("</ul>")
    parts += ["</main>", "<footer><p>Mairie de Montclair</p></footer>", "</body></html>", ""]
    (HERE / "plan_climat.html").write_text("\n".join(parts), encoding="utf-8")


def main() -> None:
    write_catalan_csv()
    write_mexican_markdown()
    write_mexican_portfolio()
    write_climate_markdown()
    write_portuguese_docx()
    write_french_html()


if __name__ == "__main__":
    main()
