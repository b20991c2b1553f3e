"""Property-based API fuzzing with schemathesis: no input the schema allows (or
nearly allows) may make the server answer 5xx.

In-process ASGI over a real knowledge base (real Chroma in a temp folder, the
sample corpus; the hashing embedder keeps it fast). Examples per operation are
bounded so the whole run stays around a minute."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from tests.conftest import CORPUS_DIR
from tests.fakes import HashingEmbedder

MAX_EXAMPLES = 25


@pytest.fixture(scope="module")
def fuzz_app(tmp_path_factory: pytest.TempPathFactory):
    from server.app import create_app
    from server.services import Services
    from server.settings import Settings

    data_dir = tmp_path_factory.mktemp("fuzz")
    roots = data_dir / "roots"
    roots.mkdir()
    services = Services(
        Settings(data_dir=data_dir / "data", ingest_roots=[roots]), embedder=HashingEmbedder()
    )
    services.warm_up()
    services.knowledge_base.ingest([CORPUS_DIR])
    return create_app(settings=services.settings, services=services)


def test_no_server_errors(fuzz_app) -> None:
    api = schemathesis.openapi.from_asgi("/openapi.json", fuzz_app)
    failures: list[str] = []
    checked = 0
    for result in api.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
        def run(case) -> None:
            response = case.call()
            if response.status_code >= 500:
                failures.append(
                    f"{case.method} {case.formatted_path} {case.query or ''} "
                    f"{str(case.body)[:200]} -> {response.status_code}: {response.text[:300]}"
                )
            elif response.status_code >= 400 and "json" in str(
                response.headers.get("content-type")
            ):
                # Every error comes in the one documented shape.
                assert "error" in response.json(), response.text[:300]

        run()
        checked += 1
    assert checked >= 8, "fewer API operations than expected were fuzzed"
    assert not failures, "\n".join(failures[:10])
