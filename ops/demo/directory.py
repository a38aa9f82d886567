"""Divisions, topics, organisations and people of the demo dataset.

Records refer to each other by name; the loader turns names into slugs with `slugify`.
Descriptions and bios are written for this portal, not taken from any press text.
"""

import datetime

# Membership start dates are illustrative: the sources say who is a member, not since when.
MEMBERSHIP_START = datetime.date(2024, 1, 1)

ASIA_PACIFIC = "Asia Pacific"
EUROPE = "Europe"
AFRICA = "Africa"
LATIN_AMERICA = "Latin America"
NORTH_AMERICA = "North America"
WANA = "West Asia & North Africa"

DIVISIONS = [
    {
        "name": AFRICA,
        "description": (
            "Members across sub-Saharan Africa: technology parks, innovation hubs and incubators."
        ),
    },
    {
        "name": ASIA_PACIFIC,
        "description": (
            "Members from China, Korea and Japan through South-East Asia and India to "
            "Australia, with a regional conference of their own."
        ),
    },
    {
        "name": EUROPE,
        "description": (
            "Members from Scandinavia to the Mediterranean and from the Atlantic coast to the "
            "Black Sea, ranging from city innovation districts to campus science parks."
        ),
    },
    {
        "name": LATIN_AMERICA,
        "description": (
            "Technology parks and innovation areas in Central and South America and the Caribbean."
        ),
    },
    {
        "name": NORTH_AMERICA,
        "description": ("Research parks and innovation districts in Canada and the United States."),
    },
    {
        "name": WANA,
        "description": ("Members from the Gulf states and the Levant to the Maghreb."),
    },
]

TOPICS = [
    (
        "Artificial intelligence",
        "Machine learning and AI, and what they change for parks, "
        "their companies and the communities around them.",
    ),
    (
        "Circular economy",
        "Keeping materials and products in use: reuse, repair, recycling and industrial symbiosis.",
    ),
    ("Clean energy", "Renewable generation, storage and the shift away from fossil fuels."),
    (
        "Climate adaptation",
        "Preparing places, infrastructure and businesses for a changing climate.",
    ),
    ("Energy efficiency", "Doing the same with less energy, in buildings, industry and transport."),
    (
        "Environmental protection",
        "Cleaner air, water and soil, and the technologies that monitor and protect them.",
    ),
    (
        "Innovation districts",
        "Innovation areas woven into the city rather than set apart on a campus.",
    ),
    (
        "Innovation finance",
        "How innovation areas and the companies in them are funded, from "
        "infrastructure investment to venture capital.",
    ),
    (
        "Intelligent transportation",
        "Connected and automated mobility, traffic management and smart logistics.",
    ),
    ("International cooperation", "Partnerships between parks, regions and countries."),
    ("New materials", "Advanced and novel materials, from composites to nanomaterials."),
    (
        "Science–industry collaboration",
        "Ways for researchers and companies to work together and make it last.",
    ),
    ("Sustainability", "Growth that the environment and the community can carry over time."),
    ("Talent attraction", "Drawing skilled people to a park or region and keeping them there."),
    ("Urban development", "How cities plan, build and renew the places where innovation happens."),
]

# Each organisation: name, short_name, kind, country (ISO code), city, coordinates (latitude,
# longitude of the town or district, approximate), division, topics, description, and
# "membership" (category) when it is a current member of the association. The topics of the
# members are illustrative, chosen from what each one is described as working on.
ORGANISATIONS = [
    # — The Beijing agreement and the 2027 host —
    {
        "name": "Zsámbék Future Industry Science and Innovation Park",
        "short_name": "ZSTIP",
        "kind": "science_park",
        "country": "HU",
        "city": "Zsámbék",
        "coordinates": ("47.5483", "18.7200"),
        "division": EUROPE,
        "topics": [
            "Intelligent transportation",
            "Energy efficiency",
            "Environmental protection",
            "New materials",
        ],
        "description": (
            "Hungarian science and innovation park west of Budapest whose plans are built "
            "around future industries. In Beijing in 2025 it concluded a cooperation agreement "
            "with Zhongguancun Fengtai Science Park."
        ),
        "membership": "full",
    },
    {
        "name": "Zhongguancun Fengtai Science Park",
        "kind": "science_park",
        "country": "CN",
        "city": "Beijing",
        "coordinates": ("39.8585", "116.2866"),
        "division": ASIA_PACIFIC,
        "topics": ["International cooperation"],
        "description": (
            "One of the Zhongguancun parks, in Beijing's Fengtai district, and ZSTIP's partner "
            "under their 2025 cooperation agreement. Not a member of the association."
        ),
    },
    {
        "name": "Dhahran Techno Valley",
        "kind": "science_park",
        "country": "SA",
        "city": "Dhahran",
        "coordinates": ("26.3070", "50.1450"),
        "division": WANA,
        "description": (
            "Science and technology park of King Fahd University of Petroleum and Minerals in "
            "Saudi Arabia's Eastern Province, and host of the 2027 World Conference."
        ),
    },
    # — Chiang Mai: the host, its university and the places visited —
    {
        "name": "Science and Technology Park, Chiang Mai University",
        "short_name": "CMU STeP",
        "kind": "science_park",
        "country": "TH",
        "city": "Chiang Mai",
        "coordinates": ("18.7957", "98.9532"),
        "topics": ["Science–industry collaboration", "Artificial intelligence", "Clean energy"],
        "division": ASIA_PACIFIC,
        "description": (
            "The science park of Chiang Mai University in northern Thailand, linking the "
            "university's research with start-ups and industry. Hosted the 2026 Asia Pacific "
            "Division conference."
        ),
        "membership": "full",
    },
    {
        "name": "Chiang Mai University",
        "short_name": "CMU",
        "kind": "university",
        "country": "TH",
        "city": "Chiang Mai",
        "coordinates": ("18.8030", "98.9520"),
        "division": ASIA_PACIFIC,
        "description": "Public research university in Chiang Mai, northern Thailand.",
    },
    {
        "name": "Regional Science Park North",
        "kind": "science_park",
        "country": "TH",
        "city": "Chiang Mai",
        "coordinates": ("18.7883", "98.9853"),
        "division": ASIA_PACIFIC,
        "description": (
            "Regional science park for the north of Thailand, run from Chiang Mai; one of the "
            "technical visits of the 2026 Asia Pacific Division conference."
        ),
    },
    {
        "name": "National Astronomical Research Institute of Thailand",
        "short_name": "NARIT",
        "kind": "research_institute",
        "country": "TH",
        "city": "Chiang Mai",
        "coordinates": ("18.8528", "98.9570"),
        "division": ASIA_PACIFIC,
        "description": (
            "Thailand's national institute for astronomy and space science, headquartered in "
            "Chiang Mai; delegates of the 2026 Asia Pacific Division conference visited it."
        ),
    },
    # — Asia Pacific organisations taking part in Chiang Mai —
    {
        "name": "Zhongguancun Science Park",
        "kind": "science_park",
        "country": "CN",
        "city": "Beijing",
        "coordinates": ("39.9834", "116.3160"),
        "topics": [
            "Artificial intelligence",
            "Innovation districts",
            "Science–industry collaboration",
        ],
        "division": ASIA_PACIFIC,
        "description": (
            "Beijing's Zhongguancun innovation area, a cluster of parks around the city's "
            "universities and research institutes."
        ),
        "membership": "full",
    },
    {
        "name": "Thailand Science Park",
        "kind": "science_park",
        "country": "TH",
        "city": "Pathum Thani",
        "coordinates": ("14.0790", "100.6020"),
        "division": ASIA_PACIFIC,
        "description": (
            "National science park just north of Bangkok, run by the National Science and "
            "Technology Development Agency (NSTDA)."
        ),
    },
    {
        "name": "Prince of Songkla University Science Park",
        "kind": "science_park",
        "country": "TH",
        "city": "Hat Yai",
        "coordinates": ("7.0086", "100.4979"),
        "division": ASIA_PACIFIC,
        "description": "The science park of Prince of Songkla University in southern Thailand.",
    },
    {
        "name": "Andhra Pradesh MedTech Zone",
        "short_name": "AMTZ",
        "kind": "science_park",
        "country": "IN",
        "city": "Visakhapatnam",
        "coordinates": ("17.6868", "83.2185"),
        "division": ASIA_PACIFIC,
        "description": (
            "Park for medical device manufacturing and testing on India's east coast, with "
            "shared laboratories for the companies based there."
        ),
    },
    {
        "name": "Thai-BISPA",
        "kind": "association",
        "country": "TH",
        "division": ASIA_PACIFIC,
        "description": "Thailand's association of business incubators and science parks.",
    },
    {
        "name": "Melbourne Innovation District – RMIT University",
        "kind": "innovation_district",
        "country": "AU",
        "city": "Melbourne",
        "coordinates": ("-37.8083", "144.9631"),
        "division": ASIA_PACIFIC,
        "topics": ["Innovation districts"],
        "description": (
            "Inner-city innovation district in Melbourne, Australia, represented here by RMIT "
            "University."
        ),
    },
    {
        # Based in the Netherlands, so in the Europe division, although it took part in the
        # Asia Pacific conference.
        "name": "Innovation Area Development Partnership",
        "short_name": "IADP",
        "kind": "association",
        "country": "NL",
        "division": EUROPE,
        "description": (
            "Network of Dutch specialists who advise on planning, developing and managing "
            "science parks, campuses and innovation districts."
        ),
    },
    # — Members whose logos appear on the association's member wall —
    {
        "name": "Magurele Science Park",
        "kind": "science_park",
        "country": "RO",
        "city": "Măgurele",
        "coordinates": ("44.3500", "26.0300"),
        "topics": ["New materials", "Science–industry collaboration"],
        "division": EUROPE,
        "description": (
            "Science park in Măgurele, just south-west of Bucharest, beside Romania's "
            "national physics laboratories."
        ),
        "membership": "full",
    },
    {
        "name": "Bioindustry Park Silvano Fumero",
        "kind": "science_park",
        "country": "IT",
        "city": "Colleretto Giacosa",
        "coordinates": ("45.4330", "7.8000"),
        "topics": ["Science–industry collaboration", "Talent attraction"],
        "division": EUROPE,
        "description": "Life-sciences park in the Canavese area of Piedmont, north of Turin.",
        "membership": "full",
    },
    {
        "name": "La Salle Technova Barcelona",
        "kind": "science_park",
        "country": "ES",
        "city": "Barcelona",
        "coordinates": ("41.4104", "2.1317"),
        "topics": ["Innovation finance", "Artificial intelligence"],
        "division": EUROPE,
        "description": (
            "Innovation park and start-up incubator of La Salle Campus Barcelona, part of "
            "Ramon Llull University."
        ),
        "membership": "full",
    },
    {
        "name": "Latvian Technology Center",
        "kind": "technology_centre",
        "country": "LV",
        "city": "Riga",
        "coordinates": ("56.9496", "24.1052"),
        "topics": ["Energy efficiency", "Science–industry collaboration"],
        "division": EUROPE,
        "description": "Technology centre and business incubator in Riga.",
        "membership": "full",
    },
    {
        "name": "Coventry Science Park",
        "kind": "science_park",
        "country": "GB",
        "city": "Coventry",
        "coordinates": ("52.4081", "-1.5106"),
        "topics": ["Intelligent transportation", "Energy efficiency"],
        "division": EUROPE,
        "description": "Science park in Coventry, in the English West Midlands.",
        "membership": "full",
    },
    {
        "name": "Science Park Ulm",
        "kind": "science_park",
        "country": "DE",
        "city": "Ulm",
        "coordinates": ("48.4230", "9.9560"),
        "topics": ["New materials", "Energy efficiency", "Clean energy"],
        "division": EUROPE,
        "description": "Science park in Ulm, Baden-Württemberg, near the university campus.",
        "membership": "full",
    },
    {
        "name": "Parque Tecnológico São José dos Campos",
        "kind": "science_park",
        "country": "BR",
        "city": "São José dos Campos",
        "coordinates": ("-23.1570", "-45.7920"),
        "topics": ["New materials", "Intelligent transportation"],
        "division": LATIN_AMERICA,
        "description": (
            "Technology park in São José dos Campos, the aerospace centre of São Paulo state."
        ),
        "membership": "full",
    },
    {
        "name": "Malaysian Research Accelerator for Technology and Innovation",
        "short_name": "MRANTI",
        "kind": "agency",
        "country": "MY",
        "city": "Kuala Lumpur",
        "coordinates": ("3.0480", "101.6930"),
        "topics": ["Artificial intelligence", "Innovation finance"],
        "division": ASIA_PACIFIC,
        "description": (
            "Malaysian government agency that helps turn research into products and "
            "companies, based at MRANTI Park in Kuala Lumpur."
        ),
        "membership": "affiliated",
    },
    {
        "name": "Noviotech Campus",
        "kind": "science_park",
        "country": "NL",
        "city": "Nijmegen",
        "coordinates": ("51.8426", "5.8528"),
        "topics": ["Science–industry collaboration", "Talent attraction"],
        "division": EUROPE,
        "description": "Health-technology campus in Nijmegen, in the east of the Netherlands.",
        "membership": "full",
    },
    {
        "name": "Linköping Science Park",
        "kind": "science_park",
        "country": "SE",
        "city": "Linköping",
        "coordinates": ("58.3940", "15.5650"),
        "topics": ["Artificial intelligence", "Environmental protection", "Talent attraction"],
        "division": EUROPE,
        "description": "Science park in Linköping, Sweden, next to Linköping University.",
        "membership": "full",
    },
]

PEOPLE = [
    {
        "name": "Ebba Lund",
        "job_title": "CEO",
        "bio": (
            "Chief executive of the association. One of the four speakers who opened the 2026 "
            "Asia Pacific Division conference in Chiang Mai."
        ),
        "offices": [{"title": "CEO", "body": "association"}],
    },
    {
        "name": "Hao Tang",
        "job_title": "President, Asia Pacific Division",
        "bio": (
            "Leads the association's Asia Pacific Division as its president and spoke at the "
            "opening of the division's 2026 conference in Chiang Mai."
        ),
        "offices": [{"title": "President", "body": "division", "division": ASIA_PACIFIC}],
    },
    {
        "name": "Pitiwat Wattanachai",
        "job_title": "Director",
        "affiliation": "Science and Technology Park, Chiang Mai University",
        "country": "TH",
        "bio": (
            "Heads CMU STeP, Chiang Mai University's science and technology park, which "
            "hosted the 2026 Asia Pacific Division conference."
        ),
        "offices": [
            {
                "title": "Director",
                "body": "organisation",
                "organisation": "Science and Technology Park, Chiang Mai University",
            }
        ],
    },
    {
        "name": "Tanyanuparb Anantana",
        "job_title": "Vice President, Chiang Mai University; Director, Regional Science Park North",
        "affiliation": "Chiang Mai University",
        "country": "TH",
        "bio": (
            "Holds two roles in Chiang Mai: vice president of the university and director of "
            "the science park serving northern Thailand."
        ),
        "offices": [
            {
                "title": "Vice President",
                "body": "organisation",
                "organisation": "Chiang Mai University",
            },
            {
                "title": "Director",
                "body": "organisation",
                "organisation": "Regional Science Park North",
            },
        ],
    },
]
