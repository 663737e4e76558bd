"""Scoria's Python worker: runs one Azure ML entry script (score.py) for the Java server.

Started as `python scoria_worker.py <shim dir>`, with the script's settings in environment variables
(AZUREML_ENTRY_SCRIPT, AZUREML_SOURCE_DIRECTORY, AZUREML_MODEL_DIR, ...). It imports the script once,
calls init(), then answers scoring requests one at a time, dispatching to run() as Azure ML's
inference server does.

Protocol (stdin/stdout of this process, which are therefore kept away from user code): every message
is a frame `[u32 header length][u32 body length][header: UTF-8 JSON object][body: bytes]`, big-endian.
  server -> worker: {"type": "score", "id", "method", "path", "contentType", "query": {k: [v]}, "headers": {k: [v]}} + body
                    ({"type": "score", "id", "method"} + body to a worker whose ready frame said wholeRequest false)
  worker -> server: {"type": "ready", "mode", "wholeRequest", "inputSchema", "outputSchema"} once init() returned
                    {"type": "init_failed", "error", "traceback"} then exit
                    {"type": "result", "status", "headers": [[k, v]]} + body
                    {"type": "error", "kind": "bad_input" | "unsupported_media_type" | "run_failed", "message", "traceback"}
                    {"type": "error", "kind": "out_of_memory", "message", "traceback"} then exit
What the script prints (stdout or stderr) goes to stderr as lines `<request id>,<text>`, the format
of Azure's server, which the Java side copies into the service log.

Containment, set up before the script is imported (see contain()): the worker leads its own process
group, the kernel kills it when the server dies (PR_SET_PDEATHSIG), a small reaper process
(scoria_reaper.py) kills the whole group when the worker dies (so that what the script started dies with
it), and its data memory is capped (RLIMIT_DATA, SCORIA_MEMORY_LIMIT_MB).
"""
import ctypes
import importlib.abc
import importlib.util
import inspect
import io
import json
import os
import resource
import signal
import struct
import sys
import threading
import time
import traceback

NO_REQUEST = "00000000-0000-0000-0000-000000000000"
MAX_FRAME = 1 << 30

# Shim modules Scoria provides under Azure's import names, served only when the real ones are absent.
SHIMS = {
    "azureml": "azureml/__init__.py",
    "azureml.contrib": "azureml/contrib/__init__.py",
    "azureml.contrib.services": "azureml/contrib/services/__init__.py",
    "azureml.contrib.services.aml_request": "azureml/contrib/services/aml_request.py",
    "azureml.contrib.services.aml_response": "azureml/contrib/services/aml_response.py",
    "azureml.core": "azureml/core/__init__.py",
    "azureml.core.model": "azureml/core/model.py",
}


class ShimFinder(importlib.abc.MetaPathFinder):
    """Last on sys.meta_path: consulted only for a name no installed package provides."""

    def __init__(self, root):
        self.root = root

    def find_spec(self, fullname, path=None, target=None):
        relative = SHIMS.get(fullname)
        if relative is None:
            return None
        file = os.path.join(self.root, relative)
        package = relative.endswith("__init__.py")
        return importlib.util.spec_from_file_location(
            fullname, file, submodule_search_locations=[os.path.dirname(file)] if package else None)


class RequestLines(io.TextIOBase):
    """sys.stdout / sys.stderr of the script: whole lines to fd 2, each prefixed with the request id."""

    def __init__(self, state):
        self.state = state
        self.pending = ""
        self.lock = threading.Lock()

    @property
    def encoding(self):
        return "utf-8"

    def writable(self):
        return True

    def isatty(self):
        return False

    def fileno(self):
        return 2

    @property
    def buffer(self):
        # Scripts that write bytes (sys.stdout.buffer.write) get them as text lines too.
        return _BytesOf(self)

    def write(self, text):
        if not isinstance(text, str):
            raise TypeError("write() argument must be str, not " + type(text).__name__)
        with self.lock:
            self.pending += text
            if "\n" in self.pending:
                *lines, self.pending = self.pending.split("\n")
                self._emit(lines)
        return len(text)

    def flush(self):
        if not self.pending:
            # The worker flushes after every request, nearly always with nothing held: no lock for that. A write
            # racing this check is flushed by the next flush, as if it had come just after this one.
            return
        with self.lock:
            if self.pending:
                lines, self.pending = [self.pending], ""
                self._emit(lines)

    def _emit(self, lines):
        prefix = self.state.request_id + ","
        data = "".join(prefix + line + "\n" for line in lines).encode("utf-8", "replace")
        while data:
            data = data[os.write(2, data):]


class _BytesOf:
    def __init__(self, text):
        self.text = text

    def write(self, data):
        self.text.write(bytes(data).decode("utf-8", "replace"))
        return len(data)

    def flush(self):
        self.text.flush()


class State:
    request_id = NO_REQUEST


PREFIX = struct.Struct(">II")
# What one read asks the pipe for: a whole small request (the common case) in one system call.
READ_CHUNK = 1 << 16
# The most one read asks for, so that a corrupt prefix claiming a huge frame costs only the bytes actually sent.
READ_MAX = 1 << 20


class FrameReader:
    """Frames from the server's pipe, each read in as few system calls as the pipe allows (one for a small
    request, where reading the prefix, header and body apart took three); bytes read past a frame are kept."""

    def __init__(self, fd):
        self.fd = fd
        self.pending = b""

    def _at_least(self, data, n):
        """`data` followed by what the pipe brings until there are n bytes, or None at the end of the stream."""
        if len(data) >= n:
            return data
        chunks, have = [data], len(data)
        while have < n:
            chunk = os.read(self.fd, min(max(n - have, READ_CHUNK), READ_MAX))
            if not chunk:
                return None
            chunks.append(chunk)
            have += len(chunk)
        return b"".join(chunks)

    def read_frame(self):
        """(header dict, body bytes), or (None, None) at the end of the stream, even inside a frame."""
        data = self._at_least(self.pending, 8)
        if data is None:
            return None, None
        header_len, body_len = PREFIX.unpack_from(data)
        if header_len > MAX_FRAME or body_len > MAX_FRAME:
            raise IOError("frame too large: header %d, body %d bytes" % (header_len, body_len))
        head_end = 8 + header_len
        end = head_end + body_len
        if len(data) < end:
            data = self._at_least(data, head_end)
            if data is None:
                return None, None
            # The body gathered apart from the prefix and header, so that a large one is joined only once.
            rest = self._at_least(data[head_end:], body_len)
            if rest is None:
                return None, None
            header = data[8:head_end]
            body = rest[:body_len] if len(rest) > body_len else rest
            self.pending = rest[body_len:]
        else:
            header, body = data[8:head_end], data[head_end:end]
            self.pending = data[end:]
        return json.loads(header.decode("utf-8")), body


def encode_header(header):
    return json.dumps(header).encode("utf-8")


def send_frame(fd, head, body=b""):
    """One frame, `head` already JSON bytes, in one write (unless the pipe takes it in parts)."""
    view = memoryview(PREFIX.pack(len(head), len(body)) + head + body)
    while view:
        view = view[os.write(fd, view):]


def write_frame(fd, header, body=b""):
    send_frame(fd, encode_header(header), body)


PR_SET_PDEATHSIG = 1


def die_with_parent(sig):
    """Asks the kernel to send `sig` when this process's parent dies. Linux only: elsewhere watch_parent() remains."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_PDEATHSIG, sig, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def start_group_reaper():
    """Starts scoria_reaper.py, which kills this worker's process group when the worker dies (see its docstring)."""
    worker = os.getpid()
    reaper = os.path.join(os.path.dirname(os.path.abspath(__file__)), "scoria_reaper.py")
    # Blocked across fork and exec, so that a SIGTERM for a worker dying right now waits for the reaper's handler.
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})
    try:
        pid = os.fork()
        if pid == 0:
            try:
                devnull = os.open(os.devnull, os.O_RDWR)
                os.dup2(devnull, 0)  # not the server's pipes: their end must come with the worker's
                os.dup2(devnull, 1)
                if die_with_parent(signal.SIGTERM):
                    os.execv(sys.executable, [sys.executable, "-I", "-S", reaper, str(worker)])
            finally:
                os._exit(0)  # not Linux (no parent-death signal), or exec failed: no reaper
        return pid
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})


def contain():
    """Puts the worker in its own process group, ties its life to the server's and caps its memory."""
    server = int(os.environ.pop("SCORIA_SERVER_PID", "0") or 0)
    limit_mb = int(os.environ.pop("SCORIA_MEMORY_LIMIT_MB", "0") or 0)
    try:
        os.setsid()
    except OSError:
        pass  # already a group leader (started by hand): kill by group still works
    if die_with_parent(signal.SIGKILL) and server and os.getppid() != server:
        os._exit(1)  # the server died before the signal was armed
    start_group_reaper()
    if limit_mb > 0:
        limit = limit_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))
    return limit_mb


def watch_parent(parent):
    # A worker stuck in user code cannot see stdin close: it leaves when the server process is gone.
    while True:
        time.sleep(1)
        if os.getppid() != parent:
            os._exit(1)


def raw_http_requested(run):
    if getattr(run, "_scoria_rawhttp", False) or getattr(run, "__rawhttp__", False):
        return True
    # The real azureml-contrib-services and the inference server record @rawhttp in a module global.
    for name in ("azureml.contrib.services.aml_request", "azureml_inference_server_http.api.aml_request"):
        module = sys.modules.get(name)
        if module is not None and getattr(module, "_rawHttpRequested", False):
            return True
    return False


def schema_decorated(run):
    """Whether inference_schema decorates run() (only possible when the package is installed)."""
    try:
        from inference_schema.schema_util import is_schema_decorated
    except ImportError:
        return False
    try:
        return bool(is_schema_decorated(run))
    except Exception:
        return False


def schemas(run):
    """The input and output schemas inference_schema derived from the decorators, or None each."""
    try:
        from inference_schema.schema_util import get_input_schema, get_output_schema
    except ImportError:
        return None, None
    found = []
    for getter in (get_input_schema, get_output_schema):
        try:
            value = getter(run)
            if isinstance(value, dict) and "type" not in value:
                # Releases that support several swagger versions key the schema by version: take 2.0's.
                value = next((value[v] for v in ("2.0", "3.0", "3.1") if isinstance(value.get(v), dict)), value)
            found.append(value if isinstance(value, dict) and value else None)
        except Exception:
            found.append(None)
    return found[0], found[1]


class Dispatcher:
    """run() called the way Azure's inference server calls it (its user_script.py and input_parsers.py)."""

    def __init__(self, run):
        self.run = run
        parameters = inspect.signature(run).parameters
        for p in parameters.values():
            if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD, p.POSITIONAL_ONLY):
                raise TypeError("run() may not take *args, **kwargs or positional-only parameters (as in Azure ML)")
        self.wants_headers = "request_headers" in parameters
        inputs = [p for name, p in parameters.items() if name != "request_headers"]
        if not inputs:
            raise TypeError("run() must take at least one input parameter")
        self.raw = raw_http_requested(run)
        self.schema = schema_decorated(run)
        if self.raw and self.schema:
            raise TypeError("run() is decorated with both @rawhttp and @input_schema, which Azure ML refuses too")
        self.inputs = inputs
        self.mode = "raw" if self.raw else "schema" if self.schema else "string"
        # Whether call() reads more of a request than its method: a plain run(raw_data) does not.
        self.whole_request = self.raw or self.schema or self.wants_headers

    def call(self, header, body):
        if self.raw or self.schema:
            extra = {"request_headers": self.request_headers(header)} if self.wants_headers else {}
            if self.raw:
                return self.run(build_request(header, b"" if header["method"] == "GET" else body), **extra)
            if header["method"] == "POST" and not is_json(header.get("contentType")):
                raise UnsupportedMediaType("Expects Content-Type to be application/json")
            return self.run(**self.keyword_inputs(body), **extra)
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError as e:
            raise BadInput("Input cannot be decoded as UTF-8: " + str(e))
        if header["method"] == "GET":
            # The server sends the query as a JSON object; Azure hands run() json.dumps of it, spacing included.
            text = json.dumps(json.loads(text))
        if self.wants_headers:
            return self.run(text, request_headers=self.request_headers(header))
        return self.run(text)

    @staticmethod
    def request_headers(header):
        return {k: ", ".join(v) for k, v in header.get("headers", {}).items()}

    def keyword_inputs(self, body):
        if not body:
            raise BadInput("POST body is empty. Expecting a JSON dictionary.")
        try:
            value = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as e:
            raise BadInput("POST body could not be decoded as JSON: " + str(e))
        if not isinstance(value, dict):
            raise BadInput("POST body should be a JSON dictionary.")
        kwargs = {}
        for p in self.inputs:
            if p.name in value:
                kwargs[p.name] = value[p.name]
            elif p.default is p.empty:
                raise BadInput("A value is not provided for the '%s' parameter." % p.name)
        return kwargs


def build_request(header, body):
    """The AMLRequest of a @rawhttp call: Scoria's (shim) class, or the installed package's Flask request."""
    import azureml.contrib.services.aml_request as module

    parts = (header["method"], header.get("path", "/score"), header.get("query", {}), header.get("headers", {}), body)
    if hasattr(module.AMLRequest, "from_parts"):
        return module.AMLRequest.from_parts(*parts)
    # Azure's own package: its AMLRequest is a Flask request, made from a WSGI environ like any other.
    spec = importlib.util.spec_from_file_location(
        "_scoria_aml_request", os.path.join(sys.argv[1], SHIMS["azureml.contrib.services.aml_request"]))
    shim = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(shim)
    return module.AMLRequest(shim.wsgi_environ(*parts))


def is_json(content_type):
    mime = (content_type or "").split(";")[0].strip().lower()
    return mime == "application/json" or (mime.startswith("application/") and mime.endswith("+json"))


def user_traceback(error):
    """The traceback from the first frame outside this file: the script's frames, not the worker's."""
    tb = error.__traceback__
    while tb is not None and os.path.abspath(tb.tb_frame.f_code.co_filename) == os.path.abspath(__file__):
        tb = tb.tb_next
    return "".join(traceback.format_exception(type(error), error, tb))


class BadInput(Exception):
    pass


class UnsupportedMediaType(Exception):
    pass


def response_parts(result):
    """(status, [(name, value)], body) of what run() returned, serialised as Azure's wrap_response does."""
    if hasattr(result, "status_code") and hasattr(result, "get_data") and hasattr(result, "headers"):
        # An AMLResponse (Scoria's, or the real one, a Flask Response): sent as it is.
        headers = [(k, v) for k, v in result.headers.items()] if hasattr(result.headers, "items") else list(result.headers)
        return int(result.status_code), headers, result.get_data()
    # Anything else is json.dumps'd, a str included: returning json.dumps(x) answers a JSON string, as on Azure.
    # None is Azure's empty answer, {} (its AMLResponse(None) body).
    body = b"{}" if result is None else json.dumps(result).encode("utf-8")
    return 200, JSON_HEADERS, body


JSON_HEADERS = [("Content-Type", "application/json")]
# The header of nearly every answer, encoded once: what encode_header gives for status 200 and JSON_HEADERS.
JSON_ANSWER_HEAD = encode_header({"type": "result", "status": 200, "headers": JSON_HEADERS})


def main():
    shim_root = sys.argv[1]
    limit_mb = contain()
    frames = FrameReader(os.dup(0))
    proto_out = os.dup(1)
    # From here fd 0 and 1 are the script's: input() reads nothing and a C library's printf lands in the log.
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    os.dup2(2, 1)
    state = State()
    sys.stdout = RequestLines(state)
    sys.stderr = RequestLines(state)
    threading.Thread(target=watch_parent, args=(os.getppid(),), daemon=True).start()
    sys.meta_path.append(ShimFinder(shim_root))

    source_dir = os.environ["AZUREML_SOURCE_DIRECTORY"]
    entry = os.environ["AZUREML_ENTRY_SCRIPT"]
    try:
        os.chdir(source_dir)
        sys.path.insert(0, source_dir)
        path = os.path.join(source_dir, entry)
        sys.path.insert(0, os.path.dirname(path))
        module_name = os.path.splitext(os.path.basename(entry))[0]
        spec = importlib.util.spec_from_file_location(module_name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[module_name] = module
        spec.loader.exec_module(module)
        for function in ("init", "run"):
            if not callable(getattr(module, function, None)):
                raise AttributeError("the entry script %s does not define %s()" % (entry, function))
        module.init()
        dispatcher = Dispatcher(module.run)
        input_schema, output_schema = schemas(module.run) if dispatcher.schema else (None, None)
    except BaseException as e:
        text = user_traceback(e)
        last = traceback.format_exception_only(type(e), e)[-1].strip()
        sys.stdout.flush()
        sys.stderr.flush()
        write_frame(proto_out, {"type": "init_failed", "error": last, "traceback": text})
        os._exit(3)
    sys.stdout.flush()
    sys.stderr.flush()
    write_frame(proto_out, {"type": "ready", "mode": dispatcher.mode, "wholeRequest": dispatcher.whole_request,
                            "pid": os.getpid(),
                            "inputSchema": input_schema, "outputSchema": output_schema})

    while True:
        header, body = frames.read_frame()
        if header is None:
            # The server closed the pipe (it stopped, or died): leave now, even if the script started threads of
            # its own that would keep a normal interpreter exit waiting.
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(0)
        state.request_id = header.get("id") or NO_REQUEST
        try:
            status, headers, payload = response_parts(dispatcher.call(header, body))
            answer = JSON_ANSWER_HEAD if status == 200 and headers is JSON_HEADERS else {
                "type": "result", "status": status, "headers": headers}
        except BadInput as e:
            answer, payload = {"type": "error", "kind": "bad_input", "message": str(e)}, b""
        except UnsupportedMediaType as e:
            answer, payload = {"type": "error", "kind": "unsupported_media_type", "message": str(e)}, b""
        except MemoryError as e:
            # The memory limit was reached: whatever the script holds may be half-built, so this worker answers and
            # leaves, and the server starts a fresh one.
            try:
                text = user_traceback(e)
            except MemoryError:
                text = ""
            answer = {"type": "error", "kind": "out_of_memory", "limitMb": limit_mb,
                      "message": "MemoryError: run() reached the worker's memory limit", "traceback": text}
            sys.stdout.flush()
            sys.stderr.flush()
            state.request_id = NO_REQUEST
            write_frame(proto_out, answer)
            os._exit(4)
        except BaseException as e:
            if isinstance(e, (KeyboardInterrupt, SystemExit)):
                sys.stderr.write("run() raised %s: the worker stops\n" % type(e).__name__)
            answer, payload = {"type": "error", "kind": "run_failed", "message": str(e),
                               "traceback": user_traceback(e)}, b""
            if isinstance(e, (KeyboardInterrupt, SystemExit)):
                sys.stdout.flush()
                sys.stderr.flush()
                write_frame(proto_out, answer, payload)
                os._exit(1)
        sys.stdout.flush()
        sys.stderr.flush()
        state.request_id = NO_REQUEST
        send_frame(proto_out, answer if isinstance(answer, bytes) else encode_header(answer), payload)


if __name__ == "__main__":
    main()
