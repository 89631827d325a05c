"""Facts derived from normalized resources before rules run (source-agnostic)."""
