"""Patterns and words for the names of organisations, general and by language."""

# Organisation names by kind; {city}, {word} (an evocative name), {field} and {country}.
# A language-specific list, where there is one, is used for about half of the names.
ORGANISATION_PATTERNS = {
    "science_park": [
        "{city} Science Park",
        "{city} Science and Technology Park",
        "{city} Research Park",
        "{word} Science Park",
        "{word} Park {city}",
        "{city} {word} Technology Park",
        "{city} High-Tech Park",
        "{city} {field} Park",
    ],
    "innovation_district": [
        "{city} Innovation District",
        "{word} Innovation Quarter",
        "{city} Knowledge Quarter",
        "{word} District {city}",
    ],
    "technology_centre": [
        "{city} Technology Centre",
        "{word} Technology Centre",
        "{city} Centre for {field}",
        "{field} Competence Centre {city}",
    ],
    "university": [
        "University of {city}",
        "{city} Institute of Technology",
        "{city} University of Technology",
        "{word} University",
        "{city} Polytechnic University",
    ],
    "research_institute": [
        "{city} Institute for {field}",
        "{field} Research Institute {city}",
        "{word} Institute",
        "National Institute of {field}, {country}",
    ],
    "agency": [
        "{city} Innovation Agency",
        "{city} Economic Development Agency",
        "{country} Agency for Innovation",
        "{word} Regional Development Agency",
    ],
    "association": [
        "Science Park Association of {country}",
        "{city} Innovation Network",
        "{word} Cluster Association",
    ],
    "company": [
        "{word} {field}",
        "{word} Ventures",
        "{word} Labs",
        "{word} Innovation Partners",
    ],
    "other": [
        "{city} Startup Hub",
        "{word} Incubator",
        "{city} Business Innovation Centre",
    ],
}

LOCAL_PATTERNS = {
    ("es", "science_park"): [
        "Parque Científico y Tecnológico de {city}",
        "Parque Tecnológico de {city}",
        "Parque Científico {word}",
    ],
    ("es", "university"): ["Universidad de {city}", "Universidad Politécnica de {city}"],
    ("es", "technology_centre"): ["Centro Tecnológico de {city}"],
    ("pt", "science_park"): [
        "Parque Tecnológico de {city}",
        "Parque Científico e Tecnológico de {city}",
        "Parque de Inovação {word}",
    ],
    ("pt", "university"): ["Universidade de {city}", "Universidade Federal de {city}"],
    ("fr", "science_park"): ["Technopole de {city}", "Parc scientifique de {city}"],
    ("fr", "university"): ["Université de {city}"],
    ("de", "science_park"): ["Technologiepark {city}", "Wissenschaftspark {city}"],
    ("de", "university"): ["Technische Universität {city}", "Universität {city}"],
    ("de", "technology_centre"): ["Technologiezentrum {city}", "Gründerzentrum {city}"],
    ("it", "science_park"): ["Parco Scientifico e Tecnologico di {city}"],
    ("nl", "science_park"): ["{city} Science Park", "Kennispark {city}"],
    ("zh", "science_park"): [
        "{city} Hi-Tech Industrial Development Zone",
        "{city} Science City",
        "{city} {word} Science and Technology Park",
    ],
}

# fmt: off
WORDS = [
    "Aurora", "Meridian", "Horizon", "Polaris", "Nova", "Zenith", "Vertex", "Helix",
    "Quantum", "Catalyst", "Pioneer", "Summit", "Harbour", "Riverside", "Lakeside",
    "Northgate", "Southbank", "Eastside", "Westpoint", "Crescent", "Oakwood", "Cedar",
    "Granite", "Silverline", "Bluewater", "Greenfield", "Sunrise", "Beacon", "Atlas",
    "Orion", "Vega", "Lumen", "Pulsar", "Nexus", "Kinetic", "Sapphire", "Emerald",
    "Phoenix", "Falcon", "Compass", "Keystone", "Gateway", "Frontier", "Spectrum",
    "Synergy", "Tidal", "Alpine", "Coastal", "Delta", "Prairie",
]

FIELDS = [
    "Biotechnology", "Advanced Materials", "Photonics", "Robotics", "Energy",
    "Microelectronics", "Life Sciences", "Digital Innovation", "Agritech", "Marine Science",
    "Artificial Intelligence", "Aerospace", "Clean Technology", "Health Technology",
    "Applied Physics", "Data Science", "Mobility", "Food Technology",
]

NAME_QUALIFIERS = [
    "North", "South", "East", "West", "Central", "Harbour", "Airport", "Riverside", "Campus",
    "Old Town", "New Town", "Hills", "Valley", "Bay", "Port",
]
# fmt: on
