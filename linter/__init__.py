"""finops-lint: catch FinOps violations in AI infrastructure code and price them."""

__version__ = "0.1.0"
