"""Pure solver verbs: lottery numbers, target draw, coordination, inspector assignment, record, verify."""
