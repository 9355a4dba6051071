from django.conf import settings
from django.db import migrations, models
import django.db.models.deletion
import django.utils.timezone

# One account per e-mail address, whatever its case; accounts without one are many. On the
# user table of django.contrib.auth, which declares no such constraint itself: an index the
# database keeps (PostgreSQL and SQLite alike), so that two sign-ups at once cannot both win.
UNIQUE_EMAIL = (
    "CREATE UNIQUE INDEX auth_user_email_unique_ci ON auth_user (LOWER(email)) WHERE email <> ''"
)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("core", "0009_alter_auditentry_action_alter_auditentry_actor_role_and_more"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="VerifiedEmail",
            fields=[
                (
                    "user",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                ("address", models.EmailField(max_length=254)),
                ("verified_at", models.DateTimeField(default=django.utils.timezone.now)),
            ],
            options={
                "verbose_name": "verified e-mail address",
                "verbose_name_plural": "verified e-mail addresses",
            },
        ),
        migrations.RunSQL(UNIQUE_EMAIL, "DROP INDEX auth_user_email_unique_ci"),
    ]
