"""Pure solver verbs by algorithm: the target draw (draw/), the inspector draw (assign/), and verify, which dispatches each record section to the algorithm it names (algorithms.py)."""
