from django.db import migrations

from core.db.search_document import AddSearchDocument


class Migration(migrations.Migration):
    dependencies = [("members", "0002_history")]

    operations = [
        AddSearchDocument("members_person", "name", ("job_title", "bio")),
        AddSearchDocument("members_organisation", "name", ("short_name", "description", "city")),
    ]
