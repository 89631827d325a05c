"""`finops-lint comment github|gitlab` against a local REST server (tests/fake_forge.py) that records requests."""

from __future__ import annotations

import copy
import json
import re
import shutil
from pathlib import Path

import pytest
from fake_forge import Forge

from conftest import EXAMPLES, run_cli, scan_json

TRAINING = EXAMPLES / "terraform/aws/training_cluster/violating"
PREFIX = "infra/training"
CHILD = "modules/gpu_node_group/main.tf"
TOKEN = "ghp_s3cr3t-token-never-printed"
MARKER = "<!-- finops-lint-comment:default -->"


@pytest.fixture
def forge():
    server = Forge()
    yield server
    server.close()


@pytest.fixture(scope="module")
def report() -> dict:
    return scan_json(".", cwd=TRAINING).report


@pytest.fixture(scope="module")
def monthly(report) -> float:
    from linter.pricing.catalog import Catalog

    pool = next(r for r in report["resources"] if r["address"] == "module.gpu_nodes.aws_eks_node_group.this")
    hourly = Catalog().hourly("aws", pool["region"], "p4d.24xlarge").usd_per_hour
    return round(hourly * pool["compute"]["count"] * 730, 2)


def hunk(relpath: str, first: int, last: int) -> str:
    """A diff hunk that adds lines first..last of the example file (as a pull request would)."""
    lines = (TRAINING / relpath).read_text().splitlines()[first - 1:last]
    return f"@@ -{first - 1},0 +{first},{len(lines)} @@\n" + "\n".join("+" + ln for ln in lines)


def comment(tmp_path: Path, forge: Forge, report: dict, platform: str, *args: str, monkeypatch=None):
    path = tmp_path / "report.json"
    path.write_text(json.dumps(report))
    api = f"{forge.url}/api/v3" if platform == "github" else f"{forge.url}/api/v4"
    where = ["--repo", "acme/infra", "--pr", "7"] if platform == "github" else ["--project", "platform/infra", "--mr", "5"]
    return run_cli("comment", platform, "--report", str(path), "--api-url", api, *where, *args)


@pytest.fixture
def tokens(monkeypatch):
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    monkeypatch.setenv("GITLAB_TOKEN", TOKEN)


def test_github_update_finds_our_comment_on_a_later_page_and_skips_when_unchanged(tmp_path, forge, report, monthly,
                                                                                 tokens) -> None:
    forge.seed([f"LGTM #{i}" for i in range(55)])
    ours = forge.seed([f"{MARKER}\nold report"])[0]
    forge.seed(["another reviewer's note"])
    run = comment(tmp_path, forge, report, "github")
    assert run.exit_code == 0, run.stderr
    assert f"updated comment {ours['id']}" in run.stdout
    pages = forge.calls("GET", r"/issues/7/comments$")
    assert [p["query"] for p in pages][-1].endswith("page=3")  # followed Link: rel="next" to the third page
    patch = forge.calls("PATCH")
    assert len(patch) == 1 and patch[0]["path"] == f"/api/v3/repos/acme/infra/issues/comments/{ours['id']}"
    body = patch[0]["body"]["body"]
    assert body.startswith(MARKER)
    assert f"| Total monthly cost | **${monthly:,.2f}** |" in body
    assert "```mermaid\nxychart-beta" in body
    assert f"<details><summary><code>{CHILD}</code>: 3 findings</summary>" in body
    assert all(r["headers"]["authorization"] == f"Bearer {TOKEN}" for r in forge.requests)
    assert TOKEN not in run.stdout + run.stderr
    assert not forge.calls("POST")

    again = comment(tmp_path, forge, report, "github")
    assert again.exit_code == 0 and "unchanged; nothing posted" in again.stdout
    assert len(forge.calls("PATCH")) == 1 and not forge.calls("POST")


def test_github_behaviours_new_hide_and_new_delete_and_new(tmp_path, forge, report, tokens) -> None:
    old = forge.seed([f"{MARKER}\nreport of the previous push"])[0]
    run = comment(tmp_path, forge, report, "github", "--behavior", "hide-and-new")
    assert run.exit_code == 0, run.stderr
    graphql = forge.calls("POST", r"^/api/graphql$")  # GitHub Enterprise: /api/v3 -> /api/graphql
    assert len(graphql) == 1 and graphql[0]["body"]["variables"]["id"] == old["node_id"]
    assert "classifier: OUTDATED" in graphql[0]["body"]["query"]
    assert old["minimized"] and len(forge.comments) == 2

    report2 = copy.deepcopy(report)
    report2["findings"] = report2["findings"][:1]
    run = comment(tmp_path, forge, report2, "github", "--behavior", "delete-and-new")
    assert run.exit_code == 0, run.stderr
    assert len(forge.calls("DELETE")) == 2 and len(forge.comments) == 1
    assert "finops-lint: 1 finding" in forge.comments[0]["body"]

    run = comment(tmp_path, forge, report, "github", "--behavior", "new")
    assert run.exit_code == 0 and len(forge.comments) == 2
    run = comment(tmp_path, forge, report, "github", "--behavior", "new")
    assert "unchanged" in run.stdout and len(forge.comments) == 2


def test_github_inline_comments_go_on_changed_lines_through_the_module_block(tmp_path, forge, report, tokens) -> None:
    # the PR adds the module block (main.tf lines 27-62) and touches nothing in the child module
    forge.files = [{"filename": f"{PREFIX}/main.tf", "patch": hunk("main.tf", 27, 62)},
                   {"filename": f"{PREFIX}/outputs.tf", "patch": hunk("outputs.tf", 1, 3)}]
    run = comment(tmp_path, forge, report, "github", "--inline", "--path-prefix", PREFIX)
    assert run.exit_code == 0, run.stderr
    review = forge.calls("POST", r"/pulls/7/reviews$")
    assert len(review) == 1
    sent = review[0]["body"]
    assert sent["commit_id"] == "f00dfeed" * 5 and sent["event"] == "COMMENT"
    placed = {(c["path"], c["line"], c["side"]) for c in sent["comments"]}
    assert placed == {(f"{PREFIX}/main.tf", 27, "RIGHT")}
    rules = sorted(c["body"].split("**")[1] for c in sent["comments"])
    assert rules == ["FIN-GPU-001", "FIN-GPU-003", "FIN-TAG-001"]
    assert f"through this module block, at `{CHILD}:10`" in sent["comments"][0]["body"]

    again = comment(tmp_path, forge, report, "github", "--inline", "--path-prefix", PREFIX)
    assert "none new" in again.stdout and len(forge.calls("POST", r"/reviews$")) == 1


def test_gitlab_update_with_next_page_header_and_inline_discussions(tmp_path, forge, report, monthly, tokens) -> None:
    forge.seed([f"note {i}" for i in range(30)])
    ours = forge.seed([f"{MARKER}\nold"])[0]
    forge.files = [{"filename": f"{PREFIX}/{CHILD}", "patch": hunk(CHILD, 10, 12)}]
    run = comment(tmp_path, forge, report, "gitlab", "--inline", "--path-prefix", PREFIX)
    assert run.exit_code == 0, run.stderr
    put = forge.calls("PUT")
    assert [p["path"] for p in put] == [f"/api/v4/projects/platform%2Finfra/merge_requests/5/notes/{ours['id']}"]
    assert f"**${monthly:,.2f}**" in put[0]["body"]["body"]
    assert any("page=2" in r["query"] for r in forge.calls("GET", r"/notes$"))  # X-Next-Page followed
    assert all(r["headers"]["private-token"] == TOKEN for r in forge.requests)
    discussions = forge.calls("POST", r"/discussions$")
    assert len(discussions) == 3
    position = discussions[0]["body"]["position"]
    assert position == {"position_type": "text", "base_sha": "b" * 40, "start_sha": "s" * 40, "head_sha": "h" * 40,
                        "new_path": f"{PREFIX}/{CHILD}", "old_path": f"{PREFIX}/{CHILD}", "new_line": 10}
    assert TOKEN not in run.stdout + run.stderr

    report2 = copy.deepcopy(report)
    report2["findings"] = report2["findings"][:1]
    run = comment(tmp_path, forge, report2, "gitlab", "--behavior", "hide-and-new")
    assert run.exit_code == 0, run.stderr
    hidden = next(c for c in forge.comments if c["id"] == ours["id"])
    assert hidden["body"].startswith("<details><summary>Outdated finops-lint report</summary>")
    assert MARKER not in hidden["body"] and MARKER in forge.comments[-1]["body"]


def test_long_report_is_truncated_under_the_limit_with_a_note(tmp_path, forge, report, tokens) -> None:
    big = copy.deepcopy(report)
    base = report["findings"]
    big["findings"] = [{**f, "file": f"stacks/team-{i:03}/{CHILD}", "fingerprint": f"{f['fingerprint']}{i}"}
                       for i in range(400) for f in base]
    run = comment(tmp_path, forge, big, "github")
    assert run.exit_code == 0, run.stderr
    body = forge.calls("POST")[0]["body"]["body"]
    assert len(body) <= 65_536 and body.startswith(MARKER)
    assert "Truncated to stay under the comment size limit" in body
    shown = body.count("<details><summary><code>stacks/")
    assert 0 < shown < 400 and f"{400 - shown} more file(s) with findings are not shown" in body


def test_plan_report_shows_cost_before_and_after(tmp_path, forge, report, monthly) -> None:
    plan = copy.deepcopy(report)
    before = round(monthly / 2, 2)
    plan["cost_diff"] = {"monthly_before_usd": before, "monthly_after_usd": monthly,
                         "monthly_delta_usd": round(monthly - before, 2),
                         "resources": [{"address": "module.gpu_nodes.aws_eks_node_group.this", "action": "update",
                                        "before_usd": before, "after_usd": monthly,
                                        "delta_usd": round(monthly - before, 2)}]}
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(plan))
    run = run_cli("comment", "github", "--report", str(path), "--dry-run")
    assert run.exit_code == 0, run.stderr
    body = run.stdout
    assert f"monthly cost +${monthly - before:,.2f}" in body
    assert f"(was ${before:,.2f}, +${monthly - before:,.2f})" in body
    assert f'x-axis ["before", "after"]\n    y-axis "USD per month"\n    bar [{before}, {monthly}]' in body
    assert not forge.requests


def test_base_report_gives_the_delta_and_dry_run_scans_without_a_token(tmp_path, monkeypatch, monthly) -> None:
    import shutil

    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    shutil.copytree(TRAINING.parent / "compliant", tmp_path / "base")
    base = scan_json(".", cwd=tmp_path / "base").report
    (tmp_path / "base.json").write_text(json.dumps(base))
    run = run_cli("comment", "github", "--dry-run", "--base-report", str(tmp_path / "base.json"), str(TRAINING))
    assert run.exit_code == 0, run.stderr
    delta = round(monthly - base["summary"]["monthly_cost_usd"], 2)
    assert f"(was ${base['summary']['monthly_cost_usd']:,.2f}, {'+' if delta > 0 else '-'}${abs(delta):,.2f})" in run.stdout
    run = run_cli("comment", "github", "--repo", "a/b", "--pr", "1", str(TRAINING))
    assert run.exit_code == 2 and "GITHUB_TOKEN is not set" in run.stderr


def test_api_error_is_one_line_without_the_token(tmp_path, forge, report, tokens) -> None:
    forge.fail_with = 403
    run = comment(tmp_path, forge, report, "github")
    assert run.exit_code == 2
    assert run.stderr.strip() == ("finops-lint: error: GET /api/v3/repos/acme/infra/issues/7/comments: HTTP 403 "
                                  "Resource not accessible by integration")
    assert TOKEN not in run.stdout + run.stderr


def test_readme_snippet_runs_against_the_apis_from_ci_environment(tmp_path, forge, monkeypatch) -> None:
    """The README's PR-comment commands, as CI runs them: repo, PR and API URL from the CI's variables."""
    from conftest import ROOT

    shutil.copytree(TRAINING, tmp_path / "infra")
    section = (ROOT / "README.md").read_text().split("### Pull request comments", 1)[1]
    lines = section.split("```sh\n", 1)[1].split("```", 1)[0].splitlines()
    monkeypatch.setenv("GITHUB_API_URL", f"{forge.url}/api/v3")
    monkeypatch.setenv("GITHUB_REPOSITORY", "acme/infra")
    monkeypatch.setenv("GITHUB_REF", "refs/pull/7/merge")
    monkeypatch.delenv("GITHUB_EVENT_PATH", raising=False)
    monkeypatch.setenv("CI_API_V4_URL", f"{forge.url}/api/v4")
    monkeypatch.setenv("CI_PROJECT_ID", "platform/infra")
    monkeypatch.setenv("CI_MERGE_REQUEST_IID", "5")
    forge.files = [{"filename": "infra/modules/gpu_node_group/main.tf", "patch": hunk(CHILD, 10, 10)}]
    for line in lines:
        words = line.split("#", 1)[0].split()
        env = [w for w in words if re.match(r"^[A-Z_]+=", w)]
        for assignment in env:
            monkeypatch.setenv(assignment.split("=")[0], TOKEN)
        args = [w for w in words if w not in env][1:]  # drop "finops-lint"
        forge.comments.clear()  # one fake serves both services: each command starts on an empty thread
        run = run_cli(*args, cwd=tmp_path)
        assert run.exit_code in (0, 1), (line, run.stderr)
        if args[0] == "comment" and "--dry-run" in args:
            assert run.stdout.startswith(MARKER) and "### finops-lint: 3 findings" in run.stdout
    github = forge.calls("POST", r"^/api/v3/repos/acme/infra/issues/7/comments$")
    gitlab = forge.calls("POST", r"^/api/v4/projects/platform%2Finfra/merge_requests/5/notes$")
    assert len(github) == 1 and len(gitlab) == 1
    assert len(forge.calls("POST", r"/pulls/7/reviews$")) == 1  # --inline on the GitHub line
    assert github[0]["headers"]["authorization"] == f"Bearer {TOKEN}"
