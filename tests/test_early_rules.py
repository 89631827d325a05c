"""linter/early_rules.py: the Terraform roots' rules run in a forked child while the manifests are built. The report
is the one the rules give when they all run at the end (byte for byte, JSON), the child's findings are taken only
when no cross-resource fact joins a root's resource with a manifest's, and a rule that failed in the child is not
run on the rest."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from test_cross_source_links import HPA_TF  # a Terraform HPA for the platform example's llama-8b Deployment

from conftest import EXAMPLES, ROOT, no_children_left, run_cli
from linter import early_rules, engine
from linter.facts.links import joins_across
from linter.model import Autoscaling, Resource


@pytest.fixture
def parent_calls(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many resources each ``evaluate_rules`` call of this process got (the child's calls are its own)."""
    calls: list[int] = []
    real = engine.evaluate_rules

    def counted(resources: list[Resource], *args: Any, **kwargs: Any) -> Any:
        calls.append(len(resources))
        return real(resources, *args, **kwargs)

    monkeypatch.setattr(engine, "evaluate_rules", counted)
    monkeypatch.setattr(early_rules, "MIN_RESOURCES", 1)
    return calls


def _reports(tree: Path, tmp_path: Path) -> tuple[str, str]:
    args = ("scan", ".", "--format", "json", "--fail-on", "none", "--no-cache")
    early = run_cli(*args, "--jobs", "2", cwd=tree).stdout
    at_end = run_cli(*args, "--jobs", "1", cwd=tree).stdout  # no child: every rule runs at the end
    return early, at_end


def test_the_report_is_the_same_with_the_roots_rules_run_early(tmp_path: Path, parent_calls: list[int],
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """The EKS platform example (node groups in Terraform, pods in manifests) and the whole examples tree. The
    child is forked gated as the last root arrives from the workers, and released once they are done."""
    from linter import forked

    forks: list[bool] = []
    real_fork = forked.fork_call

    def fork_call(compute: Any, gated: bool = False, piped: bool = False) -> Any:
        if not piped:  # the discovery child is another one
            forks.append(gated)
        return real_fork(compute, gated, piped)

    monkeypatch.setattr(forked, "fork_call", fork_call)
    from linter import grouping

    grouped_here: list[list[str]] = []  # the sources of the findings each of this process's groupings got
    real_group = grouping.group_findings

    def group_findings(findings: list[Any], *args: Any, **kwargs: Any) -> Any:
        grouped_here.append([f.source for f in findings])
        return real_group(findings, *args, **kwargs)

    monkeypatch.setattr(grouping, "group_findings", group_findings)
    from linter.report import json_report

    encoded_here: list[str] = []  # the sources of the findings this process turned into report dicts
    real_finding = json_report._finding
    monkeypatch.setattr(json_report, "_finding", lambda f: encoded_here.append(f.source) or real_finding(f))
    for tree in (EXAMPLES / "platform/eks_gpu_cluster/violating", ROOT / "iac_examples"):
        parent_calls.clear()
        forks.clear()
        grouped_here.clear()
        early, at_end = _reports(tree, tmp_path)
        assert early == at_end and '"findings"' in early
        assert forks == [True]  # one child, forked while the workers read (the serial run forks none)
        # the roots' findings were grouped in the child (iac_examples has count instances merged into one)
        assert "terraform" not in grouped_here[0] and "terraform" in grouped_here[1]
        import json

        report = json.loads(early)
        terraform = sum(1 for r in report["resources"] if r["source"] == "terraform")
        assert terraform and parent_calls[0] == len(report["resources"]) - terraform  # the child ran the roots'
        # ... and encoded their report lines: here only the others' findings became dicts (then the -j 1 run's all)
        findings = [f["source"] for f in report["findings"]]
        assert "terraform" in findings
        assert encoded_here[:len(findings) - findings.count("terraform")] == [s for s in findings if s != "terraform"]
        assert encoded_here[len(findings) - findings.count("terraform"):] == findings
        encoded_here.clear()


def test_findings_given_notes_after_the_rules_are_not_taken_as_the_child_encoded_them(
        tmp_path: Path, parent_calls: list[int]) -> None:
    """The money floor notes why a finding of unknown impact is kept, and a baselined finding that grew comes back
    with the baseline's figures: both change findings after the rules ran, so the lines the child encoded before
    are not used (the report equals the one of a serial run, notes included)."""
    import json

    tree = tmp_path / "examples"
    shutil.copytree(ROOT / "iac_examples", tree)
    args = ("scan", ".", "--format", "json", "--fail-on", "none", "--no-cache")
    run_cli(*args, "--jobs", "1", "--write-baseline", str(tmp_path / "baseline.json"), cwd=tree)
    baseline = json.loads((tmp_path / "baseline.json").read_text())
    grown = next(e for e in baseline["findings"] if e["file"].endswith(".tf") and e.get("impact_usd"))
    grown["impact_usd"] = round(grown["impact_usd"] / 4, 2)  # it grew fourfold since
    grown["monthly_cost_usd"] = None
    (tmp_path / "baseline.json").write_text(json.dumps(baseline))
    for extra in (("--min-monthly-usd", "100000"), ("--baseline", str(tmp_path / "baseline.json"))):
        early = run_cli(*args, *extra, "--jobs", "2", cwd=tree).stdout
        assert early == run_cli(*args, *extra, "--jobs", "1", cwd=tree).stdout
        noted = [f for f in json.loads(early)["findings"] if f["source"] == "terraform" and f["notes"]
                 and ("kept under --min-monthly-usd" in f["notes"][-1] or f.get("baseline"))]
        assert noted, extra


def test_roots_read_again_after_the_child_was_forked_get_a_child_of_their_own(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """When the roots' final results are not the ones the gated child holds (a worker died and they were read
    again here), that child is dropped without computing and a new one runs the rules of the final ones."""
    marker = tmp_path / "computed"

    def compute(self: early_rules.EarlyRules) -> Any:
        with marker.open("a") as out:
            out.write(",".join(r.address for r in self._first) + "\n")
        return [], None, [], [], set()

    monkeypatch.setattr(early_rules, "MIN_RESOURCES", 1)
    monkeypatch.setattr(early_rules.EarlyRules, "_compute", compute)
    early = early_rules.EarlyRules(None, None, [object()], None)
    early.prepare([_resource("aws_instance.a")])
    read_again = [_resource("aws_instance.a")]  # equal, but not the same objects
    early.start(read_again)
    assert early._child is not None and early._child.result() == ([], None, [], [], set())
    assert marker.read_text() == "aws_instance.a\n"  # computed once: by the new child, not the dropped one
    assert early._first == read_again and early._first[0] is read_again[0]


def test_an_autoscaler_in_terraform_for_a_manifests_deployment_keeps_the_rules_at_the_end(
        tmp_path: Path, parent_calls: list[int]) -> None:
    """The Terraform HPA scales a Deployment of a manifest file: its facts depend on the manifests, so the child's
    findings are not taken; the report still says the Deployment scales on CPU."""
    repo = tmp_path / "repo"
    shutil.copytree(EXAMPLES / "platform/eks_gpu_cluster/compliant", repo)
    (repo / "terraform/autoscaling.tf").write_text(HPA_TF)
    early, at_end = _reports(repo, tmp_path)
    assert early == at_end and "FIN-SCALE-001" in early
    import json

    assert parent_calls[0] == len(json.loads(early)["resources"])  # every resource's rules ran here


def _resource(address: str, source: str = "terraform", origin: str = "live", **links: str) -> Resource:
    return Resource(address=address, type=address.split(".")[0].split("/")[0], source=source, provider="aws",  # type: ignore[arg-type]
                    file="main.tf", line=1, name=address, origin=origin, links=dict(links))


def test_joins_across_names_each_cross_resource_look_up() -> None:
    pool = _resource("aws_eks_node_group.gpu")
    deployment = _resource("Deployment/serving/llama-8b", source="kubernetes", origin="k8s")
    assert not joins_across([pool], [deployment])
    hpa = _resource("kubernetes_horizontal_pod_autoscaler_v2.llama", scales="Deployment/serving/llama-8b")
    hpa.facets = ["autoscaler"]
    hpa.autoscaling = Autoscaling(address=hpa.address, metric_kind="cpu", min=2, max=6)
    assert joins_across([pool, hpa], [deployment])  # a root's autoscaler for a manifest's workload
    k8s_hpa = _resource("HorizontalPodAutoscaler/serving/x", source="kubernetes", origin="live",
                        scales="aws_eks_node_group.gpu")
    k8s_hpa.facets = ["autoscaler"]
    k8s_hpa.autoscaling = Autoscaling(address=k8s_hpa.address, metric_kind="cpu", min=1, max=2)
    assert joins_across([pool], [k8s_hpa])  # same origin and key: it would scale the root's resource
    child = _resource("azurerm_cognitive_deployment.gpt", billed_through="azurerm_cognitive_account.ai")
    account = _resource("azurerm_cognitive_account.ai")
    assert not joins_across([child, account], [deployment])
    assert joins_across([child], [account])  # a tagless child's bill goes to a parent among the rest
    assert joins_across([account], [child])  # ... or to a parent among the first
    elsewhere = _resource("azurerm_cognitive_deployment.gpt", origin="staging",
                          billed_through="azurerm_cognitive_account.ai")
    assert not joins_across([account], [elsewhere]) and not joins_across([elsewhere], [account])  # another root's
    assert not joins_across([pool], [_resource("HorizontalPodAutoscaler/serving/x", source="kubernetes",
                                               origin="k8s", scales="aws_eks_node_group.gpu")])
    route = _resource("litellm/gpt", configmap="serving/litellm-config")
    proxy = _resource("Deployment/serving/litellm", source="kubernetes", origin="k8s",
                      configmaps="serving/litellm-config,serving/other")
    assert joins_across([route], [proxy]) and joins_across([proxy], [route])


def test_a_rule_that_failed_in_the_child_is_not_run_on_the_rest(monkeypatch: pytest.MonkeyPatch) -> None:
    """One pass stops running a rule after its first failure; the roots come first, so a rule the child saw
    fail is not run on the manifests' resources here."""
    seen: list[list[str]] = []
    monkeypatch.setattr(engine, "evaluate_rules",
                        lambda resources, rules, *a, **k: seen.append([r.id for r in rules]) or ([], [], []))

    class Rule:
        def __init__(self, rule_id: str) -> None:
            self.id = rule_id

    rules = [Rule("FIN-GPU-001"), Rule("FIN-TAG-001")]
    first, rest = [_resource("aws_instance.a")], [_resource("Deployment/x/y", source="kubernetes", origin="k8s")]
    early = early_rules.EarlyRules(None, None, rules, None)
    early._first = first
    early._child = type("Done", (), {"result": lambda self: ([], None, ["FIN-GPU-001 failed"], [], {"FIN-GPU-001"})})()
    _, errors, _ = early.evaluate(first + rest, rules, lambda findings: findings)
    assert seen == [["FIN-TAG-001"]] and errors == ["FIN-GPU-001 failed"]


def test_a_scan_that_fails_with_the_child_waiting_leaves_no_process(parent_calls: list[int],
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """The child is forked, gated, as the last root arrives; a scan that then fails before releasing it (here: in
    merging the roots' results) abandons it instead of leaving it waiting."""

    from linter import terraform_roots

    def broken(parts: list[Any]) -> Any:
        raise RuntimeError("merging fails")

    monkeypatch.setattr(terraform_roots, "merge_roots", broken)
    with pytest.raises(RuntimeError, match="merging fails"):
        run_cli("scan", ".", "--format", "json", "--no-cache", "--jobs", "2",
                cwd=EXAMPLES / "platform/eks_gpu_cluster/violating")
    from linter import pool

    pool.reap()
    assert no_children_left()  # neither the gated child nor the workers
