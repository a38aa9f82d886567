"""Site search finds a person by their biography only while they consent to show it
(PostgreSQL's stored document; SQLite searches the same fields as they are)."""

from django.db import migrations

from core.db.search_document import COLUMN, AddSearchDocument

SHOWN_BIO = "CASE WHEN display_consent THEN bio ELSE '' END"


class ReplaceSearchDocument(AddSearchDocument):
    """Drop the table's stored document and add it anew over other fields."""

    def __init__(self, table, title_field, other_fields, previous_fields):
        super().__init__(table, title_field, other_fields)
        self.previous_fields = tuple(previous_fields)

    def deconstruct(self):
        name, args, kwargs = super().deconstruct()
        return name, [*args, self.previous_fields], kwargs

    def _drop(self, schema_editor):
        schema_editor.execute(
            f"ALTER TABLE {schema_editor.quote_name(self.table)} DROP COLUMN {COLUMN}"
        )

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        self._drop(schema_editor)
        super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        self._drop(schema_editor)
        AddSearchDocument(self.table, self.title_field, self.previous_fields).database_forwards(
            app_label, schema_editor, from_state, to_state
        )

    def describe(self):
        return f"Replace the stored full-text document of {self.table} (PostgreSQL)"


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0008_invitations_history"),
    ]

    operations = [
        ReplaceSearchDocument(
            "members_person", "name", ("job_title", SHOWN_BIO), ("job_title", "bio")
        ),
    ]
