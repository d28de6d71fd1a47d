"""The command line names what is wrong with a server address before anything else."""

from __future__ import annotations

import aiohttp
import pytest

from panel.modes.admin_client import unreachable
from panel.modes.server_url import AdminError, check_url


@pytest.mark.parametrize(
    "url", ["notaurl", "127.0.0.1:8631", "ftp://host:21", "http://", "http://host:port"]
)
def test_an_invalid_url_is_named_as_such(url):
    with pytest.raises(AdminError, match=r"is not a server URL \(invalid URL\); give http://"):
        check_url(url)


@pytest.mark.parametrize("url", ["http://127.0.0.1:8631", "https://print.example.com"])
def test_a_server_url_passes(url):
    assert check_url(url) == url


def test_a_timeout_is_named_with_the_url():
    error = unreachable("http://10.0.0.9:8631", TimeoutError())
    assert str(error).startswith("cannot reach the server at http://10.0.0.9:8631: no answer")
    assert "(timeout)" in str(error)


def test_another_failure_keeps_its_own_words():
    error = unreachable("http://h:1", aiohttp.ServerDisconnectedError())
    assert str(error).startswith("cannot reach the server at http://h:1: ")
    assert "disconnected" in str(error).lower()
