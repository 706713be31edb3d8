"""A bank of short everyday sentences in English, searched in Catalan, Spanish, French and
Portuguese: each English sentence's translation is a query, the sentence its one answer.

Sentences are built from frames written in the five languages and slots whose values are
translated too (places with their prepositions, objects and food with their articles, times);
names, years and amounts stay the same in every language, as they do in real translations. The
"tune" bank (about 1,200 sentences) and the "held-out" bank (about 600) share no frame and no
name: a setting chosen on one is checked on the other.
"""

import random

LANGUAGES = ("en", "es", "fr", "ca", "pt")
QUERY_LANGUAGES = ("ca", "es", "fr", "pt")

# Few names, as in a real bank of everyday sentences: many sentences share a frame and a name and
# differ by a place, an object or a time, which only meaning tells apart across languages.
NAMES = {
    "tune": ["Marta", "Jordi", "Lucas", "Inês", "Hugo", "Clara", "Pablo", "Sofia"],
    "held-out": ["Alba", "Ricardo", "Manon", "Xavier", "Helena", "Rui"],
}

# Slot values: (en, es, fr, ca, pt).
LOC = [
    ("at the station", "en la estación", "à la gare", "a l'estació", "na estação"),
    ("at the market", "en el mercado", "au marché", "al mercat", "no mercado"),
    ("in the park", "en el parque", "au parc", "al parc", "no parque"),
    ("at the library", "en la biblioteca", "à la bibliothèque", "a la biblioteca", "na biblioteca"),
    ("at the beach", "en la playa", "à la plage", "a la platja", "na praia"),
    ("in the kitchen", "en la cocina", "dans la cuisine", "a la cuina", "na cozinha"),
    ("at the hospital", "en el hospital", "à l'hôpital", "a l'hospital", "no hospital"),
    ("at the airport", "en el aeropuerto", "à l'aéroport", "a l'aeroport", "no aeroporto"),
    ("in the garden", "en el jardín", "dans le jardin", "al jardí", "no jardim"),
    ("at the office", "en la oficina", "au bureau", "a l'oficina", "no escritório"),
    ("at school", "en la escuela", "à l'école", "a l'escola", "na escola"),
    ("at the bakery", "en la panadería", "à la boulangerie", "al forn de pa", "na padaria"),
    (
        "at the bus stop",
        "en la parada del autobús",
        "à l'arrêt de bus",
        "a la parada de l'autobús",
        "no ponto de ônibus",
    ),
    ("at the swimming pool", "en la piscina", "à la piscine", "a la piscina", "na piscina"),
    ("at the museum", "en el museo", "au musée", "al museu", "no museu"),
    ("at the pharmacy", "en la farmacia", "à la pharmacie", "a la farmàcia", "na farmácia"),
]
DEST = [
    ("to the station", "a la estación", "à la gare", "a l'estació", "para a estação"),
    ("to the market", "al mercado", "au marché", "al mercat", "para o mercado"),
    ("to the park", "al parque", "au parc", "al parc", "para o parque"),
    (
        "to the library",
        "a la biblioteca",
        "à la bibliothèque",
        "a la biblioteca",
        "para a biblioteca",
    ),
    ("to the beach", "a la playa", "à la plage", "a la platja", "para a praia"),
    ("to the hospital", "al hospital", "à l'hôpital", "a l'hospital", "para o hospital"),
    ("to the airport", "al aeropuerto", "à l'aéroport", "a l'aeroport", "para o aeroporto"),
    ("to the office", "a la oficina", "au bureau", "a l'oficina", "para o escritório"),
    ("to school", "a la escuela", "à l'école", "a l'escola", "para a escola"),
    ("to the museum", "al museo", "au musée", "al museu", "para o museu"),
    ("to the cinema", "al cine", "au cinéma", "al cinema", "para o cinema"),
    ("to the mountains", "a la montaña", "à la montagne", "a la muntanya", "para a montanha"),
]
OBJECT = [
    ("the keys", "las llaves", "les clés", "les claus", "as chaves"),
    ("an umbrella", "un paraguas", "un parapluie", "un paraigua", "um guarda-chuva"),
    (
        "a new bicycle",
        "una bicicleta nueva",
        "un vélo neuf",
        "una bicicleta nova",
        "uma bicicleta nova",
    ),
    ("the tickets", "las entradas", "les billets", "les entrades", "os ingressos"),
    ("a red coat", "un abrigo rojo", "un manteau rouge", "un abric vermell", "um casaco vermelho"),
    ("the phone", "el teléfono", "le téléphone", "el telèfon", "o telefone"),
    (
        "a blue backpack",
        "una mochila azul",
        "un sac à dos bleu",
        "una motxilla blava",
        "uma mochila azul",
    ),
    (
        "a black wallet",
        "una cartera negra",
        "un portefeuille noir",
        "una cartera negra",
        "uma carteira preta",
    ),
    ("a pair of glasses", "unas gafas", "des lunettes", "unes ulleres", "uns óculos"),
    (
        "a map of the city",
        "un mapa de la ciudad",
        "un plan de la ville",
        "un mapa de la ciutat",
        "um mapa da cidade",
    ),
    (
        "an old camera",
        "una cámara vieja",
        "un vieil appareil photo",
        "una càmera vella",
        "uma câmera antiga",
    ),
    (
        "a laptop",
        "un ordenador portátil",
        "un ordinateur portable",
        "un ordinador portàtil",
        "um computador portátil",
    ),
    (
        "a birthday present",
        "un regalo de cumpleaños",
        "un cadeau d'anniversaire",
        "un regal d'aniversari",
        "um presente de aniversário",
    ),
    ("a green hat", "un sombrero verde", "un chapeau vert", "un barret verd", "um chapéu verde"),
    ("a guitar", "una guitarra", "une guitare", "una guitarra", "uma guitarra"),
    ("a watch", "un reloj", "une montre", "un rellotge", "um relógio"),
]
FOOD = [
    ("fresh bread", "pan fresco", "du pain frais", "pa fresc", "pão fresco"),
    (
        "vegetable soup",
        "sopa de verduras",
        "de la soupe aux légumes",
        "sopa de verdures",
        "sopa de legumes",
    ),
    (
        "grilled fish",
        "pescado a la plancha",
        "du poisson grillé",
        "peix a la planxa",
        "peixe grelhado",
    ),
    (
        "a chocolate cake",
        "un pastel de chocolate",
        "un gâteau au chocolat",
        "un pastís de xocolata",
        "um bolo de chocolate",
    ),
    (
        "rice with chicken",
        "arroz con pollo",
        "du riz au poulet",
        "arròs amb pollastre",
        "arroz com frango",
    ),
    ("an apple", "una manzana", "une pomme", "una poma", "uma maçã"),
    ("strawberries", "fresas", "des fraises", "maduixes", "morangos"),
    ("cheese", "queso", "du fromage", "formatge", "queijo"),
    ("a salad", "una ensalada", "une salade", "una amanida", "uma salada"),
    (
        "pasta with tomato sauce",
        "pasta con salsa de tomate",
        "des pâtes à la sauce tomate",
        "pasta amb salsa de tomàquet",
        "massa com molho de tomate",
    ),
]
PAST = [
    ("this morning", "esta mañana", "ce matin", "aquest matí", "hoje de manhã"),
    ("yesterday evening", "ayer por la tarde", "hier soir", "ahir al vespre", "ontem à noite"),
    ("last Saturday", "el sábado pasado", "samedi dernier", "dissabte passat", "no sábado passado"),
    ("on Monday", "el lunes", "lundi", "dilluns", "na segunda-feira"),
    ("two days ago", "hace dos días", "il y a deux jours", "fa dos dies", "há dois dias"),
    (
        "last week",
        "la semana pasada",
        "la semaine dernière",
        "la setmana passada",
        "na semana passada",
    ),
    ("at noon", "al mediodía", "à midi", "al migdia", "ao meio-dia"),
    (
        "late at night",
        "muy tarde por la noche",
        "tard dans la nuit",
        "molt tard a la nit",
        "tarde da noite",
    ),
]
HOUR = [
    (f"at {h}:{m}", f"a las {h}:{m}", f"à {h} h {m}", f"a les {h}:{m}", f"às {h}:{m}")
    for h, m in [("6", "45"), ("7", "30"), ("8", "15"), ("9", "40"), ("10", "20"), ("11", "50")]
]
CITY = [
    ("London", "Londres", "Londres", "Londres", "Londres"),
    ("Geneva", "Ginebra", "Genève", "Ginebra", "Genebra"),
    ("Lisbon", "Lisboa", "Lisbonne", "Lisboa", "Lisboa"),
    ("Seville", "Sevilla", "Séville", "Sevilla", "Sevilha"),
    ("Munich", "Múnich", "Munich", "Munic", "Munique"),
    ("Rome", "Roma", "Rome", "Roma", "Roma"),
    ("Brussels", "Bruselas", "Bruxelles", "Brussel·les", "Bruxelas"),
    ("Marseille", "Marsella", "Marseille", "Marsella", "Marselha"),
    ("Berlin", "Berlín", "Berlin", "Berlín", "Berlim"),
    ("Madrid", "Madrid", "Madrid", "Madrid", "Madri"),
    ("Lyon", "Lyon", "Lyon", "Lió", "Lyon"),
    ("Florence", "Florencia", "Florence", "Florència", "Florença"),
    ("Athens", "Atenas", "Athènes", "Atenes", "Atenas"),
    ("Vienna", "Viena", "Vienne", "Viena", "Viena"),
    ("Dublin", "Dublín", "Dublin", "Dublín", "Dublin"),
    ("Edinburgh", "Edimburgo", "Édimbourg", "Edimburg", "Edimburgo"),
    ("Naples", "Nápoles", "Naples", "Nàpols", "Nápoles"),
    ("Bordeaux", "Burdeos", "Bordeaux", "Bordeus", "Bordéus"),
    ("Amsterdam", "Ámsterdam", "Amsterdam", "Amsterdam", "Amsterdã"),
]
SLOTS = {
    "loc": LOC,
    "dest": DEST,
    "object": OBJECT,
    "food": FOOD,
    "past": PAST,
    "hour": HOUR,
    "city": CITY,
}
# Slots whose value is the same in every language.
PLAIN = {"name", "name2", "year", "amount"}

FRAMES = {
    "tune": [
        (
            "{name} lost {object} {loc} {past}.",
            "{name} perdió {object} {loc} {past}.",
            "{name} a perdu {object} {loc} {past}.",
            "{name} va perdre {object} {loc} {past}.",
            "{name} perdeu {object} {loc} {past}.",
        ),
        (
            "{name} found {object} {loc}.",
            "{name} encontró {object} {loc}.",
            "{name} a trouvé {object} {loc}.",
            "{name} va trobar {object} {loc}.",
            "{name} encontrou {object} {loc}.",
        ),
        (
            "{name} bought {object} {past}.",
            "{name} compró {object} {past}.",
            "{name} a acheté {object} {past}.",
            "{name} va comprar {object} {past}.",
            "{name} comprou {object} {past}.",
        ),
        (
            "{name} gave {object} to a neighbour.",
            "{name} le dio {object} a un vecino.",
            "{name} a donné {object} à un voisin.",
            "{name} va donar {object} a un veí.",
            "{name} deu {object} a um vizinho.",
        ),
        (
            "{name} forgot {object} at home.",
            "{name} olvidó {object} en casa.",
            "{name} a oublié {object} à la maison.",
            "{name} es va deixar {object} a casa.",
            "{name} esqueceu {object} em casa.",
        ),
        (
            "{name} is looking for {object}.",
            "{name} está buscando {object}.",
            "{name} cherche {object}.",
            "{name} busca {object}.",
            "{name} está procurando {object}.",
        ),
        (
            "{name} wants to sell {object}.",
            "{name} quiere vender {object}.",
            "{name} veut vendre {object}.",
            "{name} vol vendre {object}.",
            "{name} quer vender {object}.",
        ),
        (
            "{name} left {object} on the train.",
            "{name} dejó {object} en el tren.",
            "{name} a laissé {object} dans le train.",
            "{name} es va deixar {object} al tren.",
            "{name} deixou {object} no trem.",
        ),
        (
            "{name} ate {food} {past}.",
            "{name} comió {food} {past}.",
            "{name} a mangé {food} {past}.",
            "{name} va menjar {food} {past}.",
            "{name} comeu {food} {past}.",
        ),
        (
            "{name} is cooking {food} for dinner.",
            "{name} está cocinando {food} para la cena.",
            "{name} prépare {food} pour le dîner.",
            "{name} està cuinant {food} per sopar.",
            "{name} está cozinhando {food} para o jantar.",
        ),
        (
            "{name} ordered {food} at the restaurant.",
            "{name} pidió {food} en el restaurante.",
            "{name} a commandé {food} au restaurant.",
            "{name} va demanar {food} al restaurant.",
            "{name} pediu {food} no restaurante.",
        ),
        (
            "{name} brought {food} to the party.",
            "{name} trajo {food} a la fiesta.",
            "{name} a apporté {food} à la fête.",
            "{name} va portar {food} a la festa.",
            "{name} levou {food} para a festa.",
        ),
        (
            "{name} bought {food} {loc}.",
            "{name} compró {food} {loc}.",
            "{name} a acheté {food} {loc}.",
            "{name} va comprar {food} {loc}.",
            "{name} comprou {food} {loc}.",
        ),
        (
            "{name} goes {dest} every day.",
            "{name} va {dest} todos los días.",
            "{name} va {dest} tous les jours.",
            "{name} va {dest} cada dia.",
            "{name} vai {dest} todos os dias.",
        ),
        (
            "{name} took a taxi {dest} {past}.",
            "{name} tomó un taxi {dest} {past}.",
            "{name} a pris un taxi pour aller {dest} {past}.",
            "{name} va agafar un taxi {dest} {past}.",
            "{name} pegou um táxi {dest} {past}.",
        ),
        (
            "{name} wants to go {dest} tomorrow.",
            "{name} quiere ir {dest} mañana.",
            "{name} veut aller {dest} demain.",
            "{name} vol anar {dest} demà.",
            "{name} quer ir {dest} amanhã.",
        ),
        (
            "{name} takes the bus {dest} {hour}.",
            "{name} toma el autobús {dest} {hour}.",
            "{name} prend le bus pour aller {dest} {hour}.",
            "{name} agafa l'autobús {dest} {hour}.",
            "{name} pega o ônibus {dest} {hour}.",
        ),
        (
            "{name} gets up {hour} on weekdays.",
            "{name} se levanta {hour} entre semana.",
            "{name} se lève {hour} en semaine.",
            "{name} es lleva {hour} entre setmana.",
            "{name} se levanta {hour} durante a semana.",
        ),
        (
            "The meeting with {name} starts {hour}.",
            "La reunión con {name} empieza {hour}.",
            "La réunion avec {name} commence {hour}.",
            "La reunió amb {name} comença {hour}.",
            "A reunião com {name} começa {hour}.",
        ),
        (
            "{name} met an old friend {loc}.",
            "{name} se encontró con un viejo amigo {loc}.",
            "{name} a rencontré un vieil ami {loc}.",
            "{name} es va trobar amb un vell amic {loc}.",
            "{name} encontrou um velho amigo {loc}.",
        ),
        (
            "{name} is reading a newspaper {loc}.",
            "{name} está leyendo un periódico {loc}.",
            "{name} lit un journal {loc}.",
            "{name} està llegint un diari {loc}.",
            "{name} está lendo um jornal {loc}.",
        ),
        (
            "{name} works {loc} three days a week.",
            "{name} trabaja {loc} tres días a la semana.",
            "{name} travaille {loc} trois jours par semaine.",
            "{name} treballa {loc} tres dies a la setmana.",
            "{name} trabalha {loc} três dias por semana.",
        ),
        (
            "{name} had lunch {loc} {past}.",
            "{name} almorzó {loc} {past}.",
            "{name} a déjeuné {loc} {past}.",
            "{name} va dinar {loc} {past}.",
            "{name} almoçou {loc} {past}.",
        ),
        (
            "{name} took many photos {loc}.",
            "{name} sacó muchas fotos {loc}.",
            "{name} a pris beaucoup de photos {loc}.",
            "{name} va fer moltes fotos {loc}.",
            "{name} tirou muitas fotos {loc}.",
        ),
        (
            "It was very cold {loc} {past}.",
            "Hacía mucho frío {loc} {past}.",
            "Il faisait très froid {loc} {past}.",
            "Feia molt de fred {loc} {past}.",
            "Estava muito frio {loc} {past}.",
        ),
        (
            "There were a lot of people {loc} {past}.",
            "Había mucha gente {loc} {past}.",
            "Il y avait beaucoup de monde {loc} {past}.",
            "Hi havia molta gent {loc} {past}.",
            "Havia muita gente {loc} {past}.",
        ),
        (
            "{name} waited two hours {loc}.",
            "{name} esperó dos horas {loc}.",
            "{name} a attendu deux heures {loc}.",
            "{name} va esperar dues hores {loc}.",
            "{name} esperou duas horas {loc}.",
        ),
        (
            "{name} and {name2} played cards {past}.",
            "{name} y {name2} jugaron a las cartas {past}.",
            "{name} et {name2} ont joué aux cartes {past}.",
            "{name} i {name2} van jugar a cartes {past}.",
            "{name} e {name2} jogaram cartas {past}.",
        ),
        (
            "{name} sent a letter to {name2}.",
            "{name} le envió una carta a {name2}.",
            "{name} a envoyé une lettre à {name2}.",
            "{name} va enviar una carta a {name2}.",
            "{name} enviou uma carta para {name2}.",
        ),
        (
            "{name} is teaching {name2} to swim.",
            "{name} le está enseñando a nadar a {name2}.",
            "{name} apprend à nager à {name2}.",
            "{name} està ensenyant a nedar a {name2}.",
            "{name} está ensinando {name2} a nadar.",
        ),
        (
            "{name} painted the walls of the living room {past}.",
            "{name} pintó las paredes del salón {past}.",
            "{name} a peint les murs du salon {past}.",
            "{name} va pintar les parets del menjador {past}.",
            "{name} pintou as paredes da sala {past}.",
        ),
        (
            "{name} paid {amount} euros for {object}.",
            "{name} pagó {amount} euros por {object}.",
            "{name} a payé {amount} euros pour {object}.",
            "{name} va pagar {amount} euros per {object}.",
            "{name} pagou {amount} euros por {object}.",
        ),
        (
            "The train to {city} leaves {hour}.",
            "El tren a {city} sale {hour}.",
            "Le train pour {city} part {hour}.",
            "El tren cap a {city} surt {hour}.",
            "O trem para {city} sai {hour}.",
        ),
        (
            "{name} moved to {city} in {year}.",
            "{name} se mudó a {city} en {year}.",
            "{name} a déménagé à {city} en {year}.",
            "{name} es va traslladar a {city} el {year}.",
            "{name} se mudou para {city} em {year}.",
        ),
        (
            "{name} visited {city} with some friends in {year}.",
            "{name} visitó {city} con unos amigos en {year}.",
            "{name} a visité {city} avec des amis en {year}.",
            "{name} va visitar {city} amb uns amics el {year}.",
            "{name} visitou {city} com alguns amigos em {year}.",
        ),
        (
            "{name} has lived in {city} since {year}.",
            "{name} vive en {city} desde {year}.",
            "{name} habite à {city} depuis {year}.",
            "{name} viu a {city} des del {year}.",
            "{name} mora em {city} desde {year}.",
        ),
    ],
    "held-out": [
        (
            "{name} dropped {object} {loc}.",
            "{name} dejó caer {object} {loc}.",
            "{name} a fait tomber {object} {loc}.",
            "{name} va deixar caure {object} {loc}.",
            "{name} deixou cair {object} {loc}.",
        ),
        (
            "{name} is carrying {object} in a bag.",
            "{name} lleva {object} en una bolsa.",
            "{name} porte {object} dans un sac.",
            "{name} porta {object} en una bossa.",
            "{name} leva {object} numa sacola.",
        ),
        (
            "{name} received {object} as a gift {past}.",
            "{name} recibió {object} de regalo {past}.",
            "{name} a reçu {object} en cadeau {past}.",
            "{name} va rebre {object} com a regal {past}.",
            "{name} ganhou {object} de presente {past}.",
        ),
        (
            "{name} shared {food} with the children.",
            "{name} compartió {food} con los niños.",
            "{name} a partagé {food} avec les enfants.",
            "{name} va compartir {food} amb els nens.",
            "{name} dividiu {food} com as crianças.",
        ),
        (
            "{name} is eating {food} {loc}.",
            "{name} está comiendo {food} {loc}.",
            "{name} mange {food} {loc}.",
            "{name} està menjant {food} {loc}.",
            "{name} está comendo {food} {loc}.",
        ),
        (
            "{name} cycles {dest} when it does not rain.",
            "{name} va en bicicleta {dest} cuando no llueve.",
            "{name} va {dest} à vélo quand il ne pleut pas.",
            "{name} va en bicicleta {dest} quan no plou.",
            "{name} vai de bicicleta {dest} quando não chove.",
        ),
        (
            "{name} is driving {dest} right now.",
            "{name} va en coche {dest} ahora mismo.",
            "{name} va {dest} en voiture en ce moment.",
            "{name} està conduint cap {dest} ara mateix.",
            "{name} está dirigindo {dest} agora mesmo.",
        ),
        (
            "{name} has a doctor's appointment {hour}.",
            "{name} tiene cita con el médico {hour}.",
            "{name} a rendez-vous chez le médecin {hour}.",
            "{name} té hora amb el metge {hour}.",
            "{name} tem consulta com o médico {hour}.",
        ),
        (
            "{name} is resting on a bench {loc}.",
            "{name} descansa en un banco {loc}.",
            "{name} se repose sur un banc {loc}.",
            "{name} descansa en un banc {loc}.",
            "{name} descansa num banco {loc}.",
        ),
        (
            "{name} heard a strange noise {loc} {past}.",
            "{name} oyó un ruido extraño {loc} {past}.",
            "{name} a entendu un bruit étrange {loc} {past}.",
            "{name} va sentir un soroll estrany {loc} {past}.",
            "{name} ouviu um barulho estranho {loc} {past}.",
        ),
        (
            "It rained all afternoon {loc} {past}.",
            "Llovió toda la tarde {loc} {past}.",
            "Il a plu tout l'après-midi {loc} {past}.",
            "Va ploure tota la tarda {loc} {past}.",
            "Choveu a tarde toda {loc} {past}.",
        ),
        (
            "{name} invited {name2} to dinner {past}.",
            "{name} invitó a {name2} a cenar {past}.",
            "{name} a invité {name2} à dîner {past}.",
            "{name} va convidar {name2} a sopar {past}.",
            "{name} convidou {name2} para jantar {past}.",
        ),
        (
            "{name} sold {object} for {amount} euros.",
            "{name} vendió {object} por {amount} euros.",
            "{name} a vendu {object} pour {amount} euros.",
            "{name} va vendre {object} per {amount} euros.",
            "{name} vendeu {object} por {amount} euros.",
        ),
        (
            "{name} studied in {city} until {year}.",
            "{name} estudió en {city} hasta {year}.",
            "{name} a étudié à {city} jusqu'en {year}.",
            "{name} va estudiar a {city} fins al {year}.",
            "{name} estudou em {city} até {year}.",
        ),
        (
            "{name} will fly to {city} next week.",
            "{name} volará a {city} la semana que viene.",
            "{name} prendra l'avion pour {city} la semaine prochaine.",
            "{name} volarà a {city} la setmana que ve.",
            "{name} vai voar para {city} na próxima semana.",
        ),
        (
            "{name} cleaned the windows {past}.",
            "{name} limpió las ventanas {past}.",
            "{name} a nettoyé les fenêtres {past}.",
            "{name} va netejar les finestres {past}.",
            "{name} limpou as janelas {past}.",
        ),
    ],
}
SIZES = {"tune": 1200, "held-out": 600}


def _fill(frame: tuple[str, ...], rng: random.Random, names: list[str]) -> tuple[str, ...]:
    english = frame[0]
    values = {}
    for slot, choices in SLOTS.items():
        if "{" + slot + "}" in english:
            values[slot] = rng.choice(choices)
    first, second = rng.sample(names, 2)
    plain = {"name": first, "name2": second, "year": str(rng.randint(2005, 2023))}
    plain["amount"] = str(rng.choice([15, 20, 35, 40, 60, 75, 90, 120, 150, 240, 300, 450]))
    sentences = []
    for position, text in enumerate(frame):
        slot_values = {slot: value[position] for slot, value in values.items()}
        sentence = text.format(**plain, **slot_values)
        sentences.append(sentence[0].upper() + sentence[1:])
    return tuple(sentences)


def bank(variant: str, seed: int = 5):
    """(documents, queries) of the `variant` bank: English documents, their translations as
    queries (one per query language)."""
    rng = random.Random(seed + (1 if variant == "held-out" else 0))
    frames, names, size = FRAMES[variant], NAMES[variant], SIZES[variant]
    seen, rows = set(), []
    attempts = 0
    while len(rows) < size and attempts < size * 50:
        attempts += 1
        sentences = _fill(frames[len(rows) % len(frames)], rng, names)
        if sentences[0] in seen:
            continue
        seen.add(sentences[0])
        rows.append(sentences)
    documents, queries = [], []
    for number, sentences in enumerate(rows):
        key = f"bench.sentence:{variant}:{number}"
        documents.append(
            {
                "key": key,
                "target": key,
                "language": "en",
                "title": sentences[0],
                "body": "",
                "facets": {"type": ["experience"], "language": ["en"]},
            }
        )
        for language in QUERY_LANGUAGES:
            queries.append(
                {
                    "text": sentences[LANGUAGES.index(language)],
                    "language": language,
                    "target": key,
                }
            )
    return documents, queries
