"""EPCIS 2.0 capture and event query, as the standard's REST binding names them.

``POST /epcis/capture`` checks the whole document first: one invalid event and nothing is
stored, and the answer (422) lists every invalid event with its field and the rule it breaks
(the standard's capture is atomic). A valid document becomes a capture job (202, ``Location``
``/epcis/capture/{captureID}``) that stores it in the background; events already stored are
counted as duplicates, not refused, so sending a document twice is harmless.

``GET /epcis/events`` answers the simple event query's common parameters with an
``EPCISQueryDocument``, ``perPage`` events a page, the next page named by ``nextPageToken``
in a ``Link`` header. Every capture and query is the caller's organization's only.
"""

from __future__ import annotations

import inspect
import json
import logging
from typing import Annotated, Any
from urllib.parse import urlencode

import sqlalchemy as sa
from fastapi import APIRouter, BackgroundTasks, Path, Query, Request, Response
from fastapi.concurrency import run_in_threadpool

from greenlane.errors import NotFoundError, TooLargeError
from greenlane.gs1 import canonical
from greenlane.service.common import (
    ApiError,
    Db,
    Moment,
    Who,
    Writer,
    errors,
    limits_of,
    utc_moment,
)
from greenlane.store.access import now
from greenlane.store.epcis import (
    EventQuery,
    capture,
    capture_job,
    fail_capture,
    open_capture,
    query,
)
from greenlane.traceability.epcis import Event, cbv_term, read_document

logger = logging.getLogger(__name__)
router = APIRouter(prefix="/epcis", tags=["epcis"], responses=errors(401))
CONTEXT = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"
JSON_TYPES = ("application/json", "application/ld+json")
CAPTURE_BODY = {
    "requestBody": {
        "required": True,
        "description": "An EPCISDocument (JSON or JSON-LD binding)",
        "content": {t: {"schema": {"type": "object"}} for t in JSON_TYPES},
    }
}
Values = Annotated[str | None, Query(max_length=2000, description="one value, or several by |")]


@router.post(
    "/capture",
    status_code=202,
    openapi_extra=CAPTURE_BODY,
    responses=errors(400, 403, 413, 415, 422),
)
async def capture_document(
    request: Request, response: Response, engine: Db, who: Writer, tasks: BackgroundTasks
) -> dict[str, Any]:
    """Check a document whole, then store it as a capture job; its status at the Location."""
    document = await _document(request)
    events, problems = read_document(document, "capture")
    if problems:
        listed = [
            {"file": "capture", "row": p.row, "column": p.column, "reason": p.reason}
            for p in problems
        ]
        invalid = len({p.row for p in problems if p.row is not None})
        raise ApiError(
            422, "invalid_epcis", f"nothing captured: {invalid} invalid event(s)", listed
        )
    capture_id = await run_in_threadpool(open_capture, engine, who.organization_id, len(events))
    tasks.add_task(_store, engine, who.organization_id, capture_id, events)
    response.headers["Location"] = f"/epcis/capture/{capture_id}"
    return {"captureID": capture_id, "running": True, "eventCount": len(events)}


@router.get("/capture/{capture_id}", responses=errors(404))
def capture_status(
    engine: Db, who: Who, capture_id: Annotated[str, Path(max_length=36)]
) -> dict[str, Any]:
    """A capture job: running, or finished with what was stored and every error."""
    job = capture_job(engine, who.organization_id, capture_id)
    if job is None:
        raise NotFoundError("no such capture job")
    return {
        "captureID": job["id"],
        "createdAt": job["created_at"].isoformat(),
        "finishedAt": job["finished_at"].isoformat() if job["finished_at"] else None,
        "running": job["status"] == "running",
        "success": job["status"] == "succeeded",
        "captureErrorBehaviour": "rollback",
        "eventCount": job["event_count"],
        "storedCount": job["stored_count"],
        "duplicateCount": job["duplicate_count"],
        "errors": job["errors"],
    }


@router.get("/events", responses=errors(400, 422))
def events(
    request: Request,
    response: Response,
    engine: Db,
    who: Who,
    eventType: Values = None,  # noqa: N803 - the standard's parameter names
    GE_eventTime: Moment = None,  # noqa: N803
    LT_eventTime: Moment = None,  # noqa: N803
    GE_recordTime: Moment = None,  # noqa: N803
    LT_recordTime: Moment = None,  # noqa: N803
    EQ_action: Values = None,  # noqa: N803
    EQ_bizStep: Values = None,  # noqa: N803
    EQ_disposition: Values = None,  # noqa: N803
    EQ_readPoint: Values = None,  # noqa: N803
    EQ_bizLocation: Values = None,  # noqa: N803
    MATCH_epc: Values = None,  # noqa: N803
    MATCH_parentID: Values = None,  # noqa: N803
    MATCH_inputEPC: Values = None,  # noqa: N803
    MATCH_outputEPC: Values = None,  # noqa: N803
    MATCH_epcClass: Values = None,  # noqa: N803
    MATCH_anyEPC: Values = None,  # noqa: N803
    EXISTS_errorDeclaration: bool | None = None,  # noqa: N803
    perPage: Annotated[int, Query(ge=1, le=1000)] = 30,  # noqa: N803
    nextPageToken: Annotated[str | None, Query(pattern=r"^\d{1,18}$")] = None,  # noqa: N803
) -> dict[str, Any]:
    """Events matching every given parameter, as an EPCISQueryDocument, a page at a time.

    A parameter this query does not know is refused (400 ``QueryParameterException``, as the
    REST binding answers), never ignored: ignoring it would answer every event.
    """
    unknown = sorted(set(request.query_params) - QUERY_PARAMETERS)
    if unknown:
        named = [name[:64] for name in unknown[:8]]  # quoted back short, whatever was sent
        known = ", ".join(sorted(QUERY_PARAMETERS))
        raise ApiError(400, "QueryParameterException",
                       f"unknown query parameter(s) {named}; known: {known}")  # fmt: skip
    matches = [
        (roles, canonical(value))
        for roles, given in (
            ("e", MATCH_epc),
            ("p", MATCH_parentID),
            ("i", MATCH_inputEPC),
            ("o", MATCH_outputEPC),
            ("c", MATCH_epcClass),
            ("epioc", MATCH_anyEPC),
        )
        for value in _values(given)
    ]
    q = EventQuery(
        event_types=_values(eventType),
        ge_event_time=utc_moment(GE_eventTime),
        lt_event_time=utc_moment(LT_eventTime),
        ge_record_time=utc_moment(GE_recordTime),
        lt_record_time=utc_moment(LT_recordTime),
        actions=_values(EQ_action),
        biz_steps=tuple(cbv_term(v, "bizStep") for v in _values(EQ_bizStep)),
        dispositions=tuple(cbv_term(v, "disposition") for v in _values(EQ_disposition)),
        read_points=tuple(canonical(v) for v in _values(EQ_readPoint)),
        biz_locations=tuple(canonical(v) for v in _values(EQ_bizLocation)),
        epcs=tuple(matches),
        error_declared=EXISTS_errorDeclaration,
    )
    after = int(nextPageToken or 0)
    found, last = query(engine, who.organization_id, q, perPage, after)
    if last is not None:
        params = {k: v for k, v in request.query_params.items() if k != "nextPageToken"}
        link = f"{request.url.path}?{urlencode({**params, 'nextPageToken': str(last)})}"
        response.headers["Link"] = f'<{link}>; rel="next"'
    return {
        "@context": CONTEXT,
        "type": "EPCISQueryDocument",
        "schemaVersion": "2.0",
        "creationDate": now().isoformat(timespec="milliseconds"),
        "epcisBody": {
            "queryResults": {"queryName": "SimpleEventQuery", "resultsBody": {"eventList": found}}
        },
    }


QUERY_PARAMETERS = frozenset(inspect.signature(events).parameters) - {
    "request",
    "response",
    "engine",
    "who",
}


async def _document(request: Request) -> Any:
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind not in JSON_TYPES:
        raise ApiError(415, "unsupported_media_type", f"use one of {list(JSON_TYPES)}")
    limit = limits_of(request).max_bytes
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise TooLargeError(f"the body is over {limit} bytes")
    try:
        document = json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError) as e:
        raise ApiError(400, "bad_request", f"the body is not JSON: {e}") from e
    if _holds_nul(document):
        raise ApiError(422, "invalid_epcis", "nothing captured: a string holds a NUL character")
    return document


def _holds_nul(document: Any) -> bool:
    """Whether any key or string in the document holds NUL (no store keeps it in JSON)."""
    stack = [document]
    while stack:
        value = stack.pop()
        if isinstance(value, str) and "\x00" in value:
            return True
        if isinstance(value, dict):
            stack += [*value.keys(), *value.values()]
        elif isinstance(value, list):
            stack += value
    return False


def _store(engine: sa.Engine, organization: str, capture_id: str, events: list[Event]) -> None:
    """The background half of a capture: all the events or, on a failure, none of them.

    A job always ends: whatever stops the store, the job is marked failed with the reason.
    """
    try:
        kept = capture(engine, organization, capture_id, events)
        logger.info("capture stored", extra={"organization": organization,
                                             "capture_id": capture_id, "stored": kept.stored,
                                             "duplicates": kept.duplicates})  # fmt: skip
    except Exception as e:
        logger.exception("capture %s failed", capture_id)
        reason = f"the store refused the document: {type(e).__name__}: {str(e)[:500]}"
        try:
            fail_capture(engine, capture_id, [{"reason": reason}])
        except Exception:  # the database is gone: the job is failed when it reads again
            logger.exception("capture %s could not be marked failed", capture_id)


def _values(given: str | None) -> tuple[str, ...]:
    return tuple(v.strip() for v in (given or "").split("|") if v.strip())
