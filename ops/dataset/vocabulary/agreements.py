"""The kinds of cooperation agreement, with their labels and relative weights."""

AGREEMENT_KINDS = [
    ("cooperation", "Cooperation agreement", 35),
    ("mou", "Memorandum of understanding", 35),
    ("letter_of_intent", "Letter of intent", 10),
    ("partnership", "Partnership agreement", 15),
    ("other", "Agreement", 5),
]
