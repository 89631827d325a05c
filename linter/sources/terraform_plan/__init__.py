"""Terraform and OpenTofu plan JSON (``terraform show -json`` / ``tofu show -json``) as a source."""
