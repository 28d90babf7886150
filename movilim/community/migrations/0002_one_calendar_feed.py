"""The community's own calendar feed gives way to the one personal feed of ``notices``, which
holds the member's events. Its addresses are not carried over: only a hash of each was kept."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('community', '0001_initial'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='membership',
            name='feed_token_hash',
        ),
    ]
