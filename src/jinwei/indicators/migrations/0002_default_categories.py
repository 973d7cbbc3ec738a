"""The default categories: the five development concepts (新发展理念) plus 经济总量.

Safe to rerun: rows are matched by code and left alone if someone renamed them.
"""

from django.db import migrations

DEFAULTS = [
    ("economy", "经济总量", 0),
    ("innovation", "创新", 1),
    ("coordination", "协调", 2),
    ("green", "绿色", 3),
    ("openness", "开放", 4),
    ("sharing", "共享", 5),
]


def add_defaults(apps, schema_editor):
    Category = apps.get_model("indicators", "Category")
    for code, name, order in DEFAULTS:
        Category.objects.get_or_create(code=code, defaults={"name": name, "order": order})


class Migration(migrations.Migration):
    dependencies = [("indicators", "0001_catalogue_observations_targets_imports")]

    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
