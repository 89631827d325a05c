"""Bad input: one clear error with file and line, and the rest of the scan completes."""

from __future__ import annotations

import os
from pathlib import Path

from conftest import scan_json, write

GOOD = '''
provider "aws" {
  region = "us-east-1"
}

resource "aws_instance" "trainer" {
  instance_type = "p4d.24xlarge"
  tags = { workload = "training", team = "ml", "cost-center" = "cc1", environment = "prod" }
}
'''

BROKEN = '''
resource "aws_instance" "other" {
  instance_type = "g5.xlarge"
  tags = { team = "ml"
}

resource "aws_s3_bucket" "ok" {
  bucket = "x"
'''


def _assert_good_file_still_reported(run) -> None:
    f = run.finding("FIN-GPU-001", "aws_instance.trainer")
    assert f["file"] == "good.tf" and f["line"] == 6


def test_broken_tf_beside_a_good_one(tmp_path: Path) -> None:
    write(tmp_path, {"good.tf": GOOD, "broken.tf": BROKEN})
    run = scan_json(".", cwd=tmp_path)
    assert run.exit_code == 2
    errors = run.report["errors"]
    assert errors and all(e["file"] == "broken.tf" for e in errors)
    assert (errors[0]["line"], errors[0]["message"]) == (2, "syntax error: block opened here is never closed (missing '}')")
    assert "broken.tf:" in run.stderr
    _assert_good_file_still_reported(run)


def test_binary_file_named_tf(tmp_path: Path) -> None:
    write(tmp_path, {"good.tf": GOOD, "blob.tf": b"\x7fELF\x02\x01\x01\x00\x00\x00binary"})
    run = scan_json(".", cwd=tmp_path)
    assert run.exit_code == 2
    assert run.report["errors"] == [{"file": "blob.tf", "line": 1, "message": "binary file (NUL byte); not scanned"}]
    _assert_good_file_still_reported(run)


def test_non_utf8_file(tmp_path: Path) -> None:
    write(tmp_path, {"good.tf": GOOD, "latin1.tf": '# caf\xe9\nresource "aws_instance" "x" {}\n'.encode("latin-1")})
    run = scan_json(".", cwd=tmp_path)
    assert run.exit_code == 2
    (err,) = run.report["errors"]
    assert err["file"] == "latin1.tf" and err["line"] == 1 and "not valid UTF-8" in err["message"]
    _assert_good_file_still_reported(run)


def test_huge_file_is_skipped_with_a_notice_not_read(tmp_path: Path, monkeypatch) -> None:
    import linter.files

    monkeypatch.setattr(linter.files, "MAX_FILE_BYTES", 32768)  # above the built-in rule files, which it also reads
    write(tmp_path, {"good.tf": GOOD, "huge.tf": "# padding\n" * 4000})
    run = scan_json(".", cwd=tmp_path)
    assert run.exit_code == 1 and run.report["errors"] == []
    assert {"file": "huge.tf", "reason": "file is too large (39.1 KiB > 32 KiB limit, --max-file-size "
            "or max_file_size); not scanned"} in run.report["skipped"]
    _assert_good_file_still_reported(run)


def test_symlink_loop_is_reported_and_not_followed(tmp_path: Path) -> None:
    write(tmp_path, {"infra/good.tf": GOOD})
    os.symlink("..", tmp_path / "infra" / "loop")
    os.symlink("missing-target", tmp_path / "infra" / "dangling.tf")
    run = scan_json(".", cwd=tmp_path)
    assert run.exit_code == 1
    reasons = {s["file"]: s["reason"] for s in run.report["skipped"]}
    assert any("symlink loop" in r for r in reasons.values())
    assert reasons.get("infra/dangling.tf") == "broken symlink"
    assert len(run.findings("FIN-GPU-001")) == 1


def test_empty_and_comment_only_files(tmp_path: Path) -> None:
    write(tmp_path, {"good.tf": GOOD, "empty.tf": "", "notes.tf": "# nothing here yet\n"})
    run = scan_json(".", cwd=tmp_path)
    assert run.exit_code == 1 and run.report["errors"] == []


def test_bad_tfvars_and_expression_errors(tmp_path: Path) -> None:
    write(tmp_path, {"good.tf": GOOD + '\nvariable "n" { default = 1 }\n'
                                       'resource "aws_instance" "math" {\n  count = var.n\n'
                                       '  instance_type = lookup({}, "missing")\n}\n',
                     "terraform.tfvars": "n = \n"})
    run = scan_json(".", cwd=tmp_path)
    assert run.exit_code == 2
    assert any(e["file"] == "terraform.tfvars" and e["line"] == 1 for e in run.report["errors"])
    math = next(r for r in run.report["resources"] if r["address"].startswith("aws_instance.math"))
    assert any("lookup()" in u for u in math["unknowns"])
    _assert_good_file_still_reported(run)


def test_missing_path_and_unsupported_file(tmp_path: Path) -> None:
    write(tmp_path, {"good.tf": GOOD, "notes.txt": "hello"})
    run = scan_json("good.tf", "notes.txt", "nope/", cwd=tmp_path)
    reasons = {s["file"]: s["reason"] for s in run.report["skipped"]}
    assert reasons == {"notes.txt": "not a supported file type"}
    # a path that does not exist is a usage error (a typo in a CI path must not pass), the rest still scans
    assert run.exit_code == 2
    assert run.report["errors"] == [{"file": "nope", "line": None, "message": "no such file or directory"}]
    assert run.report["summary"]["errors"] == 1
    assert "finops-lint: error: nope: no such file or directory" in run.stderr
    _assert_good_file_still_reported(run)


def test_local_module_that_does_not_exist(tmp_path: Path) -> None:
    write(tmp_path, {"good.tf": GOOD, "mods.tf": 'module "pool" {\n  source = "./modules/pool"\n}\n'})
    run = scan_json(".", cwd=tmp_path)
    assert run.exit_code == 2
    (err,) = run.report["errors"]
    assert err["file"] == "mods.tf" and err["line"] == 1 and "./modules/pool" in err["message"]
    _assert_good_file_still_reported(run)
