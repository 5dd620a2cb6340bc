"""Hostile input does no harm: Schemathesis sends what the OpenAPI document allows and much it
does not, to every operation of the API, as an admin and as a judge. No answer is a 5xx, and
every answer is documented: its status, its content type, its body's shape."""

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from showcase import auth, organizing
from tests.conftest import Server, with_db

# No 5xx, and every answer as documented. (Whether the API takes every body the schema allows
# is not asked: it refuses unknown fields, which the schema does not say.)
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
CHECKS_SETTINGS = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
)


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, dict[str, str]]]:
    from showcase.cli import main

    path = Path(tmp_path_factory.mktemp("fuzz")) / "event.db"
    assert main(["init", str(path), "--demo"]) == 0
    with_db(path, lambda db: organizing.set_judging(db, True, "test"))
    tokens = {
        "admin": with_db(path, lambda db: organizing.issue_admin_token(db, "test")),
        "judge": with_db(path, lambda db: auth.judge_links(db, "http://t"))[0].token,
    }
    with Server(path) as server:
        yield server, tokens


@pytest.mark.parametrize("role", ["admin", "judge"])
def test_no_server_error_and_every_answer_documented(
    running: tuple[Server, dict[str, str]], role: str
) -> None:
    server, tokens = running
    schema = schemathesis.openapi.from_url(f"{server.url}/schema/openapi.json").exclude(
        path="/api/leaderboard/stream"  # endless by design: its answers are tested in test_live
    )
    headers = {"Authorization": f"Bearer {tokens[role]}"}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 15
    document = httpx.get(f"{server.url}/schema/openapi.json").json()
    sheet = document["paths"]["/api/judge/sheets/{code}"]["put"]["requestBody"]["content"]
    assert sheet["application/json"]["schema"]["required"] == ["scores"]  # the body described
    for operation in operations:

        @given(case=operation.as_strategy())
        @CHECKS_SETTINGS
        def check(case) -> None:  # type: ignore[no-untyped-def]
            case.call_and_validate(base_url=server.url, headers=headers, checks=CHECKS)

        check()
