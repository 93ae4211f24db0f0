"""Everything serving.duckdb publishes on the bundled data, table by table, is exactly what
tests/data/serving_fingerprint.json records (refactorings must not change published content).

After an intended change of content, regenerate it from a fresh run and say why in the commit:
``python -m pipelines.run && python scripts/serving_fingerprint.py var/serving.duckdb --write``.
"""

import json
import sys

from pipelines.settings import PROJECT_ROOT


def test_published_content_matches_the_recorded_fingerprint(full_run):
    sys.path.insert(0, str(PROJECT_ROOT / "scripts"))
    from serving_fingerprint import STORED, fingerprint_serving

    settings, result = full_run
    assert result.success
    recorded = json.loads(STORED.read_text(encoding="utf-8"))
    fresh = fingerprint_serving(settings.serving_path)
    assert sorted(fresh) == sorted(recorded), "the set of published tables changed"
    changed = {t: (recorded[t], fresh[t]) for t in recorded if recorded[t] != fresh[t]}
    assert changed == {}, f"published content changed: {changed}"
