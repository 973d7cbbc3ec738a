"""An evaluation run's input numbers move out of the `inputs` JSON into raw float64 bytes.

A province's panel (1.7 million values) was 18 MB of base64 text in JSON (jsonb parsing alone took
most of a second on PostgreSQL); as little-endian float64 bytes it is 13 MB stored and read back
without conversion. Existing runs are moved, bit for bit: `inputs` held either nested lists with
null for a missing value, or base64 of the same bytes with the shape. On PostgreSQL the column is
stored uncompressed (STORAGE EXTERNAL): doubles hardly compress, and trying costs a third of a
second per province-sized run. Reversible.
"""

import base64

import numpy as np
from django.db import migrations, models

VALUES = np.dtype("<f8")


def _numbers(inputs):
    if "values_base64" in inputs:
        return np.frombuffer(base64.b64decode(inputs["values_base64"]), dtype=VALUES)
    return np.array(inputs.get("values", []), dtype=float)  # None becomes NaN


def to_bytes(apps, schema_editor):
    EvaluationRun = apps.get_model("rankings", "EvaluationRun")
    for run in EvaluationRun.objects.only("inputs").iterator(chunk_size=20):
        inputs = dict(run.inputs)
        shape = (len(inputs["years"]), len(inputs["regions"]), len(inputs["indicators"]))
        values = _numbers(inputs).reshape(shape)
        for key in ("values", "values_base64", "shape"):
            inputs.pop(key, None)
        run.inputs = inputs
        run.input_values = np.ascontiguousarray(values, dtype=VALUES).tobytes()
        run.save(update_fields=["inputs", "input_values"])


def to_json(apps, schema_editor):
    EvaluationRun = apps.get_model("rankings", "EvaluationRun")
    for run in EvaluationRun.objects.only("inputs", "input_values").iterator(chunk_size=20):
        inputs = dict(run.inputs)
        shape = (len(inputs["years"]), len(inputs["regions"]), len(inputs["indicators"]))
        raw = bytes(run.input_values)
        inputs["values_base64"] = base64.b64encode(raw).decode("ascii")
        inputs["shape"] = list(shape)
        run.inputs = inputs
        run.save(update_fields=["inputs"])


def _storage(kind):
    def alter(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(
                "ALTER TABLE rankings_evaluationrun ALTER COLUMN input_values SET STORAGE " + kind
            )

    return alter


class Migration(migrations.Migration):
    dependencies = [("rankings", "0001_peer_groups_schemes_runs")]

    operations = [
        migrations.AddField(
            model_name="evaluationrun",
            name="input_values",
            field=models.BinaryField(null=True, verbose_name="input values"),
        ),
        migrations.RunPython(to_bytes, to_json, elidable=False),
        migrations.AlterField(
            model_name="evaluationrun",
            name="input_values",
            field=models.BinaryField(verbose_name="input values"),
        ),
        migrations.RunPython(_storage("EXTERNAL"), _storage("EXTENDED"), elidable=False),
    ]
