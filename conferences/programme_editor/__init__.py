"""The programme editor: a conference's sessions and their speakers on one admin page.

Staff key a whole programme here: sessions grouped by day, each with its speakers, a new person
named in place, sessions moved up or down and copied to another day. One submit saves the
whole page in one transaction through the services, or nothing when a field is wrong.
Viewers see the same programme read-only.
"""

from .views import programme_view

__all__ = ["programme_view"]
