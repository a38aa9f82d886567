"""Words for conferences and other events: sessions, themes, venues, awards, decisions, quotes."""

SESSION_ANGLES = [
    "what comes next",
    "lessons from the regions",
    "building the ecosystem",
    "from lab to market",
    "policies that work",
    "measuring impact",
    "the role of science parks",
    "case studies from members",
    "financing the next decade",
    "partnerships across borders",
    "people, places and platforms",
    "scaling up",
]

THEMES = [
    "Science parks shaping the future of {topic}",
    "{topic}: innovation areas leading the way",
    "Connecting places and people through {topic}",
    "Innovation without borders: {topic}",
    "The next generation of innovation areas and {topic}",
    "From knowledge to growth: {topic}",
]

OTHER_EVENTS = [
    "{city} Innovation Summit {year}",
    "Workshop on {topic}, {city} {year}",
    "{topic} Forum {year}",
    "Science Park Management Training {city} {year}",
    "Regional Seminar on {topic}, {year}",
    "{city} Startup Week {year}",
]

VENUES = [
    "{city} International Convention Centre",
    "{city} Exhibition Centre",
    "{city} Congress Hall",
    "Grand Hotel {city}",
    "{host} campus",
]

AWARDS = [
    ("Inspiring Solutions Award", "organisation"),
    ("Innovation Area of the Year", "organisation"),
    ("Lifetime Achievement Award", "person"),
    ("Best Paper Award", "person"),
    ("Young Professional Award", "person"),
]

OTHER_DECISIONS = [
    "Strategic plan adopted",
    "Board elected for the coming term",
    "Membership fees for the next year approved",
    "New members admitted",
    "Annual accounts approved",
    "Statutes amended",
]

QUOTES = [
    "Innovation happens where people meet, and {topic} shows it better than anything.",
    "Our park grew because we listened to the companies in it, not to the plans.",
    "{topic} is no longer optional for an innovation area: it is the reason we exist.",
    "The best cooperation agreements are the ones that lead to a second project.",
    "We measure success by the jobs our companies create, not by square metres.",
    "A science park is a promise to a city; {topic} is how we keep it.",
]
