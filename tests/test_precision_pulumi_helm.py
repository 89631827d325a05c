"""Pulumi Helm releases and charts (``kubernetes.helm.v3.Release``, ``helm.v3/v4.Chart``, and YAML programs'
``kubernetes:helm.sh/v3:Release``/``v4:Chart``) were dropped without a word: tqtensor/infra (a25e365) installs a
text-embeddings-inference GPU server through a Release whose values file asks for ``nvidia.com/gpu: 1``, and the scan
said nothing. Charts are not rendered (no code runs, nothing is fetched); each release is now noted as Terraform's
``helm_release`` is: when its values ask for accelerators (literal values, or a ``value_yaml_files`` FileAsset read
as data), or when its values cannot be read without running the program. A release whose values are read and ask for
none (cert-manager, the GPU operator with its driver off) gets no note."""

from __future__ import annotations

from conftest import ROOT, scan_json

FIXTURES = ROOT / "tests" / "fixtures" / "precision_pulumi_helm"


def _helm_notes(run) -> dict[tuple[str, int], str]:  # type: ignore[no-untyped-def]
    return {(s["file"], s["line"]): s["reason"] for s in run.report["skipped"] if "Helm charts" in s["reason"]}


def test_python_releases_and_charts_are_noted_as_terraform_helm_releases_are() -> None:
    notes = _helm_notes(scan_json("python", "--no-cache", cwd=FIXTURES))
    assert set(notes) == {("python/__main__.py", 12), ("python/__main__.py", 23), ("python/__main__.py", 41)}
    assert notes[("python/__main__.py", 23)].startswith(
        "vllm installs chart vllm-stack whose values ask for accelerators (nvidia.com/gpu); finops-lint does not "
        "render Helm charts, so its pods' cost is not in the report: render it (helm template)")
    # value_yaml_files=[pulumi.FileAsset("values/tei.yaml")]: the file is read as data, relative to the project
    assert "embeddings installs chart text-embeddings-inference whose values ask for accelerators (nvidia.com/gpu)" \
        in notes[("python/__main__.py", 41)]
    # values=yaml.safe_load(open(...)): only running the program gives them
    tei = notes[("python/__main__.py", 12)]
    assert tei.startswith("tei installs chart text-embeddings-inference with values not known without running the "
                          "program (yaml.safe_load() is evaluated at deployment)")
    assert tei.endswith("or use --pulumi-execute")


def test_yaml_program_releases_and_charts() -> None:
    notes = _helm_notes(scan_json("yaml", "--no-cache", cwd=FIXTURES))
    assert list(notes) == [("yaml/Pulumi.yaml", 16)]  # nim-llm; the GPU operator's values ask for no GPU
    assert notes[("yaml/Pulumi.yaml", 16)].startswith("nim-llm installs chart ./charts/nim-llm whose values ask for "
                                                      "accelerators (nvidia.com/gpu)")
