"""credit layer."""
