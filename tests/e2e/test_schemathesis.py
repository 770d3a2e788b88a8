"""Property-based run over the OpenAPI spec (schemathesis): whatever a client sends, no endpoint answers 5xx,
and every answer (errors too) has a documented status, content type and body schema.

Kept small (a few examples per operation) so the suite stays fast; every operation is driven with each role's
credentials in turn (the lead, a department, an inspector, the credit system), so the handlers themselves are
exercised, not just the 401 in front of them. The operations are driven with plain Hypothesis (schemathesis' own pytest plugin does not support pytest 9 yet).
"""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from spotcheck.api import create_app
from spotcheck.config import Settings
from tests.e2e.conftest import World

ROLES = ("regulator", "xf", "scjg002", "credit")  # lead, department, inspector, machine client
EXAMPLES = 4
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


def _exercise(operation: schemathesis.APIOperation, headers: dict[str, str]) -> None:
    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        database=None,
        derandomize=True,
    )
    def call(case: schemathesis.Case) -> None:
        response = case.call(headers=headers)
        assert response.status_code < 500, (case.method, case.path, response.status_code, response.text[:300])
        assert "Traceback" not in response.text
        case.validate_response(response, checks=CHECKS)

    call()


def test_no_server_errors(world: World) -> None:
    app = create_app(Settings(), uow_factory=world.uow_factory)
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    seen = []
    for found in schema.get_all_operations():
        operation = found.ok()
        seen.append(f"{operation.method.upper()} {operation.path}")
        public = operation.path.startswith("/api/public")
        for who in () if public else ROLES:
            _exercise(operation, {"Authorization": f"Bearer {world.tokens[who]}"})
        if public:
            _exercise(operation, {})
    assert "GET /api/public/enterprises" in seen and "POST /api/credit/tiers" in seen
