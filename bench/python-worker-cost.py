"""The cost of one request in a python worker alone: drives scoria_worker.py over its pipes as the server does,
one request at a time, with the bench's two-row request, and prints the worker's cost per request.

  --cpu (default)   CPU time per request from /proc (user, system), the bench's score.py and scikit-learn
                    model (bench/peer/train.py); moves with the machine's load like any timing
  --instructions    user-space instructions per request under valgrind's callgrind, counted only around the
                    measured requests: the same on a busy machine as on a quiet one. scipy's extensions do not
                    load under valgrind, so run() is a numpy stand-in (same JSON in, same JSON out), or a
                    constant with --trivial-run (what is left is the worker's own loop and json.dumps)
  --short           the score header a plain run(raw_data) worker is sent (type, id, method) instead of the
                    whole request's
  --worker PATH     another scoria_worker.py (e.g. `git show REV:...scoria_worker.py > /tmp/w.py`)

Needs /usr/bin/python3 with numpy, scikit-learn and joblib (Debian's python3-sklearn), and valgrind for
--instructions. Usage: python3 bench/python-worker-cost.py [--instructions [--trivial-run]] [--short]
[--worker PATH] [--requests N]
"""
import argparse
import glob
import json
import os
import struct
import subprocess
import sys
import tempfile
import time

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
runtime = os.path.join(root, "scoria-runtime-python/src/main/resources/dev/scoria/runtime/python")
parser = argparse.ArgumentParser()
parser.add_argument("--instructions", action="store_true")
parser.add_argument("--trivial-run", action="store_true")
parser.add_argument("--short", action="store_true")
parser.add_argument("--worker", default=os.path.join(runtime, "scoria_worker.py"))
parser.add_argument("--requests", type=int)
args = parser.parse_args()
n = args.requests or (5000 if args.instructions else 20000)

scratch = tempfile.mkdtemp(prefix="worker-cost-")
source = os.path.join(scratch, "src")
os.makedirs(source)
if args.instructions:
    with open(os.path.join(source, "score.py"), "w") as f:
        f.write("import json\nimport numpy as np\n\n\ndef init():\n    global coef\n    coef = np.linspace(-1, 1, 10)\n\n\n"
                + ("def run(raw_data):\n    return [149.89357569674982, 150.06913831232504]\n" if args.trivial_run else
                   "def run(raw_data):\n    return (np.array(json.loads(raw_data)['data']) @ coef + 150.0).tolist()\n"))
else:
    subprocess.run(["/usr/bin/python3", os.path.join(root, "bench/peer/train.py"), os.path.join(scratch, "model")], check=True)
    with open(os.path.join(root, "scoria-it/src/test/resources/python/score.py")) as f, \
            open(os.path.join(source, "score.py"), "w") as g:
        g.write(f.read())
# The worker starts its reaper from its own folder.
with open(os.path.join(runtime, "scoria_reaper.py")) as f, open(os.path.join(scratch, "scoria_reaper.py"), "w") as g:
    g.write(f.read())
worker = os.path.join(scratch, "scoria_worker.py")
with open(args.worker) as f, open(worker, "w") as g:
    g.write(f.read())

env = dict(PATH=os.environ["PATH"], HOME=os.environ.get("HOME", "/tmp"), AZUREML_MODEL_DIR=os.path.join(scratch, "model"),
           AZUREML_SOURCE_DIRECTORY=source, AZUREML_ENTRY_SCRIPT="score.py", PYTHONUNBUFFERED="1",
           SCORIA_SERVER_PID=str(os.getpid()), SCORIA_MEMORY_LIMIT_MB="0")
command = ["/usr/bin/python3", worker, os.path.join(runtime, "shims")]
counts = os.path.join(scratch, "callgrind.out")
if args.instructions:
    command = ["valgrind", "--tool=callgrind", "--instr-atstart=no", "--callgrind-out-file=" + counts] + command
p = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env,
                     cwd=source, bufsize=0)


def read(count):
    data = b""
    while len(data) < count:
        chunk = p.stdout.read(count - len(data))
        if not chunk:
            sys.exit("the worker ended")
        data += chunk
    return data


def frame():
    head, body = struct.unpack(">II", read(8))
    return json.loads(read(head)), read(body)


ready = frame()[0]
assert ready["type"] == "ready", ready
with open(os.path.join(root, "scoria-server/src/main/resources/demo/diabetes-ridge/request.json"), "rb") as f:
    body = f.read()
header = {"type": "score", "id": "3f2b8c1e-5d7a-4c1b-9e2f-0a1b2c3d4e5f", "method": "POST"}
if not args.short:
    header.update(path="/score", contentType="application/json", query={}, headers={
        "Host": ["127.0.0.1:5094"], "Content-Type": ["application/json"], "Content-Length": [str(len(body))]})
head = json.dumps(header, separators=(",", ":")).encode()
message = struct.pack(">II", len(head), len(body)) + head + body


def ticks():
    fields = open("/proc/%d/stat" % p.pid).read().rsplit(")", 1)[1].split()
    return int(fields[11]), int(fields[12])


for _ in range(300 if args.instructions else 2000):
    p.stdin.write(message)
    answer = frame()
if args.instructions:
    subprocess.run(["callgrind_control", "-i", "on", str(p.pid)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
user0, sys0 = ticks()
started = time.time()
for _ in range(n):
    p.stdin.write(message)
    answer = frame()
elapsed = time.time() - started
user1, sys1 = ticks()
if args.instructions:
    subprocess.run(["callgrind_control", "-i", "off", str(p.pid)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
p.stdin.close()
p.wait()
label = "%s, %s header" % (args.worker, "short" if args.short else "whole")
if args.instructions:
    total = 0
    for file in glob.glob(counts + "*"):
        for line in open(file):
            if line.startswith(("totals:", "summary:")):
                total = max(total, int(line.split()[1]))
    print("%s: %.0f instructions per request (%s run(), %d requests); answer %s"
          % (label, total / n, "trivial" if args.trivial_run else "numpy", n, answer[1].decode()))
else:
    k = 1e6 / os.sysconf("SC_CLK_TCK") / n
    print("%s: worker CPU %.1f us per request (user %.1f, system %.1f), %.0f req/s; answer %s"
          % (label, (user1 - user0 + sys1 - sys0) * k, (user1 - user0) * k, (sys1 - sys0) * k, n / elapsed,
             answer[1].decode()))
