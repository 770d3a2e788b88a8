"""The inspector draw, algorithm officer-flow/1 (docs/assign-spec.md): pools, lottery, min-cost flow, pair repair, record."""
