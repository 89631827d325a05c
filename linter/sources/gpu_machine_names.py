"""Machine type names that carry GPUs or other accelerators, told from the name alone (AWS p/g/trn/inf and their
SageMaker ml. forms, Azure N-series, GCP a2/a3/a4/g2): for notes on objects finops-lint does not read."""

from __future__ import annotations

import re

GPU_MACHINE = re.compile(r"Standard_N[CDV]|(?:ml\.)?(?:[pg][3-6]\w*|trn[12]n?|inf[12]|dl1)\.\d*x?large\b"
                         r"|(?:a[234]-(?:high|mega|ultra|edge)gpu|g2-standard)-\d+")
