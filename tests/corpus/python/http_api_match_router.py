"""One function serving several HTTP API routes, dispatched with a match statement."""
from __future__ import annotations

import json
import os
from typing import Any

import boto3
from boto3.dynamodb.conditions import Key

table = boto3.resource("dynamodb").Table(os.environ.get("NOTES_TABLE", "notes"))

Json = dict[str, Any]


def reply(status: int, body: Any = None) -> Json:
    out: Json = {"statusCode": status, "headers": {"content-type": "application/json"}}
    if body is not None:
        out["body"] = json.dumps(body)
    return out


def list_notes(owner: str) -> Json:
    resp = table.query(KeyConditionExpression=Key("owner").eq(owner), Limit=50)
    return reply(200, {"notes": resp["Items"], "more": "LastEvaluatedKey" in resp})


def get_note(owner: str, note_id: str) -> Json:
    if (item := table.get_item(Key={"owner": owner, "id": note_id}).get("Item")) is None:
        return reply(404, {"error": "no such note"})
    return reply(200, item)


def delete_note(owner: str, note_id: str) -> Json:
    table.delete_item(Key={"owner": owner, "id": note_id})
    return reply(204)


def handler(event: Json, context: Any) -> Json:
    owner = event["requestContext"]["authorizer"]["jwt"]["claims"]["sub"]
    params = event.get("pathParameters") or {}
    match event["routeKey"]:
        case "GET /notes":
            return list_notes(owner)
        case "GET /notes/{id}":
            return get_note(owner, params["id"])
        case "DELETE /notes/{id}":
            return delete_note(owner, params["id"])
        case str(route) if route.startswith("OPTIONS "):
            return reply(204)
        case _:
            return reply(404, {"error": f"no route for {event['routeKey']!r}"})
