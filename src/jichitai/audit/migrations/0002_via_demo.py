from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="auditentry",
            name="via",
            field=models.CharField(
                choices=[("web", "Web"), ("api", "API"), ("import", "Import"), ("command", "Command"),
                         ("demo", "Demo data")],
                max_length=10,
            ),
        ),
    ]
