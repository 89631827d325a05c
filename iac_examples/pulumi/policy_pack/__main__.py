"""Entry point of the finops-lint policy pack: Pulumi's policy host runs this file."""

from linter.sources.pulumi.policy import serve

serve()
