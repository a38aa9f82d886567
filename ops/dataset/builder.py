"""The rows of the synthetic dataset, built in memory with their primary keys already set.

Everything is drawn from one `random.Random(seed)` in a fixed order and dated relative to
AS_OF, never to today, so that a seed and a scale always give the same rows. Primary keys are
counted from 1, so that rows can point at each other before any of them is saved, and the
large tables are handed out in chunks as they are built rather than all at the end.
"""

from collections.abc import Iterator

from django.db import models

from conferences.models import Award, Decision, Quote
from members.models import Division, Membership, Office, Organisation, Person, Topic

from .agreements import AgreementBuilder
from .directory import DirectoryBuilder
from .events import EventBuilder


class DatasetBuilder(DirectoryBuilder, EventBuilder, AgreementBuilder):
    def batches(self) -> Iterator[tuple[type[models.Model], list[models.Model]]]:
        """(model, rows) to insert, in an order where every row's targets come first."""
        self._topics()
        self._divisions()
        yield from self.flush(Topic, Division)
        self._organisations()
        self._memberships()
        yield from self.flush(Organisation, Organisation.topics.through, Membership)
        self._people()
        self._offices()  # sets the job titles of office holders, so before people are handed out
        yield from self.flush(Person, Office)
        yield from self._conferences()
        self._outcomes()
        yield from self.flush(Decision, Award, Quote)
        yield from self._agreements()
