"""The pages staff write, as the demo starts them: About, Join the association, Contact, Privacy.

Written for this portal. Addresses are example.org ones: the demo names no real contact.
"""

PAGES = [
    {
        "title": "About the association",
        "slug": "about",
        "link_text": "About",
        "in_menu": True,
        "in_footer": True,
        "order": 10,
        "summary": (
            "A worldwide network of science parks and areas of innovation that learn from "
            "one another, meet every year and work together across borders."
        ),
        "body": """\
We bring together the people who build and run science parks, technology parks, innovation
districts and other areas of innovation, on every continent.

# What our members do

Our members turn research into companies and jobs. They host start-ups next to university
laboratories, open shared facilities to small firms, and connect local industry with
researchers. Many work on the questions of their region: clean energy and energy efficiency,
health, food, new materials, mobility and the digital economy.

# What we do together

- **Meet.** A [world conference](/conferences/) every year, and conferences of our
  [regional divisions](/divisions/) in between.
- **Learn.** Members share what worked and what did not, in sessions, technical visits and
  working groups on shared [topics](/topics/).
- **Cooperate.** Parks sign [agreements](/agreements/) to exchange companies, staff and
  know-how, and to help each other’s firms enter new markets.
- **Speak for the sector.** We explain to governments and international bodies what areas
  of innovation need, and what they give back to their cities.

# Who we are

The association belongs to its members. They elect a board, which works with a small team
in the secretariat. Each [division](/divisions/) has its own board and plans its own
activities. Browse the [member directory](/members/) to see who takes part.
""",
    },
    {
        "title": "Join the association",
        "slug": "join",
        "link_text": "Join",
        "in_menu": True,
        "in_footer": True,
        "order": 20,
        "summary": (
            "Science parks, areas of innovation and the organisations that work with them "
            "can join: what membership offers and how to apply."
        ),
        "body": """\
# Who can join

- **Full members:** science parks, technology parks, innovation districts and other areas
  of innovation that are running today.
- **Members in development:** projects that are being planned or built.
- **Affiliated members:** universities, agencies, companies and networks that work with
  areas of innovation.

# What membership gives you

- A place in the [member directory](/members/) and on the member map, with a badge for
  your own website.
- Lower fees for the [world and division conferences](/conferences/).
- Introductions to parks that share your focus, from clean energy to health.
- Help to set up cooperation [agreements](/agreements/) with other members.
- A say in the association: members vote at the general assembly.

# How to apply

1. Read the membership rules and fees, which the secretariat sends on request.
2. Write to [membership@example.org](mailto:membership@example.org) with the name of your
   organisation, its address, its website and a contact person.
3. The secretariat checks the application with the board of your
   [division](/divisions/); most answers come within a month.
""",
    },
    {
        "title": "Contact",
        "slug": "contact",
        "link_text": "",
        "in_menu": False,
        "in_footer": True,
        "order": 30,
        "summary": "How to reach the secretariat, the divisions and the conference teams.",
        "body": """\
# Secretariat

For general questions, write to [info@example.org](mailto:info@example.org). We answer in
English, usually within three working days.

# Membership

Applications, renewals and invoices:
[membership@example.org](mailto:membership@example.org).

# Conferences

Each conference page gives its own registration address. For programme proposals and
sponsorship, write to [events@example.org](mailto:events@example.org).

# Press

Journalists can reach us at [press@example.org](mailto:press@example.org).

# Partners using our data

The portal’s records are open to partners through the [API](/api/v1/docs/). For access,
write to [api@example.org](mailto:api@example.org).
""",
    },
    {
        "title": "Privacy notice",
        "slug": "privacy",
        "link_text": "Privacy",
        "in_menu": False,
        "in_footer": True,
        "order": 40,
        "summary": "What the portal records, why, and how to have your details corrected.",
        "body": """\
# What we publish

The portal shows public facts about our members and events: organisations, the people who
speak at our conferences or hold an office in the association, and the agreements members
chose to make public. People’s pages show their name, job title, organisation and a short
biography.

# What we keep but do not publish

Contact addresses of organisations are for the secretariat only and never appear on the
portal or in its API. Agreements a member asked to keep private are not shown.

# Cookies

Visitors get no cookies and are not tracked. Staff who sign in get one cookie that keeps
them signed in, which ends when they sign out.

# Corrections and questions

To correct or remove details about you or your organisation, write to
[privacy@example.org](mailto:privacy@example.org). We answer within one month.
""",
    },
]
