"""Conferences, their programmes and outcomes, and the agreements signed at them.

The sources give days but no times, so sessions carry a day only. Where the sources do not
say on which day something happened, the day is a plausible placement, not a fact.
Conferences are referred to by the phrase their slug is made from.
"""

import datetime

from .directory import ASIA_PACIFIC

BEIJING_2025 = "World Conference 2025 Beijing"
FRANCE_2026 = "World Conference 2026 France"
DHAHRAN_2027 = "World Conference 2027 Dhahran"
CHIANG_MAI_2026 = "Asia Pacific Division Conference 2026 Chiang Mai"

CMU_STEP = "Science and Technology Park, Chiang Mai University"
NARIT = "National Astronomical Research Institute of Thailand"
RSP_NORTH = "Regional Science Park North"
DHAHRAN_TECHNO_VALLEY = "Dhahran Techno Valley"


def _day(month: int, day: int, year: int = 2025) -> datetime.date:
    return datetime.date(year, month, day)


BEIJING_SESSIONS = [
    {
        "day": _day(9, 15),
        "kind": "technical_visit",
        "title": "Technical visits to Beijing innovation zones",
        "description": (
            "Delegates toured several of Beijing's innovation zones — research parks, tech "
            "clusters and newly built districts — to see their day-to-day workings first hand."
        ),
        "topics": ["Urban development"],
    },
    {
        "day": _day(9, 16),
        "kind": "training",
        "title": "Pre-conference training day",
        "description": (
            "A day of training ahead of the main programme, built around three subjects: ways "
            "of organising innovation spaces, fitting innovation districts into the fabric of "
            "a city, and getting the most out of partnerships between research and industry."
        ),
        "topics": ["Innovation districts", "Urban development", "Science–industry collaboration"],
    },
    {
        "day": _day(9, 17),
        "kind": "opening",
        "title": "Official opening",
        "description": (
            "Beijing's municipal leaders, representatives of the association and leaders from "
            "the technology world took the stage; their common threads were innovation, "
            "working together and sustainability."
        ),
    },
    {
        "day": _day(9, 17),
        "kind": "plenary",
        "title": "Harmony between urban development and innovation spaces",
        "description": "How a city and its innovation areas can grow together, not side by side.",
        "topics": ["Urban development", "Innovation districts"],
    },
    {
        "day": _day(9, 17),
        "kind": "parallel",
        "title": "Financial and infrastructure models to support innovation",
        "description": (
            "Who pays for the buildings, networks and services innovation areas depend on, and "
            "which funding arrangements hold up over time."
        ),
        "topics": ["Innovation finance"],
    },
    {
        "day": _day(9, 18),
        "kind": "plenary",
        "title": "The impact of artificial intelligence and technology trends on communities",
        "description": (
            "What AI and other fast-moving technologies mean for the people and places around "
            "science parks."
        ),
        "topics": ["Artificial intelligence"],
    },
    {
        "day": _day(9, 18),
        "kind": "parallel",
        "title": "Open, international innovation systems and clusters",
        "description": "Clusters that look beyond their own borders and welcome outside partners.",
        "topics": ["International cooperation"],
    },
    {
        "day": _day(9, 18),
        "kind": "general_assembly",
        "title": "General Assembly",
        "description": (
            "The members' meeting. Among its decisions: Dhahran, Saudi Arabia, will host the "
            "World Conference in 2027."
        ),
    },
    {
        "day": _day(9, 19),
        "kind": "plenary",
        "title": "Talent attraction, sustainability and regional impacts in the next two decades",
        "description": (
            "Looking twenty years ahead: winning and keeping skilled people, staying "
            "sustainable, and what innovation areas will mean for their regions."
        ),
        "topics": ["Talent attraction", "Sustainability"],
    },
    {
        "day": _day(9, 19),
        "kind": "closing",
        "title": "Closing ceremony",
        "description": (
            "Signing of international cooperation agreements, presentation of the "
            "Presidential Medal and the formal end of the 42nd World Conference."
        ),
        "topics": ["International cooperation"],
    },
]

CHIANG_MAI_SESSIONS = [
    {
        "day": _day(6, 2, 2026),
        "kind": "opening",
        "title": "Opening session",
        "description": (
            "Welcome from the division's president, Chiang Mai University and Regional Science "
            "Park North, the host park, and the association's chief executive."
        ),
        "appearances": [
            {
                "person": "Hao Tang",
                "role": "opening_address",
                "capacity": "President, Asia Pacific Division, IASP",
            },
            {
                "person": "Tanyanuparb Anantana",
                "role": "opening_address",
                "capacity": (
                    "Vice President, Chiang Mai University; Director, Regional Science Park North"
                ),
            },
            {
                "person": "Pitiwat Wattanachai",
                "role": "opening_address",
                "capacity": "Director, CMU STeP",
            },
            {"person": "Ebba Lund", "role": "opening_address", "capacity": "CEO, IASP"},
        ],
    },
    {
        "day": _day(6, 3, 2026),
        "kind": "plenary",
        "title": "Innovation ecosystems and global challenges",
        "description": (
            "How parks across the region are handling the spread of AI, adjusting to a "
            "changing climate, closing material loops and moving to clean power — and how to "
            "make sure people, not gadgets, are the ones who gain."
        ),
        "topics": [
            "Artificial intelligence",
            "Climate adaptation",
            "Circular economy",
            "Clean energy",
        ],
    },
    {
        "day": _day(6, 4, 2026),
        "kind": "technical_visit",
        "title": "Technical visit: National Astronomical Research Institute of Thailand (NARIT)",
        "description": (
            "A look at Thailand's national astronomy institute, one of the research bodies "
            "that make up Chiang Mai's innovation scene."
        ),
        "visits": [NARIT],
    },
    {
        "day": _day(6, 4, 2026),
        "kind": "technical_visit",
        "title": "Technical visit: Regional Science Park North",
        "description": "A visit to the science park that serves the north of Thailand.",
        "visits": [RSP_NORTH],
    },
]

CONFERENCES = [
    {
        "slug_from": BEIJING_2025,
        "kind": "world",
        "edition": 42,
        "title": "42nd World Conference on Science Parks and Areas of Innovation",
        "theme": (
            "Making science parks and innovation areas pay off locally, sustain economic "
            "growth and bring partners worldwide closer together"
        ),
        "description": (
            "The association's 2025 world gathering in China's capital: five days of site "
            "visits, training, plenary and parallel sessions and the General Assembly, with "
            "park operators, researchers, science centres and companies from around the world."
        ),
        "start_date": _day(9, 15),
        "end_date": _day(9, 19),
        "city": "Beijing",
        "country": "CN",
        "time_zone": "Asia/Shanghai",
        "status": "held",
        "topics": [
            "Urban development",
            "Innovation districts",
            "Science–industry collaboration",
            "Innovation finance",
            "International cooperation",
            "Artificial intelligence",
            "Talent attraction",
            "Sustainability",
        ],
        "report": (
            "The week opened with tours of innovation zones across Beijing and a training day, "
            "followed by a formal opening at which the city's leadership, the association and "
            "technology companies all took the floor.\n\n"
            "The programme then moved through five questions: how cities and innovation areas "
            "can develop in step, how innovation is financed and built, what open clusters "
            "spanning several countries look like, what artificial intelligence means for "
            "communities, and how talent, sustainability and regional impact may evolve over "
            "the coming twenty years.\n\n"
            "The General Assembly picked Dhahran in Saudi Arabia for the 2027 World Conference, "
            "and Dhahran Techno Valley received the association's flag. Signing ceremonies for "
            "several international partnerships — ZSTIP of Hungary and Zhongguancun Fengtai "
            "Science Park among them — and the Presidential Medal rounded off the programme "
            "before the 42nd edition came to an end."
        ),
        "sessions": BEIJING_SESSIONS,
        "decisions": [
            {
                "kind": "next_host",
                "title": "Dhahran to host the 2027 World Conference",
                "text": (
                    "Meeting in Beijing, the General Assembly chose Dhahran in Saudi Arabia as "
                    "the venue of the 2027 World Conference. Dhahran Techno Valley received "
                    "the association's flag as the incoming host."
                ),
                "host_city": "Dhahran",
                "host_country": "SA",
                "host_organisation": DHAHRAN_TECHNO_VALLEY,
                "host_year": 2027,
                "resulting_conference": DHAHRAN_2027,
            }
        ],
        # The sources do not name the recipient.
        "awards": [{"name": "Presidential Medal"}],
    },
    {
        "slug_from": CHIANG_MAI_2026,
        "kind": "division",
        "division": ASIA_PACIFIC,
        "title": "Asia Pacific Division Conference 2026",
        "theme": (
            "From Asia Pacific to the Global Ecosystems: Empowering Sustainable and Inclusive "
            "Growth through Innovation"
        ),
        "description": (
            "Three-day regional meeting of the Asia Pacific Division, hosted by CMU STeP in "
            "northern Thailand."
        ),
        "start_date": _day(6, 2, 2026),
        "end_date": _day(6, 4, 2026),
        "city": "Chiang Mai",
        "country": "TH",
        "time_zone": "Asia/Bangkok",
        "status": "held",
        "participant_count": 150,
        "participant_count_is_minimum": True,
        "hosts": [(CMU_STEP, "host")],
        "participants": [
            "Zhongguancun Science Park",
            "Thailand Science Park",
            "Prince of Songkla University Science Park",
            "Andhra Pradesh MedTech Zone",
            "Thai-BISPA",
            "Melbourne Innovation District – RMIT University",
            "Innovation Area Development Partnership",
        ],
        "topics": [
            "Artificial intelligence",
            "Climate adaptation",
            "Circular economy",
            "Clean energy",
            "International cooperation",
            "Sustainability",
        ],
        "report": (
            "CMU STeP welcomed upwards of 150 delegates to Chiang Mai for three days in early "
            "June. Once the opening speeches were over, one idea kept returning: science "
            "parks, universities, companies and governments deliver durable benefits for "
            "society and the economy only when they act together.\n\n"
            "Speakers examined how the region's innovation ecosystems are coping with "
            "fast-spreading AI, adapting to a changing climate, moving towards a circular "
            "economy and switching to clean energy, insisting throughout that every new tool "
            "be judged by what it does for the people who use it.\n\n"
            "Organisations from China, India, Australia and all over Thailand used the three "
            "days to compare notes and build contacts, "
            "and delegates saw Chiang Mai's ecosystem up close at NARIT and Regional Science "
            "Park North. The organisers expect several of these discussions to carry on at the "
            "October World Conference in France."
        ),
        "sessions": CHIANG_MAI_SESSIONS,
        # Verbatim: these are quotations. Neither is tied to a particular session.
        "quotes": [
            {"person": "Hao Tang", "text": "we are the solution, but only if we work together"},
            {
                "person": "Pitiwat Wattanachai",
                "text": "technology has value only when it improves human life",
            },
        ],
    },
    {
        "slug_from": FRANCE_2026,
        "kind": "world",
        "edition": 43,
        "title": "43rd World Conference on Science Parks and Areas of Innovation",
        "description": (
            "The association's 2026 world gathering, taking place in France in October. The "
            "host city is still to be added."
        ),
        "start_date": _day(10, 1, 2026),
        "end_date": _day(10, 31, 2026),
        "date_precision": "month",
        "country": "FR",
        "time_zone": "Europe/Paris",
        "status": "planned",
    },
    {
        "slug_from": DHAHRAN_2027,
        "kind": "world",
        "edition": 44,
        "title": "44th World Conference on Science Parks and Areas of Innovation",
        "description": (
            "Awarded to Dhahran by the General Assembly in Beijing in 2025; Dhahran Techno "
            "Valley will welcome the association to Saudi Arabia's Eastern Province."
        ),
        "start_date": _day(1, 1, 2027),
        "end_date": _day(12, 31, 2027),
        "date_precision": "year",
        "city": "Dhahran",
        "country": "SA",
        "time_zone": "Asia/Riyadh",
        "status": "planned",
        "hosts": [(DHAHRAN_TECHNO_VALLEY, "host")],
    },
]

AGREEMENTS = [
    {
        "title": "Cooperation agreement between ZSTIP and Zhongguancun Fengtai Science Park",
        "kind": "cooperation",
        "parties": [
            "Zsámbék Future Industry Science and Innovation Park",
            "Zhongguancun Fengtai Science Park",
        ],
        "signed_on": _day(9, 19),
        "signed_at_conference": BEIJING_2025,
        "signed_city": "Beijing",
        "signed_country": "CN",
        "topics": [
            "Intelligent transportation",
            "Energy efficiency",
            "Environmental protection",
            "New materials",
        ],
        "summary": (
            "Concluded at the 42nd World Conference in Beijing, the agreement ties the Hungarian "
            "park at Zsámbék to one of Beijing's Zhongguancun parks. Joint work towards "
            "sustainable development, an exchange of experience and shared research and "
            "technology projects are its aims, with four fields in front: intelligent "
            "transportation, energy efficiency, environmental protection and new materials — "
            "all close to ZSTIP's own plans for future industries. For ZSTIP it also means a "
            "place in international innovation networks well beyond Hungary."
        ),
    },
]
