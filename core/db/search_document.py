"""A stored full-text document per searchable table, on PostgreSQL only.

Each searchable table gets a generated `search_document` column (title weighted A, the other
fields B, "english" configuration) and a GIN index on it. Matching uses the index, and ranking
reads the stored vectors instead of parsing every matching row's text again, which is what
kept site search at seconds on a large dataset.

The column is not a model field: PostgreSQL computes it on every insert and update, and
the ORM never writes or reads it except through `search_document()` in site search. Other
databases (SQLite in development) have no column and search by words instead.
"""

from django.contrib.postgres.search import SearchVectorField
from django.db import migrations
from django.db.models.expressions import RawSQL

COLUMN = "search_document"
CONFIG = "english"


def document_sql(title_field: str, other_fields: tuple[str, ...]) -> str:
    """The vector, written as Django's SearchVector(title, A) + SearchVector(*others, B)."""
    others = " || ' ' || ".join(f"COALESCE({field}, '')" for field in other_fields)
    return (
        f"setweight(to_tsvector('{CONFIG}'::regconfig, COALESCE({title_field}, '')), 'A') || "
        f"setweight(to_tsvector('{CONFIG}'::regconfig, {others}), 'B')"
    )


def search_document(table: str) -> RawSQL:
    """The stored document of `table`, for filtering (`@@`) and ranking."""
    return RawSQL(f'"{table}"."{COLUMN}"', [], output_field=SearchVectorField())


class AddSearchDocument(migrations.operations.base.Operation):
    """Add the generated column and its GIN index (PostgreSQL only; no model state)."""

    reduces_to_sql = True
    reversible = True

    def __init__(self, table: str, title_field: str, other_fields: tuple[str, ...]):
        self.table = table
        self.title_field = title_field
        self.other_fields = tuple(other_fields)

    def deconstruct(self):
        return (
            self.__class__.__name__,
            [self.table, self.title_field, self.other_fields],
            {},
        )

    def state_forwards(self, app_label, state):
        pass

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        quote = schema_editor.quote_name
        schema_editor.execute(
            f"ALTER TABLE {quote(self.table)} ADD COLUMN {COLUMN} tsvector "
            f"GENERATED ALWAYS AS ({document_sql(self.title_field, self.other_fields)}) STORED"
        )
        schema_editor.execute(
            f"CREATE INDEX {quote(self.index_name)} ON {quote(self.table)} USING gin ({COLUMN})"
        )

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute(
            f"ALTER TABLE {schema_editor.quote_name(self.table)} DROP COLUMN {COLUMN}"
        )

    @property
    def index_name(self) -> str:
        return f"{self.table}_search_gin"[:63]

    def describe(self):
        return f"Add a stored full-text document with a GIN index to {self.table} (PostgreSQL)"

    @property
    def migration_name_fragment(self):
        return f"{self.table}_search_document"


def title_document_sql(title_field: str) -> str:
    """The title's own vector: what `SearchVector(title_field, config=CONFIG)` compiles to."""
    return f"to_tsvector('{CONFIG}'::regconfig, COALESCE({title_field}, ''))"


class AddTitleSearchIndex(migrations.operations.base.Operation):
    """A GIN index on the title's own vector (PostgreSQL only; no model state), so that site
    search finds the records matching by their title first, however many match elsewhere."""

    reduces_to_sql = True
    reversible = True

    def __init__(self, table: str, title_field: str):
        self.table = table
        self.title_field = title_field

    def deconstruct(self):
        return (self.__class__.__name__, [self.table, self.title_field], {})

    def state_forwards(self, app_label, state):
        pass

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute(
            f"CREATE INDEX {schema_editor.quote_name(self.index_name)} "
            f"ON {schema_editor.quote_name(self.table)} "
            f"USING gin (({title_document_sql(self.title_field)}))"
        )

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute(f"DROP INDEX {schema_editor.quote_name(self.index_name)}")

    @property
    def index_name(self) -> str:
        return f"{self.table}_title_gin"[:63]

    def describe(self):
        return f"Add a GIN index on the title's vector of {self.table} (PostgreSQL)"
