"""checkov external checks (loaded by checkov from this directory; see finops_lint_checks.py)."""
