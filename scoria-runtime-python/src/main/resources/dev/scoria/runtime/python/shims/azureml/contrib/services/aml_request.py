"""AMLRequest and @rawhttp, as entry scripts import them: `from azureml.contrib.services.aml_request import AMLRequest, rawhttp`.

On Azure, a @rawhttp run() receives the Flask (werkzeug) request. When werkzeug is installed, Scoria
hands over a real werkzeug Request built from the same request, so `request.files`, `request.form`
and everything else behave as there. Without werkzeug it is this module's small request class, which
offers method, path, full_path, url, headers, args, data, get_data(), json, get_json(), is_json,
content_type and mimetype (no multipart parsing: `files` and `form` need werkzeug).
"""
import io
import json
from urllib.parse import quote, urlencode

_rawHttpRequested = False


def rawhttp(func):
    """Marks run() as taking the whole request (AMLRequest) instead of the body as a string."""
    global _rawHttpRequested
    _rawHttpRequested = True
    func._scoria_rawhttp = True
    return func


class _Headers:
    def __init__(self, pairs):
        self._pairs = list(pairs)

    def get(self, name, default=None, type=None):
        for k, v in self._pairs:
            if k.lower() == name.lower():
                return type(v) if type else v
        return default

    def getlist(self, name):
        return [v for k, v in self._pairs if k.lower() == name.lower()]

    def __getitem__(self, name):
        value = self.get(name)
        if value is None:
            raise KeyError(name)
        return value

    def __contains__(self, name):
        return self.get(name) is not None

    def keys(self):
        return [k for k, _ in self._pairs]

    def items(self):
        return list(self._pairs)

    def __iter__(self):
        return iter(self._pairs)

    def __len__(self):
        return len(self._pairs)

    def to_dict(self):
        return {k: v for k, v in self._pairs}


class _Args(dict):
    """Query parameters: item access gives the first value, getlist all of them (werkzeug's MultiDict)."""

    def __init__(self, query):
        super().__init__({k: v[0] for k, v in query.items() if v})
        self._all = query

    def getlist(self, name):
        return list(self._all.get(name, []))


class _SimpleRequest:
    def __init__(self, method, path, query, headers, body):
        self.method = method
        self.path = path
        self.headers = _Headers((k, v) for k, values in headers.items() for v in values)
        self.args = _Args(query)
        self._body = body
        qs = urlencode([(k, v) for k, values in query.items() for v in values])
        self.full_path = path + "?" + qs
        host = self.headers.get("Host", "localhost")
        self.url = "http://" + host + quote(path) + ("?" + qs if qs else "")

    @property
    def content_type(self):
        return self.headers.get("Content-Type")

    @property
    def mimetype(self):
        return (self.content_type or "").split(";")[0].strip().lower()

    @property
    def is_json(self):
        m = self.mimetype
        return m == "application/json" or (m.startswith("application/") and m.endswith("+json"))

    @property
    def data(self):
        return self._body

    def get_data(self, cache=True, as_text=False, parse_form_data=False):
        return self._body.decode("utf-8", "replace") if as_text else self._body

    def get_json(self, force=False, silent=False, cache=True):
        if not (force or self.is_json):
            if silent:
                return None
            raise ValueError("Content-Type is not application/json")
        try:
            return json.loads(self._body.decode("utf-8"))
        except ValueError:
            if silent:
                return None
            raise

    @property
    def json(self):
        return self.get_json()

    @property
    def files(self):
        raise NotImplementedError("request.files needs werkzeug in the service's Python environment (pip install werkzeug)")

    @property
    def form(self):
        raise NotImplementedError("request.form needs werkzeug in the service's Python environment (pip install werkzeug)")


def wsgi_environ(method, path, query, headers, body):
    """The WSGI environ of a request, from which werkzeug (and Flask) build their request objects."""
    environ = {
        "REQUEST_METHOD": method,
        "SCRIPT_NAME": "",
        "PATH_INFO": path,
        "QUERY_STRING": urlencode([(k, v) for k, values in query.items() for v in values]),
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "5001",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": io.StringIO(),
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "CONTENT_LENGTH": str(len(body)),
    }
    for name, values in headers.items():
        key = name.upper().replace("-", "_")
        value = ", ".join(values)
        if key == "CONTENT_TYPE":
            environ["CONTENT_TYPE"] = value
        elif key != "CONTENT_LENGTH":
            environ["HTTP_" + key] = value
    return environ


def _werkzeug_request(method, path, query, headers, body):
    from werkzeug.wrappers import Request

    return Request(wsgi_environ(method, path, query, headers, body))


class AMLRequest(_SimpleRequest):
    """The request a @rawhttp run() receives."""

    @staticmethod
    def from_parts(method, path, query, headers, body):
        try:
            return _werkzeug_request(method, path, query, headers, body)
        except ImportError:
            return AMLRequest(method, path, query, headers, body)
