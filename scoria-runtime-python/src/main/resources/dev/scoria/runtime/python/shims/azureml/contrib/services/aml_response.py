"""AMLResponse, as entry scripts import it: `from azureml.contrib.services.aml_response import AMLResponse`.

A clean-room equivalent of the response class of Azure ML's inference server: a status, headers and a
body, which Scoria's worker sends as they are instead of json.dumps-ing the value run() returned.
"""
import json


class _Headers:
    """Response headers: names compare without case, a name may repeat (kept in order)."""

    def __init__(self):
        self._items = []

    def add(self, name, value):
        self._items.append((str(name), str(value)))

    def set(self, name, value):
        self.remove(name)
        self.add(name, value)

    def remove(self, name):
        self._items = [(k, v) for k, v in self._items if k.lower() != str(name).lower()]

    def get(self, name, default=None):
        for k, v in self._items:
            if k.lower() == str(name).lower():
                return v
        return default

    def __getitem__(self, name):
        value = self.get(name)
        if value is None:
            raise KeyError(name)
        return value

    def __setitem__(self, name, value):
        self.set(name, value)

    def __contains__(self, name):
        return self.get(name) is not None

    def items(self):
        return list(self._items)

    def __iter__(self):
        return iter(self._items)

    def __len__(self):
        return len(self._items)


class AMLResponse:
    """AMLResponse(message, status_code, response_headers=None, json_str=False, run_function_failed=False).

    message None -> body `{}` as application/json; json_str=True -> `json.dumps(message)` as
    application/json; otherwise the message is the body as it is (str is UTF-8 encoded), with the
    Content-Type the caller gives, else `text/html; charset=utf-8` (Flask's default, which Azure's
    class inherits). Each header value is split on commas into repeated headers, as Azure does.
    """

    default_mimetype = "text/html; charset=utf-8"

    def __init__(self, message, status_code=200, response_headers=None, json_str=False, run_function_failed=False):
        self.status_code = int(status_code)
        self.headers = _Headers()
        for name, value in (response_headers or {}).items():
            for part in str(value).split(","):
                self.headers.add(name, part.strip())
        if message is None:
            body, content_type = b"{}", "application/json"
        elif json_str:
            body, content_type = json.dumps(message).encode("utf-8"), "application/json"
        else:
            body = message.encode("utf-8") if isinstance(message, str) else bytes(message)
            content_type = self.headers.get("Content-Type", self.default_mimetype)
        self.headers.set("Content-Type", content_type)
        if run_function_failed or self.status_code >= 500:
            self.headers.set("x-ms-run-function-failed", "True")
        self._body = body

    @property
    def status(self):
        return str(self.status_code)

    @property
    def data(self):
        return self._body

    def get_data(self, as_text=False):
        return self._body.decode("utf-8") if as_text else self._body

    def __repr__(self):
        return "<AMLResponse %d, %d bytes>" % (self.status_code, len(self._body))
