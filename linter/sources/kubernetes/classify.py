"""What a YAML file is: Kubernetes manifests, or something to skip with a reason.

Helm charts (Chart.yaml, values files, templates), kustomizations, CI pipelines and Compose
files are YAML but not manifests: they are skipped with a reason and never produce findings.
Kinds are recognised by API group as well as name, so a CRD that reuses a kind name is not
mistaken for one we model.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache

from linter import files as fs

# kind -> accepted API groups ("" = core)
WORKLOAD_KINDS: dict[str, frozenset[str]] = {
    "Deployment": frozenset({"apps", "extensions"}),
    "StatefulSet": frozenset({"apps"}),
    "DaemonSet": frozenset({"apps", "extensions"}),
    "ReplicaSet": frozenset({"apps", "extensions"}),
    "Job": frozenset({"batch"}),
    "CronJob": frozenset({"batch"}),
    "Pod": frozenset({""}),
    "Rollout": frozenset({"argoproj.io"}),
    "InferenceService": frozenset({"serving.kserve.io"}),
    "PyTorchJob": frozenset({"kubeflow.org"}),
    "TFJob": frozenset({"kubeflow.org"}),
    "MPIJob": frozenset({"kubeflow.org"}),
    "JAXJob": frozenset({"kubeflow.org"}),
    "PaddleJob": frozenset({"kubeflow.org"}),
    "XGBoostJob": frozenset({"kubeflow.org"}),
    "JobSet": frozenset({"jobset.x-k8s.io"}),
    "LeaderWorkerSet": frozenset({"leaderworkerset.x-k8s.io"}),
    "RayCluster": frozenset({"ray.io"}),
    "RayJob": frozenset({"ray.io"}),
    "RayService": frozenset({"ray.io"}),
    "ScaledJob": frozenset({"keda.sh"}),
}
AUTOSCALER_KINDS: dict[str, frozenset[str]] = {
    "HorizontalPodAutoscaler": frozenset({"autoscaling"}),
    "ScaledObject": frozenset({"keda.sh"}),
}
NODEPOOL_KINDS: dict[str, frozenset[str]] = {
    "NodePool": frozenset({"karpenter.sh"}),
    "Provisioner": frozenset({"karpenter.sh"}),
}
EXPOSURE_KINDS: dict[str, frozenset[str]] = {
    "Service": frozenset({""}),
    "Ingress": frozenset({"networking.k8s.io", "extensions"}),
    "HTTPRoute": frozenset({"gateway.networking.k8s.io"}),
    "GRPCRoute": frozenset({"gateway.networking.k8s.io"}),
    "Route": frozenset({"route.openshift.io"}),  # OpenShift: a host name on the cluster's router
}
# the exposure kinds that send traffic to Services (not pods themselves)
ROUTE_KINDS = ("Ingress", "HTTPRoute", "GRPCRoute", "Route")
CONTEXT_KINDS: dict[str, frozenset[str]] = {
    "ResourceClaimTemplate": frozenset({"resource.k8s.io"}),  # DRA: devices pods claim (claims.py)
    "ResourceClaim": frozenset({"resource.k8s.io"}),
    "Namespace": frozenset({""}),
    "Gateway": frozenset({"gateway.networking.k8s.io"}),
}
# rate-limit policy objects of gateway implementations (route_policies.py)
POLICY_KINDS: dict[str, frozenset[str]] = {
    "BackendTrafficPolicy": frozenset({"gateway.envoyproxy.io"}),
    "KongPlugin": frozenset({"configuration.konghq.com"}),
    "KongClusterPlugin": frozenset({"configuration.konghq.com"}),
    "Middleware": frozenset({"traefik.io", "traefik.containo.us"}),
}
# eksctl's cluster file (not a Kubernetes object): the node groups it creates are priced (eksctl.py)
CLUSTER_CONFIG_KINDS: dict[str, frozenset[str]] = {"ClusterConfig": frozenset({"eksctl.io"})}
# KAITO objects: the GPU nodes its provisioner creates for them are priced (kaito.py)
KAITO_KINDS: dict[str, frozenset[str]] = {"Workspace": frozenset({"kaito.sh"}),
                                          "InferenceSet": frozenset({"kaito.sh"}),
                                          "RAGEngine": frozenset({"kaito.sh"})}
ALL_KINDS = {**WORKLOAD_KINDS, **AUTOSCALER_KINDS, **NODEPOOL_KINDS, **EXPOSURE_KINDS, **CONTEXT_KINDS,
             **POLICY_KINDS, **CLUSTER_CONFIG_KINDS, **KAITO_KINDS}
WANTED = frozenset(ALL_KINDS)
# Terraform (and Pulumi-bridged) resource types of a managed Kubernetes cluster: the region its objects run in
CLUSTER_TYPES = ("aws_eks_cluster", "google_container_cluster", "azurerm_kubernetes_cluster")
CLUSTER_SCOPED = frozenset({"NodePool", "Provisioner", "Namespace", "KongClusterPlugin"})
# a directory's kustomization file (linter/sources/kubernetes/kustomize.py renders it; named here so that a scan
# without one tells so without importing the renderer)
KUSTOMIZATION_NAMES = ("kustomization.yaml", "kustomization.yml", "Kustomization")


def api_group(api_version: str) -> str:
    return api_version.rsplit("/", 1)[0] if "/" in api_version else ""


def recognised(api_version: str, kind: str) -> bool:
    groups = ALL_KINDS.get(kind)
    return groups is not None and api_group(api_version) in groups


# Go-template syntax only Helm charts carry. Rendered manifests may hold "{{ $labels.x }}" (Prometheus
# rules) or "{{ range .Alerts }}" (Alertmanager templates) in ConfigMaps, so a bare "{{" is not enough;
# a file with other "{{" syntax that does not parse as YAML is treated as a template too.
_HELM_MARKERS = re.compile(r"\{\{-?\s*(?:\.Values|\.Release|\.Chart|\.Capabilities|\.Files|include\s+\"|toYaml|tpl\s)"
                           r"|\.Values\.\w|\|\s*nindent\s+\d")

_CI_NAMES = {".gitlab-ci.yml": "GitLab CI pipeline", ".gitlab-ci.yaml": "GitLab CI pipeline",
             "azure-pipelines.yml": "Azure Pipelines definition", "azure-pipelines.yaml": "Azure Pipelines definition",
             "bitbucket-pipelines.yml": "Bitbucket Pipelines definition", ".travis.yml": "Travis CI config",
             "cloudbuild.yaml": "Google Cloud Build config", "cloudbuild.yml": "Google Cloud Build config",
             "buildspec.yml": "AWS CodeBuild buildspec", "appveyor.yml": "AppVeyor config",
             "mkdocs.yml": "MkDocs config", "mkdocs.yaml": "MkDocs config", "codecov.yml": "Codecov config",
             "dependabot.yml": "Dependabot config", ".golangci.yml": "golangci-lint config",
             "pnpm-lock.yaml": "pnpm lock file", "environment.yml": "conda environment",
             "environment.yaml": "conda environment", "pulumi.yaml": "Pulumi project file"}
RENDER_HELM = "render the chart with `helm template` and scan the output"


@lru_cache(maxsize=4096)
def _has_chart(directory: str) -> bool:
    return fs.isfile(os.path.join(directory, "Chart.yaml")) or fs.isfile(os.path.join(directory, "Chart.yml"))


def skip_reason_for_path(path: str) -> str | None:
    """A reason to skip the file from its name and place alone (no read), or None."""
    name = os.path.basename(path)
    lower = name.lower()
    parts = path.replace("\\", "/").split("/")
    directory = os.path.dirname(path)
    if lower in ("chart.yaml", "chart.yml"):
        return f"Helm chart metadata ({name}), not a manifest; {RENDER_HELM}"
    if lower in ("kustomization.yaml", "kustomization.yml") or name == "Kustomization":
        return "kustomization, not a manifest; run `kubectl kustomize` (kustomize build) and scan the output"
    if len(parts) >= 3 and parts[-3] in (".github", ".gitea", ".forgejo") and parts[-2] == "workflows":
        return "GitHub Actions workflow, not a Kubernetes manifest"
    if lower in _CI_NAMES:
        return f"{_CI_NAMES[lower]}, not a Kubernetes manifest"
    if lower.startswith(("docker-compose", "compose.", "compose-")) or lower in ("compose.yaml", "compose.yml"):
        return "Docker Compose file, not a Kubernetes manifest"
    if lower.startswith(".finops-lint."):
        return "finops-lint configuration"
    if (lower.startswith("values") and lower.endswith((".yaml", ".yml"))) and \
            (lower in ("values.yaml", "values.yml") or _has_chart(directory)):
        return f"Helm values file, not a manifest; {RENDER_HELM}"
    if "templates" in parts[:-1]:
        i = len(parts) - 2 - parts[:-1][::-1].index("templates")
        chart_dir = "/".join(parts[:i]) or "/"
        if _has_chart(chart_dir):
            return f"Helm chart template, not a rendered manifest; {RENDER_HELM}"
    return None


NO_OBJECTS = "no Kubernetes objects (no document has apiVersion and kind)"


def skip_reason_for_text(text: str) -> str | None:
    """A reason to skip from the content: Helm template syntax, or no Kubernetes objects at all."""
    if not text.strip():
        return "empty YAML file"
    if "{{" in text and _HELM_MARKERS.search(text):
        return f"Helm template (Go template syntax such as '{{{{ .Values }}}}'), not a rendered manifest; {RENDER_HELM}"
    if "kind" not in text or "apiVersion" not in text:
        return NO_OBJECTS
    return None
