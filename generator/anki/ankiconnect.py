"""A small client for the AnkiConnect add-on's HTTP API (version 6), on the standard library only.

Every request is one JSON object `{"action", "version": 6, "params", "key"}` POSTed to the add-on's URL;
every answer is `{"result": ..., "error": ...}`. Whatever goes wrong (nothing listening, something else
listening, an old add-on, a wrong key, an action refused) becomes one GeneratorError naming the URL.
"""
from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from typing import Any

from ..errors import GeneratorError

API_VERSION = 6
DEFAULT_URL = "http://127.0.0.1:8765"
ADDON = "the AnkiConnect add-on (code 2055492159)"


def default_url() -> str:
    """ANKICONNECT_URL, else AnkiConnect's own default address."""
    return os.environ.get("ANKICONNECT_URL") or DEFAULT_URL


def default_key() -> str | None:
    """ANKICONNECT_KEY, else no key."""
    return os.environ.get("ANKICONNECT_KEY") or None


class AnkiConnect:
    """One AnkiConnect endpoint: `call(action, **params)` returns the action's result."""

    def __init__(self, url: str, key: str | None = None, timeout: float = 600.0) -> None:
        if not url.startswith(("http://", "https://")):
            raise GeneratorError("--url must start with http:// or https://", url)
        self.url, self.key, self.timeout = url, key, timeout

    def call(self, action: str, **params: Any) -> Any:
        """Run one action; GeneratorError if it could not be run or Anki answered with an error."""
        request: dict[str, Any] = {"action": action, "version": API_VERSION, "params": params}
        if self.key is not None:
            request["key"] = self.key
        body = json.dumps(request).encode("utf-8")
        req = urllib.request.Request(self.url, data=body, method="POST",
                                     headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                raw = resp.read()
        except urllib.error.HTTPError as err:
            err.close()  # it holds the connection
            if err.code == 403:
                raise GeneratorError("AnkiConnect refused the request (HTTP 403: check its webCorsOriginList "
                                     "and webBindAddress settings)", self.url) from None
            raise GeneratorError(f"AnkiConnect answered HTTP {err.code} {err.reason}", self.url) from None
        except (urllib.error.URLError, OSError) as err:
            reason = getattr(err, "reason", err)
            raise GeneratorError(f"cannot reach Anki ({reason}): is Anki running, with {ADDON}?",
                                 self.url) from None
        try:
            reply = json.loads(raw)
        except ValueError:
            raise GeneratorError(f"the server is not AnkiConnect (its answer is not JSON): is {ADDON} installed?",
                                 self.url) from None
        if not isinstance(reply, dict) or set(reply) != {"result", "error"}:
            raise GeneratorError(f"the server does not speak AnkiConnect API version {API_VERSION}: "
                                 f"update {ADDON}", self.url)
        if reply["error"] is not None:
            raise GeneratorError(self._explain(action, str(reply["error"])), self.url)
        return reply["result"]

    def _explain(self, action: str, error: str) -> str:
        if "api key" in error.lower():
            return ("AnkiConnect wants an API key: the key is wrong" if self.key else
                    "AnkiConnect wants an API key: pass --key or set ANKICONNECT_KEY")
        if error == "unsupported action":
            return f"AnkiConnect does not know the action {action!r}: update {ADDON}"
        return f"AnkiConnect refused {action}: {error}"

    def check(self) -> int:
        """The add-on's API version, after checking it is new enough (and the key is right)."""
        version = self.call("version")
        if not isinstance(version, int) or version < API_VERSION:
            raise GeneratorError(f"AnkiConnect API version {version} is too old (certdeck needs {API_VERSION}): "
                                 f"update {ADDON}", self.url)
        return version
