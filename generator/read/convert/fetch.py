"""Fetching a URL for `certdeck add`: the only network access certdeck makes.

http and https only, one GET, with a time limit for the whole download and a size limit; redirects are
followed (urllib's default, at most 10) but only to http(s).
"""
from __future__ import annotations

import base64
import socket
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from http.client import HTTPMessage
from typing import IO
from urllib.parse import urlsplit

from ...errors import GeneratorError

TIMEOUT = 30.0  # seconds, for the whole download
MAX_BYTES = 20 * 1024 * 1024
_CHUNK = 64 * 1024
_USER_AGENT = "certdeck (+https://pypi.org/project/certdeck/)"


@dataclass(frozen=True, slots=True)
class Fetched:
    url: str  # after redirects
    content_type: str
    data: bytes


def split_credentials(url: str) -> tuple[str, str]:
    """(the URL without `user:password@`, 'user:password' or '')."""
    from urllib.parse import unquote, urlunsplit

    try:
        parts = urlsplit(url)
    except ValueError:
        return url, ""
    if "@" not in parts.netloc:
        return url, ""
    login, host = parts.netloc.rsplit("@", 1)
    return urlunsplit(parts._replace(netloc=host)), unquote(login)


def is_url(text: str) -> bool:
    return text.lower().startswith(("http://", "https://"))


class _HttpOnly(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req: urllib.request.Request, fp: IO[bytes], code: int, msg: str,
                         headers: HTTPMessage, newurl: str) -> urllib.request.Request | None:
        if not is_url(newurl):
            raise GeneratorError(f"redirected to {newurl!r}, which is not an http(s) address", req.full_url)
        new = super().redirect_request(req, fp, code, msg, headers, newurl)
        if new is not None and urlsplit(newurl).netloc != urlsplit(req.full_url).netloc:
            new.remove_header("Authorization")  # a login is for the host it was given for, not where it sends us
        return new


def fetch(url: str, timeout: float = TIMEOUT, max_bytes: int = MAX_BYTES) -> Fetched:
    """The body of `url`; any failure is one GeneratorError naming the URL."""
    url, login = split_credentials(url)
    if not is_url(url):
        raise GeneratorError("only http:// and https:// addresses can be fetched", url)
    opener = urllib.request.build_opener(_HttpOnly)
    headers = {"User-Agent": _USER_AGENT, "Accept": "text/html,application/xhtml+xml,application/pdf,application/"
               "vnd.openxmlformats-officedocument.wordprocessingml.document;q=0.9,*/*;q=0.5"}
    if login:  # user:password@ in the address: sent as HTTP Basic, and never shown or written anywhere
        headers["Authorization"] = "Basic " + base64.b64encode(login.encode("utf-8")).decode("ascii")
    request = urllib.request.Request(url, headers=headers)
    deadline = time.monotonic() + timeout
    limit_mb = f"{max_bytes / 2**20:g} MB"
    try:
        with opener.open(request, timeout=timeout) as response:
            length = response.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > max_bytes:
                raise GeneratorError(f"larger than the {limit_mb} limit ({int(length) / 2**20:.1f} MB); "
                                     "download it and convert the file", url)
            chunks, size = [], 0
            while True:
                if time.monotonic() > deadline:
                    raise TimeoutError()
                chunk = response.read1(_CHUNK)  # what has arrived: a slow trickle still meets the deadline
                if not chunk:
                    break
                size += len(chunk)
                if size > max_bytes:
                    raise GeneratorError(f"larger than the {limit_mb} limit; download it and convert the file", url)
                chunks.append(chunk)
            return Fetched(response.geturl(), response.headers.get("Content-Type", ""), b"".join(chunks))
    except GeneratorError:
        raise
    except urllib.error.HTTPError as err:
        raise GeneratorError(f"the server answered {err.code} {err.reason}", url) from None
    except TimeoutError:
        raise GeneratorError(f"timed out after {timeout:g} s", url) from None
    except urllib.error.URLError as err:
        reason = err.reason
        if isinstance(reason, (socket.timeout, TimeoutError)):
            raise GeneratorError(f"timed out after {timeout:g} s", url) from None
        raise GeneratorError(f"cannot fetch: {getattr(reason, 'strerror', None) or reason}", url) from None
    except (OSError, ValueError) as err:
        raise GeneratorError(f"cannot fetch: {err}", url) from None
