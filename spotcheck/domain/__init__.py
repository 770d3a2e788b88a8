"""Pure domain types and rules: credit codes, tiers, categories, calendar, plan validation. No ORM, no web."""
