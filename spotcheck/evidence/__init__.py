"""Evidence anyone can recompute: canonical JSON, the audit hash chain, the seed ceremony (docs/ceremony.md)."""
