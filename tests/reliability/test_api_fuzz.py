"""Fuzz every operation of the OpenAPI schema with schemathesis against the app on a small
store: no answer is a 5xx, and every 4xx JSON answer has the one error shape of api/errors.py."""

from __future__ import annotations

import json

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings

from api.app import create_app
from api.settings import load_settings
from graph.store import Store
from ingest.curation import PeopleLists
from ingest.kinds import CONVERTERS
from ingest.pipeline import ingest_files
from tests.support import ROOT

SAMPLE = ROOT / "data" / "sample"
#: Examples per operation: a few in every run, many more in the slow variant.
EXAMPLES = [pytest.param(25, id="quick"), pytest.param(200, id="long", marks=pytest.mark.slow)]


def make_app(store: Store) -> FastAPI:
    return create_app(load_settings(environ={}, store=":memory:", warm=False, max_rows=2_000), store)


#: Every operation of the schema, as "METHOD /path" (the schema does not depend on the data).
OPERATIONS = [f"{method.upper()} {path}" for path, methods in make_app(Store.open()).openapi()["paths"].items()
              for method in methods]


@pytest.fixture(scope="module")
def api_schema() -> schemathesis.schemas.BaseSchema:
    """The schema of the app on the sample organisations and institutional tables."""
    store = Store.open()
    ingest_files(store, CONVERTERS["ror"](store), sorted((SAMPLE / "ror").glob("*.json")))
    ingest_files(store, CONVERTERS["table"](store), [SAMPLE / "tables"], people=PeopleLists())
    return schemathesis.openapi.from_asgi("/openapi.json", make_app(store))


def assert_answer(method: str, status: int, content_type: str, body: bytes, where: str) -> None:
    """No 5xx; a 4xx JSON answer (but to HEAD, which has no body) has the one error shape."""
    assert status < 500, f"{where} -> {status}: {body[:500]!r}"
    if status >= 400 and content_type.startswith("application/json") and method != "HEAD":
        payload = json.loads(body)
        assert payload["ok"] is False and payload["status"] == status, f"{where}: {payload}"
        assert isinstance(payload["error"], str) and payload["errors"], f"{where}: {payload}"


@pytest.mark.parametrize("examples", EXAMPLES)
@pytest.mark.parametrize("operation", OPERATIONS)
def test_no_operation_answers_5xx(api_schema: schemathesis.schemas.BaseSchema, operation: str, examples: int) -> None:
    method, path = operation.split(" ", 1)
    api_operation = api_schema[path][method]

    @given(case=api_operation.as_strategy())
    @settings(max_examples=examples, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def check(case: schemathesis.Case) -> None:
        response = case.call()
        assert_answer(case.method, response.status_code, response.headers.get("content-type", [""])[0],
                      response.content, f"{case.method} {case.formatted_path} query={case.query} body={case.body!r}")

    check()


@pytest.mark.parametrize("path, status", [
    ("/api/people/%25", 404), ("/api/organizations/%25", 404), ("/api/people/%25/collaborators", 404),
    ("/store/%25", 400), ("/store?graph=x:%25", 400),
])
def test_ids_and_graph_names_that_are_no_iri_get_4xx(api_schema: schemathesis.schemas.BaseSchema,
                                                     path: str, status: int) -> None:
    """Found by the fuzzer: a lone '%' made an invalid IRI and a 500."""
    client = TestClient(api_schema.app)
    for method in ("GET", "HEAD") if path.startswith("/store") else ("GET",):
        response = client.request(method, path)
        assert response.status_code == status, (method, path, response.text)
        if method == "GET":
            assert response.json()["status"] == status
