"""The app factory: health, stats, the error shape and security headers."""

from __future__ import annotations

from fastapi.testclient import TestClient

from api.app import create_app
from api.security_headers import SECURITY_HEADERS
from api.settings import load_settings
from graph.store import Store
from ingest.kinds import CONVERTERS
from ingest.pipeline import ingest_files
from tests.support import DATA


def client(**settings: str) -> TestClient:
    store = Store.open()
    ingest_files(store, CONVERTERS["ror"](store), [DATA / "ror" / "ror_v2_sample.json"])
    return TestClient(create_app(load_settings(environ={}, store=":memory:", **settings), store))


def test_health_and_stats() -> None:
    c = client()
    assert c.get("/health").json()["ok"] is True
    stats = c.get("/api/stats").json()
    assert stats["counts"]["organization"] >= 15 and stats["triples"] > 100


def test_every_error_has_one_shape_and_every_response_security_headers() -> None:
    response = client().get("/no/such/page")
    assert response.status_code == 404
    assert response.json() == {"ok": False, "error": "Not Found", "errors": ["Not Found"], "status": 404}
    for name, value in SECURITY_HEADERS.items():
        assert response.headers[name] == value


def test_cors_is_off_unless_configured() -> None:
    headers = {"Origin": "http://elsewhere.example", "Access-Control-Request-Method": "GET"}
    assert "access-control-allow-origin" not in client().options("/health", headers=headers).headers
    allowed = client(cors_origins="http://elsewhere.example").options("/health", headers=headers)
    assert allowed.headers["access-control-allow-origin"] == "http://elsewhere.example"


def test_serve_get_answers_one_request(tmp_path) -> None:
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-c", "from api.cli import main; main()", "--store", str(tmp_path / "s"),
                           "serve", "--get", "/health"], capture_output=True, text=True)
    assert proc.returncode == 0 and '"ok":true' in proc.stdout
    proc = subprocess.run([sys.executable, "-c", "from api.cli import main; main()", "--store", str(tmp_path / "s"),
                           "serve", "--get", "/nothing"], capture_output=True, text=True)
    assert proc.returncode == 1
