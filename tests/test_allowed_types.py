"""Which catalog machine types a pod's node constraints allow (Karpenter NodePool requirements, node selectors,
node affinity): each constraint is tested against the catalog once and the answers are combined."""

from __future__ import annotations

import pytest

from linter.pricing.catalog import Catalog
from linter.sources.kubernetes.nodes import _attr, _matches, allowed_types
from linter.sources.kubernetes.pods import Constraint

REQUIREMENTS = [
    ("aws", {"karpenter.k8s.aws/instance-family": Constraint("In", ["g5", "g6"]),
             "karpenter.k8s.aws/instance-gpu-count": Constraint("Gt", ["0"]),
             "karpenter.sh/capacity-type": Constraint("In", ["spot", "on-demand"])}),
    ("aws", {"karpenter.k8s.aws/instance-category": Constraint("In", ["p"]),
             "karpenter.k8s.aws/instance-generation": Constraint("Gt", ["3"]),
             "karpenter.k8s.aws/instance-gpu-name": Constraint("In", ["H100", "a100"])}),
    ("aws", {"node.kubernetes.io/instance-type": Constraint("In", ["g5.12xlarge", "p4d.24xlarge", "m5.large"]),
             "karpenter.k8s.aws/instance-gpu-manufacturer": Constraint("In", ["nvidia"])}),
    ("aws", {"karpenter.k8s.aws/instance-gpu-count": Constraint("DoesNotExist", []),
             "karpenter.k8s.aws/instance-cpu": Constraint("Lt", ["17"])}),
    ("gcp", {"cloud.google.com/machine-family": Constraint("In", ["a2", "g2"]),
             "cloud.google.com/gke-spot": Constraint("In", ["true"])}),
    ("azure", {"karpenter.azure.com/sku-gpu-name": Constraint("NotIn", ["T4"]),
               "karpenter.azure.com/sku-gpu-count": Constraint("Exists", [])}),
    # a label the catalog does not model (passes every type), counts compared as text, sizes excluded
    ("aws", {"kubernetes.io/arch": Constraint("In", ["arm64"]),
             "karpenter.k8s.aws/instance-gpu-count": Constraint("In", ["0", "1"]),
             "karpenter.k8s.aws/instance-size": Constraint("NotIn", ["metal", "24xlarge"]),
             "karpenter.k8s.aws/instance-gpu-name": Constraint("NotIn", ["T4G", "none"])}),
    ("gcp", {"topology.kubernetes.io/zone": Constraint("NotIn", ["us-central1-a"]),
             "cloud.google.com/machine-family": Constraint("NotIn", ["A2", "e2"])}),
]


@pytest.mark.parametrize("provider, constraints", REQUIREMENTS)
def test_allowed_types_are_the_catalog_types_every_constraint_allows(provider: str,
                                                                    constraints: dict[str, Constraint]) -> None:
    catalog = Catalog()
    types = catalog.data(provider)["machine_types"]
    explicit = constraints.get("node.kubernetes.io/instance-type")
    names = [catalog.canonical_type(provider, v) for v in explicit.values] if explicit else list(types)
    expected = [n for n in names if n in types
                and all(_matches(_attr(n, types[n], key), c) for key, c in constraints.items())]
    assert allowed_types(catalog, provider, constraints) == expected
    assert allowed_types(catalog, provider, dict(reversed(constraints.items()))) == expected  # memoised parts


def test_gpu_families_narrow_to_their_sizes() -> None:
    got = allowed_types(Catalog(), "aws", REQUIREMENTS[0][1])
    assert got and all(n.split(".")[0] in ("g5", "g6") for n in got)
    assert "g5.12xlarge" in got and "m5.large" not in got
