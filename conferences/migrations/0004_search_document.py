from django.db import migrations

from core.db.search_document import AddSearchDocument


class Migration(migrations.Migration):
    dependencies = [("conferences", "0003_history")]

    operations = [
        AddSearchDocument("conferences_conference", "title", ("theme", "description", "city")),
        AddSearchDocument("conferences_session", "title", ("description",)),
    ]
