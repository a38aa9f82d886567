"""An index for the latest conferences first (the home page's "Recent conferences").

Without it, the three most recent past conferences are found by sorting every conference
(a sequential scan of 20,000 rows at scale 100); with it, PostgreSQL and SQLite read the
index backwards and stop after three. Not in the model's Meta: no model state changes.
"""

from django.db import migrations

INDEX = "conferences_recent_order_idx"


class Migration(migrations.Migration):
    dependencies = [
        ("conferences", "0007_drafts_and_registration"),
    ]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX {INDEX} ON conferences_conference (start_date DESC, id DESC)",
            f"DROP INDEX {INDEX}",
        ),
    ]
