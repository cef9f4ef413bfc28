"""Channels report delivery back (principle 4): Kannel's delivery reports of SMS notices and an
e-mail gateway's delivery status of e-mail notices. No key: each report carries the notice's
receipt token (``registry.workflows.receiptlinks``); a wrong token is a 404, changing nothing."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import Field

from socialcredit.api.deps import Caller, Reg, caller
from socialcredit.api.problems import PROBLEMS
from socialcredit.api.schemas import Strict
from socialcredit.registry.audit import Actor
from socialcredit.registry.store.models import Notice
from socialcredit.registry.workflows.receiptlinks import channel_receipt, sms_report

router = APIRouter(prefix="/v1/channels", tags=["channels"], responses=PROBLEMS)
Channel = Annotated[Caller, Depends(caller("public", purpose="delivery report"))]
Token = Annotated[str, Field(min_length=32, max_length=32, pattern="^[0-9a-f]{32}$")]
NoticeId = Annotated[int, Query(ge=1, le=2**63 - 1, description="The notice's id.")]


class EmailReceiptIn(Strict):
    notice: int = Field(ge=1, le=2**63 - 1)
    token: Token
    delivered: bool
    detail: str = Field(default="", max_length=1000)


def _status(found: Notice | None) -> dict[str, str | int | None]:
    """The notice's state after the report (an interim report leaves it sent)."""
    if found is None:
        return {"status": "sent", "served_on": None}
    served = found.served_on
    return {"status": found.status, "served_on": None if served is None else served.isoformat()}


@router.get("/sms/dlr")
def sms_delivery_report(
    notice: NoticeId,
    token: Annotated[str, Query(min_length=32, max_length=32, pattern="^[0-9a-f]{32}$")],
    dlr_type: Annotated[int, Query(alias="type", ge=0, le=255, description="Report type (%d).")],
    reg: Reg,
    who: Channel,
    detail: Annotated[str, Query(max_length=1000, description="The SMSC's reply (%A).")] = "",
) -> dict[str, str | int | None]:
    """Kannel's delivery report (``dlr-url``): 1 delivered, 2 and 16 failed (the notice's
    service goes on as for any receipt), 4 and 8 interim (nothing changes)."""
    actor = Actor("channel:sms", "channel", "delivery report")
    return _status(sms_report(reg, notice, token, dlr_type, detail, actor)) | {"notice": notice}


@router.post("/email/receipt")
def email_receipt(body: EmailReceiptIn, reg: Reg, who: Channel) -> dict[str, str | int | None]:
    """An e-mail gateway's delivery status for a notice it was given (delivered, or failed
    with its bounce)."""
    actor = Actor("channel:email", "channel", "delivery report")
    found = channel_receipt(reg, body.notice, body.token, body.delivered, body.detail, actor)
    return _status(found) | {"notice": body.notice}
