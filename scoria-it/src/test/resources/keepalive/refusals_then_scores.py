"""A requests.Session with one pooled keep-alive connection sends requests that the server refuses
before reading their bodies, each followed by a good one, and prints what it saw as JSON: each
refusal's status, error body and Connection header, the answer that followed, and how many TCP
connections the session had opened by then.

usage: refusals_then_scores.py BASE_URL KEY BODY_LIMIT GOOD_BODY_FILE
"""
import json
import sys

import requests
import urllib3.connection
from requests.adapters import HTTPAdapter

base, key, body_limit, good_file = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
score = base + "/api/v1/service/myservice/score"
with open(good_file, "rb") as f:
    good = f.read()

# Counts every TCP connect, including urllib3 reopening a pooled connection the server closed.
connects = 0
_connect = urllib3.connection.HTTPConnection.connect


def counting_connect(self):
    global connects
    connects += 1
    return _connect(self)


urllib3.connection.HTTPConnection.connect = counting_connect


def spaces(n):
    """A JSON array of n bytes: valid, so only the check under test refuses it."""
    return b"[" + b" " * (n - 2) + b"]"


ok = {"Authorization": "Bearer " + key, "Content-Type": "application/json"}
refusals = [
    ("401 with a 1 MB body", score, {**ok, "Authorization": "Bearer wrong"}, spaces(1024 * 1024)),
    ("413", score, ok, spaces(body_limit + 1)),
    ("415", score, {**ok, "Content-Type": "text/plain"}, spaces(100 * 1024)),
    ("431 for an x-request-id over 100 characters", score, {**ok, "x-request-id": "x" * 101}, spaces(100 * 1024)),
    ("404", base + "/api/v1/service/nosuch/score", ok, spaces(100 * 1024)),
    ("431 from the HTTP codec", score, {**ok, "X-Big": "x" * 10000}, good),
]

session = requests.Session()
session.mount("http://", HTTPAdapter(pool_connections=1, pool_maxsize=1, max_retries=0))
results = []
for case, url, headers, body in refusals:
    refused = session.post(url, headers=headers, data=body, timeout=20)
    after = session.post(score, headers=ok, data=good, timeout=20)
    results.append({
        "case": case,
        "status": refused.status_code,
        "contentType": refused.headers.get("Content-Type"),
        "error": refused.json(),
        "connection": refused.headers.get("Connection"),
        "after": after.status_code,
        "answer": after.text,
        "connects": connects,
    })
print(json.dumps(results))
