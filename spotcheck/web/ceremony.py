"""One department's own part of the seed ceremony, on its own page, signed in with its own account
(docs/ceremony.md "Order of the steps"): before the freeze it commits to a secret, after the beacon it hands the
same secret in (checked against the commitment, sealed until publication). No page ever holds another
department's secret, and the lead's draw needs none in its request.

    GET  /regulator/plans/{id}/ceremony           the signed-in department's commitment and hand-in
    POST /regulator/plans/{id}/ceremony/commit    secret -> commitment (the server keeps only its hash)
    POST /regulator/plans/{id}/ceremony/handin    secret -> sealed
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Form
from fastapi.responses import HTMLResponse, Response

from spotcheck.domain.access import Permission, Scope, check
from spotcheck.domain.errors import SpotcheckError, ValidationError
from spotcheck.edge import PlanId
from spotcheck.queries import directory, plans
from spotcheck.queries.ceremony import public_ceremony
from spotcheck.services import ceremony, seeding
from spotcheck.services import plans as plan_steps
from spotcheck.web.workspace import Desk, DeskDep, Me, PostedDep, form_post, refused, step_page

__all__ = ["STEPS", "router"]

router = APIRouter(include_in_schema=False)

Secret = Annotated[str, Form(max_length=256)]  # the use case checks it (docs/ceremony.md "Definitions")
DONE = {
    "commit": "承诺已登记，请妥善保存秘密 / commitment recorded: keep your secret",
    "handin": "秘密已提交并封存 / secret handed in and sealed",
}


def _page(desk: Desk, plan_id: int, *, error: str = "", status_code: int = 200) -> Response:
    uow = desk.uow
    try:
        row = uow.plans.get(plan_id)
        status = plan_steps.plan_status(uow, plan_id)
    except SpotcheckError as exc:
        return refused(desk, exc, error=error, status_code=status_code)
    public = public_ceremony(uow, plan_id)
    context = {
        "p": plans.plan_view(uow, row, full=False),
        "status": status,
        "ceremony": public,
        "handed_in": public["handed_in"] if public else [],
        "names": directory.department_names(uow),
        "suggested": seeding.new_secret(),
    }
    return step_page(
        desk, "workspace/ceremony.html", context, done=DONE, error=error, status_code=status_code
    )


@router.get("/regulator/plans/{plan_id}/ceremony", response_class=HTMLResponse)
def my_part(desk: DeskDep, plan_id: PlanId) -> Response:
    return _page(desk, plan_id)


# The department's two steps, each a secret posted with the form token: step -> its use case.
STEPS: dict[str, Callable[..., object]] = {
    "commit": seeding.commit_secret,  # secret -> commitment (the server keeps only its hash)
    "handin": ceremony.hand_in,  # secret -> sealed
}


def _route(name: str) -> Callable[..., Response]:
    """The route of one of ``STEPS``: the signed-in department's own part (谁检查、谁录入、谁公开), the lead's
    too, for its own department."""
    use_case = STEPS[name]

    def post(desk: PostedDep, plan_id: PlanId, secret: Secret = "") -> Response:
        def act(me: Me) -> str:
            check(me.principal, Permission.CEREMONY_COMMIT, Scope(department=me.department))
            use_case(desk.factory(), plan_id, me.department, _secret(secret), actor=me.actor)
            return f"/regulator/plans/{plan_id}/ceremony?done={name}"

        def again(me: Me, message: str, code: int) -> Response:
            return _page(desk, plan_id, error=message, status_code=code)

        return form_post(desk, act, again)

    post.__name__ = name
    return post


for _name in STEPS:
    router.post(f"/regulator/plans/{{plan_id}}/ceremony/{_name}")(_route(_name))


def _secret(secret: str) -> str:
    cleaned = secret.strip()
    if not re.fullmatch(r"[0-9a-f]{64}", cleaned):
        raise ValidationError("秘密须为 64 位小写十六进制数 / a secret is 64 lowercase hex digits")
    return cleaned
