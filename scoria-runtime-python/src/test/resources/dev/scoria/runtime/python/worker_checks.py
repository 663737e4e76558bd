"""Checks of scoria_worker.py and the azureml shims without a server: run by WorkerScriptTest as
`python worker_checks.py <folder of scoria_worker.py> <scratch dir>`; prints "all checks passed"."""
import json
import os
import sys
import types

runtime_dir, scratch = sys.argv[1], sys.argv[2]
sys.path.insert(0, runtime_dir)
import scoria_worker as w  # noqa: E402

sys.argv = ["scoria_worker.py", os.path.join(runtime_dir, "shims")]
sys.meta_path.append(w.ShimFinder(sys.argv[1]))

# Return values are serialised as Azure's server does.
assert w.response_parts([1.5, 2]) == (200, [("Content-Type", "application/json")], b"[1.5, 2]")
assert w.response_parts("done")[2] == b'"done"', "a str is JSON-encoded again"
assert w.response_parts(json.dumps({"a": 1}))[2] == b'"{\\"a\\": 1}"', "double encoding"
assert w.response_parts(None)[2] == b"{}"

# AMLResponse from the shim.
from azureml.contrib.services.aml_response import AMLResponse  # noqa: E402
assert AMLResponse.__module__ == "azureml.contrib.services.aml_response"
assert "shims" in sys.modules["azureml.contrib.services.aml_response"].__file__
status, headers, body = w.response_parts(AMLResponse({"x": 1}, 201, {"b": "A, B,C"}, json_str=True))
assert status == 201 and body == b'{"x": 1}'
assert [v for k, v in headers if k == "b"] == ["A", "B", "C"], headers
assert ("Content-Type", "application/json") in headers
status, headers, body = w.response_parts(AMLResponse("plain", 503))
assert body == b"plain" and ("Content-Type", "text/html; charset=utf-8") in headers
assert ("x-ms-run-function-failed", "True") in headers
assert w.response_parts(AMLResponse(None, 200))[2] == b"{}"
assert w.response_parts(AMLResponse(b"\x00\xff", 200, {"Content-Type": "application/octet-stream"}))[2] == b"\x00\xff"

# Undecorated run(raw_data): the body as str, UTF-8 checked; GET gets json.dumps of the query object.
seen = {}


def run(raw_data, request_headers):
    seen["data"], seen["headers"] = raw_data, request_headers
    return "ok"


d = w.Dispatcher(run)
assert d.mode == "string" and d.wants_headers
head = {"method": "POST", "headers": {"X-A": ["1", "2"]}, "contentType": "text/plain"}
assert d.call(head, "é".encode("utf-8")) == "ok" and seen["data"] == "é" and seen["headers"] == {"X-A": "1, 2"}
try:
    d.call(head, b"\xff")
    raise AssertionError("non-UTF-8 accepted")
except w.BadInput as e:
    assert str(e).startswith("Input cannot be decoded as UTF-8")
d.call({"method": "GET", "headers": {}}, b'{"a":1,"b":[1,2]}')
assert seen["data"] == '{"a": 1, "b": [1, 2]}', seen["data"]
assert d.whole_request, "run() takes request_headers: the server sends them"

# A plain run(raw_data) is sent only the id and method (wholeRequest false in the ready frame), and needs no more.
plain = w.Dispatcher(lambda raw_data: raw_data.upper())
assert plain.mode == "string" and not plain.whole_request
assert plain.call({"type": "score", "id": "r-1", "method": "POST"}, b"abc") == "ABC"
assert plain.call({"type": "score", "id": "r-2", "method": "GET"}, b'{"q":["1"]}') == '{"Q": ["1"]}'

# Signatures Azure refuses.
for bad in (lambda *args: None, lambda **kw: None, lambda request_headers: None):
    try:
        w.Dispatcher(bad)
        raise AssertionError("accepted a run() Azure refuses")
    except TypeError:
        pass

# @rawhttp: the whole request (werkzeug's when installed, else the shim's).
from azureml.contrib.services.aml_request import rawhttp, AMLRequest, _SimpleRequest  # noqa: E402


@rawhttp
def raw_run(request):
    return request


d = w.Dispatcher(raw_run)
assert d.mode == "raw" and d.whole_request
req = d.call({"method": "POST", "path": "/api/v1/service/s/score", "query": {"k": ["v", "w"]},
              "headers": {"Content-Type": ["application/json"], "X-B": ["b"]}}, b'{"z": 1}')
assert req.method == "POST" and req.headers.get("x-b") == "b" and req.args.get("k") == "v"
assert req.args.getlist("k") == ["v", "w"] and req.get_data() == b'{"z": 1}' and req.get_json() == {"z": 1}
simple = AMLRequest("POST", "/score", {"k": ["v"]}, {"Content-Type": ["application/json"]}, b'{"z": 2}')
assert isinstance(simple, _SimpleRequest) and simple.json == {"z": 2} and simple.is_json and simple.args["k"] == "v"
assert simple.get_data(as_text=True) == '{"z": 2}'
get_req = d.call({"method": "GET", "path": "/score", "query": {}, "headers": {}}, b'{"ignored": true}')
assert get_req.get_data() == b"", "a GET reaches @rawhttp without the server's query-as-JSON body"

# Model.get_model_path against Scoria's layout.
from azureml.core.model import Model, ModelNotFoundException  # noqa: E402
os.environ["AZUREML_MODEL_DIR"] = scratch
os.environ["SCORIA_MODELS"] = json.dumps([{"name": "m", "version": 2, "files": ["model.pkl"]}])
assert Model.get_model_path("m") == os.path.join(scratch, "model.pkl")
assert Model.get_model_path("m", version=2) == os.path.join(scratch, "model.pkl")
for name, version in (("other", None), ("m", 1)):
    try:
        Model.get_model_path(name, version=version)
        raise AssertionError("found a model that was not deployed")
    except ModelNotFoundException as e:
        assert "m:2" in str(e)
os.environ["SCORIA_MODELS"] = json.dumps([{"name": "a", "version": 1, "files": ["x/1.bin", "x/2.bin"]},
                                          {"name": "b", "version": 3, "files": ["b.onnx"]}])
assert Model.get_model_path("a") == os.path.join(scratch, "a", "1")
assert Model.get_model_path("b") == os.path.join(scratch, "b", "3", "b.onnx")

# @input_schema dispatch. inference-schema is not installed here: a minimal stand-in module offers the
# three functions of inference_schema.schema_util the worker calls, so that the dispatch is checked.
schema_util = types.ModuleType("inference_schema.schema_util")
schema_util.is_schema_decorated = lambda f: hasattr(f, "_schema")
schema_util.get_input_schema = lambda f: {"2.0": {"type": "object", "properties": {"a": {"type": "integer"}}}}
schema_util.get_output_schema = lambda f: {"type": "array"}
package = types.ModuleType("inference_schema")
package.schema_util = schema_util
sys.modules.update({"inference_schema": package, "inference_schema.schema_util": schema_util})
# @rawhttp above set the module-wide flag Azure's package uses (one script per process there): clear it.
sys.modules["azureml.contrib.services.aml_request"]._rawHttpRequested = False


def typed(a, b=5):
    return [a, b]


typed._schema = True
d = w.Dispatcher(typed)
assert d.mode == "schema" and d.whole_request, "the Content-Type is checked"
assert w.schemas(typed) == ({"type": "object", "properties": {"a": {"type": "integer"}}}, {"type": "array"})
post = {"method": "POST", "headers": {}, "contentType": "application/json"}
assert d.call(post, b'{"a": 1, "extra": 0}') == [1, 5]
assert d.call(dict(post, contentType="application/vnd.x+json; charset=utf-8"), b'{"a": 1, "b": 2}') == [1, 2]
for body, message in ((b"", "POST body is empty"), (b"{", "could not be decoded as JSON"), (b"[1]", "should be a JSON dictionary"),
                      (b'{"b": 1}', "A value is not provided for the 'a' parameter.")):
    try:
        d.call(post, body)
        raise AssertionError("accepted " + repr(body))
    except w.BadInput as e:
        assert message in str(e), (body, str(e))
try:
    d.call(dict(post, contentType="text/plain"), b'{"a": 1}')
    raise AssertionError("accepted text/plain")
except w.UnsupportedMediaType as e:
    assert str(e) == "Expects Content-Type to be application/json"
assert d.call({"method": "GET", "headers": {}, "contentType": None}, b'{"a": 3}') == [3, 5]

# What the script prints: whole lines, each with the request id.
read_end, write_end = os.pipe()
saved = os.dup(2)
os.dup2(write_end, 2)
state = w.State()
lines = w.RequestLines(state)
state.request_id = "req-1"
lines.write("one\ntw")
lines.write("o\n")
state.request_id = w.NO_REQUEST
lines.write("three")
lines.flush()
lines.buffer.write("four é\n".encode("utf-8"))
os.dup2(saved, 2)
os.close(write_end)
out = os.read(read_end, 4096).decode()
assert out == "req-1,one\nreq-1,two\n" + w.NO_REQUEST + ",three\n" + w.NO_REQUEST + ",four é\n", out

# The protocol's frames: read whole however the pipe cuts them, several from one read, none from a cut stream.
import threading  # noqa: E402


def frames_from(chunks):
    """FrameReader over a pipe fed `chunks` one write at a time by a thread, then closed."""
    r, wr = os.pipe()

    def feed():
        for chunk in chunks:
            os.write(wr, chunk)
        os.close(wr)

    feeder = threading.Thread(target=feed)
    feeder.start()
    reader = w.FrameReader(r)
    got = []
    while True:
        header, body = reader.read_frame()
        if header is None:
            break
        got.append((header, body))
    feeder.join()
    os.close(r)
    return got


def frame(header, body=b""):
    head = json.dumps(header).encode()
    return w.PREFIX.pack(len(head), len(body)) + head + body


one, two = frame({"id": "a"}, b"xyz"), frame({"id": "b"})
assert frames_from([one + two]) == [({"id": "a"}, b"xyz"), ({"id": "b"}, b"")]
assert frames_from([one[i:i + 1] for i in range(len(one))]) == [({"id": "a"}, b"xyz")], "byte by byte"
big = bytes(range(256)) * (3 * w.READ_MAX // 256 + 7)
assert frames_from([frame({"id": "big"}, big)[:5], frame({"id": "big"}, big)[5:] + two]) == [
    ({"id": "big"}, big), ({"id": "b"}, b"")], "a body larger than one read, then a frame after it"
assert frames_from([one + two[:-1]]) == [({"id": "a"}, b"xyz")], "a frame cut short is the end of the stream"
assert frames_from([one[:3]]) == [], "a prefix cut short"
try:
    frames_from([w.PREFIX.pack(1, w.MAX_FRAME + 1)])
    raise AssertionError("accepted a frame larger than MAX_FRAME")
except IOError as e:
    assert "frame too large" in str(e)

# What the worker writes reads back the same, the pre-encoded answer header included.
r, wr = os.pipe()
w.send_frame(wr, w.JSON_ANSWER_HEAD, b"[1.5]")
w.write_frame(wr, {"type": "error", "kind": "bad_input", "message": "é"})
os.close(wr)
reader = w.FrameReader(r)
assert reader.read_frame() == ({"type": "result", "status": 200, "headers": [["Content-Type", "application/json"]]},
                               b"[1.5]")
assert reader.read_frame() == ({"type": "error", "kind": "bad_input", "message": "é"}, b"")
assert reader.read_frame() == (None, None)
os.close(r)
assert w.response_parts([1])[1] is w.JSON_HEADERS, "the common answer takes the pre-encoded header"

print("all checks passed")
