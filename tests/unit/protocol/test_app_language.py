"""The panel's language on the app protocol (S8, issue 19): optional (a device older than the
field is answered in English), one of the languages an app is told about, nothing else; and in
the OpenAPI document, so the fuzz and app writers see it."""

from __future__ import annotations

from typing import Any

import pytest

from panel.protocol import codec
from panel.protocol.apps import APP_LANGUAGES, AppAction, AppLaunchRequest, AppStart
from panel.server.openapi import build_openapi

TOKEN = "t" * 24
BODIES: list[tuple[type[Any], dict[str, Any]]] = [
    (AppLaunchRequest, {"user_id": "1001"}),
    (AppStart, {"request_token": TOKEN}),
    (AppAction, {"request_token": TOKEN, "action": "scan"}),
]


@pytest.mark.parametrize(("message", "body"), BODIES)
def test_a_body_without_a_language_is_english(message: type[Any], body: dict[str, Any]) -> None:
    assert codec.check_value(body, message, "body").language == "en"


@pytest.mark.parametrize(("message", "body"), BODIES)
def test_japanese_is_carried(message: type[Any], body: dict[str, Any]) -> None:
    decoded = codec.check_value({**body, "language": "ja"}, message, "body")
    assert decoded.language == "ja"
    assert codec.to_dict(decoded)["language"] == "ja"


@pytest.mark.parametrize(("message", "body"), BODIES)
@pytest.mark.parametrize("language", ["fr", "", "ja" * 40, 7, None, ["ja"]])
def test_anything_else_is_refused(message: type[Any], body: dict[str, Any], language: Any) -> None:
    with pytest.raises(codec.ProtocolError):
        codec.check_value({**body, "language": language}, message, "body")


def test_the_openapi_document_declares_the_language_as_an_enum() -> None:
    schemas = build_openapi()["components"]["schemas"]
    for name in ("AppLaunchRequest", "AppStart", "AppAction"):
        prop = schemas[name]["properties"]["language"]
        assert prop["enum"] == list(APP_LANGUAGES), name
        assert "language" not in schemas[name].get("required", []), name
