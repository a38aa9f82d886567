from django.db import migrations

from core.db.search_document import AddSearchDocument


class Migration(migrations.Migration):
    dependencies = [("agreements", "0003_document_storage")]

    operations = [
        AddSearchDocument("agreements_agreement", "title", ("summary",)),
    ]
