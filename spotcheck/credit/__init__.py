"""credit layer: what the credit system pushes in (tiers) and reads out (the results feed, ``feed``)."""
