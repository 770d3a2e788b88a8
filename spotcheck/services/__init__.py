"""Use cases of a quarter on the database (docs/operations.md): each takes an un-entered ``UnitOfWork``, runs
one step in one transaction, appends an audit entry and commits. Entry points (CLI, API) parse, call these,
and print.

    plans        create_plan, plan_status, list_plans
    seeding      commit_secret, enter_beacon, reveal, new_secret, commitments, reveals
    freeze       freeze, frozen_inputs
    snapshot     read_snapshot (every read of a frozen payload), store_snapshot
    draws        run_draw, draw_record, published_record
    inspection   run_assign, start_inspection, close_inspection
    redraws      redraw_firm, redraw_officer
    results      record_result, review, deadlines
    publication  publish, public_view, verify_audit
    demo         run_demo (the whole year on the synthetic city); simulated: its stand-ins
"""
