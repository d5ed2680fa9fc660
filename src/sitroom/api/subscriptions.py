"""Subscriptions over the REST API: GET/POST/DELETE /subscriptions.

Mounted by `create_app`. It uses the app's store
(`app.state.store`) and the API's token check (`sitroom.api.write.check_token`): reading is open, writing
needs `Authorization: Bearer <token>`. A posted subscription has the shape of one item of a subscriptions
file (YAML's `subscriptions:` list, as JSON); it is validated the same way (places resolved with the
gazetteer, actors with the lexicon) and stored; a running `sitroom watch` on the same store picks it up
within seconds. Its sinks must be named in the watch's configuration.
Optional app state: `alert_resolver` (place name -> Place) and `alert_actors` (id -> Actor) replace the
gazetteer and the lexicon (tests; a server with its own gazetteer).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from sitroom.alerts.subscriptions import default_actors, default_resolver, parse_subscription_spec
from sitroom.api.errors import ApiError
from sitroom.api.write import check_token
from sitroom.errors import ConfigError
from sitroom.store import alerts as persist

router = APIRouter(tags=["subscriptions"])


def _resolver(request: Request) -> Any:
    state = request.app.state
    if getattr(state, "alert_resolver", None) is None:
        state.alert_resolver = default_resolver()
    if getattr(state, "alert_actors", None) is None:
        state.alert_actors = default_actors()
    return state.alert_resolver, state.alert_actors


@router.get("/subscriptions", summary="Subscriptions stored through the API")
def list_subscriptions(request: Request) -> list[dict[str, Any]]:
    return persist.stored_subscriptions(request.app.state.store)


@router.post("/subscriptions", summary="Add or replace a subscription; needs the bearer token", status_code=201)
async def post_subscription(request: Request) -> JSONResponse:
    check_token(request)
    try:
        spec = await request.json()
    except ValueError as exc:
        raise ApiError(400, "invalid_body", "the body is not JSON: send one subscription as a JSON object") from exc
    if not isinstance(spec, dict):
        raise ApiError(400, "invalid_body", "send one subscription as a JSON object")
    resolve, actors = await run_in_threadpool(_resolver, request)
    try:
        parse_subscription_spec(spec, resolve, actors)
    except ConfigError as exc:
        raise ApiError(422, "invalid_subscription", str(exc).removeprefix("<request>: ")) from exc
    new = await run_in_threadpool(persist.add_subscription, request.app.state.store, spec)
    return JSONResponse(spec, status_code=201 if new else 200)


@router.delete("/subscriptions/{subscription_id}", summary="Remove a subscription; needs the bearer token")
def delete_subscription(subscription_id: str, request: Request) -> Response:
    check_token(request)
    if not persist.delete_subscription(request.app.state.store, subscription_id):
        raise ApiError(404, "not_found", f"no subscription {subscription_id!r}")
    return Response(status_code=204)
