"""The built wheel carries the rule pack, the price catalog and the report schema."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from conftest import ROOT


def test_wheel_contains_rules_catalog_and_schema_and_runs(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out), str(ROOT)],
                   check=True, capture_output=True, timeout=300)
    (wheel,) = out.glob("finops_lint-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    rules = {Path(n).name for n in names if n.startswith("linter/builtin_rules/")}
    assert {p.name for p in (ROOT / "rules").glob("*.yaml")} == rules
    assert {"linter/pricing/data/aws.json", "linter/pricing/data/gcp.json", "linter/pricing/data/azure.json",
            "linter/schemas/report.schema.json", "linter/facts/data/taggable.json", "linter/facts/data/billing.json",
            "linter/facts/data/tag_overrides.json", "linter/report/templates/report.md.j2",
            "linter/report/templates/comment.md.j2", "linter/report/templates/inline.md.j2",
            "linter/integrations/checkov_checks/__init__.py",
            "linter/integrations/checkov_checks/finops_lint_checks.py", "linter/sources/pulumi/data/types.json"} <= names
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    proc = subprocess.run([sys.executable, "-c", "from linter.rules.loader import builtin_rules_dir; "
                           "from linter.cli import main; print(builtin_rules_dir()); main(['rules'])"],
                          cwd=tmp_path, env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"},
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[0] == str(site / "linter" / "builtin_rules")
    assert "FIN-GPU-001" in proc.stdout
