"""A Pulumi Python program laid out as packages is read whole: ``from resources.k8s import *``, packages'
``__init__.py``, relative imports (``from .providers import x``, ``from ..utils import f``) and modules importing each
other by their package path, each module read once, when first imported, as Python would (statically: nothing is
imported or run). tqtensor/infra's __main__.py is only ``from resources.<kind> import *`` lines, and its modules are
packages: the reader found 0 resources in it; it now finds 34 (buckets, IAM, Deployments), at their files and lines.
The fixture is the precision_pulumi_provider_cluster stack split into packages in that repository's shape."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from conftest import ROOT, scan_json, write
from linter.pricing.catalog import price_entry

FIXTURES = ROOT / "tests" / "fixtures" / "precision_pulumi_packages"
GCP = json.loads((ROOT / "linter" / "pricing" / "data" / "gcp.json").read_text())
HOURS = 730


def _resources(run: Any) -> dict[str, dict[str, Any]]:
    return {r["address"]: r for r in run.report["resources"]}


def test_a_program_of_packages_is_read_whole() -> None:
    run = scan_json("infra", "--no-cache", cwd=FIXTURES)
    got = _resources(run)
    assert run.report["errors"] == []
    clusters = [r for r in run.report["resources"] if r["type"] == "gcp:container/cluster:Cluster"]
    assert [(c["address"], c["file"], c["line"]) for c in clusters] == [  # declared once, though imported 3 times
        ("auto_pilot_asia_east_1_cluster", "infra/resources/cluster/gke.py", 5),
        ("auto_pilot_eu_west_4_cluster", "infra/resources/cluster/gke.py", 14)]
    asia, eu = got["tei-asia-east-1 (Deployment)"], got["tei-eu-west-4 (Deployment)"]
    assert (asia["file"], asia["line"], asia["region"]) == ("infra/resources/k8s/tei.py", 28, "asia-east1")
    assert (eu["file"], eu["line"], eu["region"]) == ("infra/resources/k8s/tei.py", 28, "europe-west4")
    g2 = {region: price_entry(GCP, region, "g2-standard-8")["usd_per_hour"] for region in ("asia-east1", "europe-west4")}
    assert asia["monthly_cost_usd"] == round(2 * g2["asia-east1"] * HOURS, 2) == 1443.08
    assert eu["monthly_cost_usd"] == round(g2["europe-west4"] * HOURS, 2) == 654.96


PROGRAM = {
    "Pulumi.yaml": "name: cyc\nruntime: python\n",
    "Pulumi.dev.yaml": "config:\n  gcp:region: us-central1\n",
}


def test_an_import_cycle_between_package_modules_is_read_once(tmp_path: Path) -> None:
    write(tmp_path, {**PROGRAM,
                     "__main__.py": "import infra.a\n",
                     "infra/__init__.py": "",
                     "infra/a.py": "import pulumi_gcp as gcp\nfrom infra import b\n\n"
                                   "gcp.storage.Bucket('a', location='US', labels=b.LABELS)\n",
                     "infra/b.py": "import pulumi_gcp as gcp\nfrom infra import a  # a cycle: a is partly read\n\n"
                                   "LABELS = {'team': 'ml'}\ngcp.storage.Bucket('b', location='US', labels=LABELS)\n"})
    run = scan_json(".", "--no-cache", cwd=tmp_path)
    assert run.exit_code in (0, 1) and run.report["errors"] == []
    buckets = sorted((r["address"], r["file"], r["line"], r["tags"].get("team")) for r in run.report["resources"])
    assert buckets == [("a", "infra/a.py", 4, "ml"), ("b", "infra/b.py", 5, "ml")]


def test_import_star_takes_the_names_in_all(tmp_path: Path) -> None:
    write(tmp_path, {**PROGRAM,
                     "__main__.py": "import pulumi_gcp as gcp\nfrom settings import *\n\n"
                                    "gcp.compute.Instance('exported', machine_type=MACHINE, zone='us-central1-a', "
                                    "boot_disk={}, network_interfaces=[])\n"
                                    "gcp.compute.Instance('private', machine_type=OTHER, zone='us-central1-a', "
                                    "boot_disk={}, network_interfaces=[])\n",
                     "settings/__init__.py": "__all__ = ['MACHINE']\nMACHINE = 'n2-standard-4'\nOTHER = 'n2-standard-8'\n"})
    got = _resources(scan_json(".", "--no-cache", cwd=tmp_path))
    assert got["exported"]["compute"]["instance_type"] == "n2-standard-4"
    assert got["private"]["compute"]["instance_type"] is None  # OTHER is not in __all__: not imported


def test_star_import_of_a_package_imports_the_submodules_its_all_lists(tmp_path: Path) -> None:
    """``from resources import *`` where ``resources/__init__.py`` is only ``__all__ = ["gpu_pool", "buckets"]``:
    Python imports those submodules, so their resources are declared; the reader read none of them."""
    a2_1g = price_entry(GCP, "us-central1", "a2-highgpu-1g")["usd_per_hour"]
    write(tmp_path, {
        "infra/Pulumi.yaml": "name: training\nruntime: python\nconfig:\n  gcp:region: us-central1\n",
        "infra/__main__.py": "from resources import *  # noqa: F403\n",
        "infra/resources/__init__.py": '__all__ = ["gpu_pool", "buckets"]\n',
        "infra/resources/gpu_pool.py": """import pulumi_gcp as gcp

cluster = gcp.container.Cluster("training", location="us-central1", initial_node_count=1, remove_default_node_pool=True)

a100_pool = gcp.container.NodePool(
    "a100-pool",
    cluster=cluster.name,
    location="us-central1",
    node_count=2,
    node_config=gcp.container.NodePoolNodeConfigArgs(
        machine_type="a2-highgpu-1g",
        labels={"team": "research"},
    ),
)
""",
        "infra/resources/buckets.py": 'import pulumi_gcp as gcp\n\ndatasets = gcp.storage.Bucket("datasets", '
                                      'location="US", labels={"team": "research"})\n',
        "infra/resources/unlisted.py": 'import pulumi_gcp as gcp\n\nscratch = gcp.storage.Bucket("scratch", '
                                       'location="US")\n',  # not in __all__, not imported: not declared
    })
    got = _resources(scan_json("infra", "--no-cache", cwd=tmp_path))
    assert sorted(got) == ["a100-pool", "datasets", "training"]
    pool = got["a100-pool"]
    assert (pool["file"], pool["line"]) == ("infra/resources/gpu_pool.py", 5)
    assert pool["monthly_cost_usd"] == round(2 * 3 * a2_1g * HOURS, 2)  # 2 nodes in each of the region's 3 zones
