from django.db import migrations

from core.db.search_document import AddTitleSearchIndex


class Migration(migrations.Migration):
    dependencies = [("agreements", "0012_reminders")]

    operations = [AddTitleSearchIndex("agreements_agreement", "title")]
