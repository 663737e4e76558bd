import json
import sys


def init():
    print("init: loading nothing")


def run(raw_data, request_headers):
    name = json.loads(raw_data)["name"]
    print("hello from run, " + name)
    print("a warning on stderr", file=sys.stderr)
    # Returning json.dumps(...) answers a JSON string (double encoded), exactly as on Azure.
    return json.dumps({"greeting": "hi " + name, "agent": request_headers.get("X-Test-Agent")})
