"""Use cases of a quarter on the database (issue 6): each takes a ``UnitOfWork``, runs one step in one
transaction, appends an audit entry and commits. Entry points (CLI, API) parse, call these, and print.

    plans.create_plan / plan_status       seeding.commit_secret / enter_beacon / reveal
    freeze.freeze                          draws.run_draw / published_record
    inspection.run_assign / start / close  redraws.redraw
    results.record_result / review / deadlines     publication.publish / public_view / verify_audit
"""
