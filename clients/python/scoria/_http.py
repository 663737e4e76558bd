"""The HTTP calls: one ``requests.Session`` per workspace, the admin token, errors as WebserviceException."""
import json
from urllib.parse import quote

import requests

from .exceptions import WebserviceException

CALL_TIMEOUT = 60


def segment(text):
    """A path segment, escaped."""
    return quote(str(text), safe="")


def server_message(response):
    """The ``message`` of Scoria's JSON error body, else the body as (shortened) text, else None."""
    text = response.text if response is not None else ""
    if not text or not text.strip():
        return None
    try:
        body = json.loads(text)
    except ValueError:
        body = None
    if isinstance(body, dict):
        if isinstance(body.get("message"), str):
            return body["message"]
        error = body.get("error")
        if isinstance(error, dict) and isinstance(error.get("message"), str):
            return error["message"]
        if isinstance(error, str):
            return error
    one_line = " ".join(text.split())
    return one_line if len(one_line) <= 300 else one_line[:300] + "..."


def raise_for(response, what):
    """Raises WebserviceException naming what was being done when ``response`` is an error."""
    if response.status_code < 400:
        return response
    message = server_message(response)
    raise WebserviceException(
        "{} failed: HTTP {}{}".format(what, response.status_code, ": " + message if message else ""),
        status_code=response.status_code,
        server_message=message,
    )


class Transport:
    """Management calls to one server with its admin token."""

    def __init__(self, url, token, session=None):
        self.url = url.rstrip("/")
        self.token = token
        self.session = session or requests.Session()

    def absolute(self, path):
        if path.startswith("http://") or path.startswith("https://"):
            return path
        return self.url + path

    def request(self, method, path, what, ok_statuses=None, timeout=CALL_TIMEOUT, **kwargs):
        headers = dict(kwargs.pop("headers", None) or {})
        if self.token:
            headers["Authorization"] = "Bearer " + self.token
        try:
            response = self.session.request(method, self.absolute(path), headers=headers, timeout=timeout, **kwargs)
        except requests.RequestException as e:
            raise WebserviceException("{} failed: could not reach {}: {}".format(what, self.url, e)) from e
        if ok_statuses is not None and response.status_code in ok_statuses:
            return response
        return raise_for(response, what)

    def json(self, method, path, what, body=None, **kwargs):
        if body is not None:
            kwargs["data"] = json.dumps(body)
            kwargs.setdefault("headers", {})["Content-Type"] = "application/json"
        return self.request(method, path, what, **kwargs)


def parse_json(response, what):
    try:
        return response.json()
    except ValueError as e:
        raise WebserviceException(
            "{}: the server's answer is not JSON: {}".format(what, " ".join(response.text.split())[:300]),
            status_code=response.status_code,
        ) from e


def parse_time(text):
    """An ISO-8601 instant as the server writes it (``2026-11-25T13:40:02.301Z``), as an aware datetime."""
    import re
    from datetime import datetime, timezone

    if not text:
        return None
    m = re.match(r"^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})?$", text)
    if not m:
        return None
    base = datetime.strptime(m.group(1), "%Y-%m-%dT%H:%M:%S")
    micros = int((m.group(2) or "0")[:6].ljust(6, "0"))
    zone = m.group(3)
    tz = timezone.utc
    if zone and zone != "Z":
        from datetime import timedelta

        sign = -1 if zone[0] == "-" else 1
        digits = zone[1:].replace(":", "")
        tz = timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))
    return base.replace(microsecond=micros, tzinfo=tz)
