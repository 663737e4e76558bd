# Starts child processes on demand and hangs, as a script using subprocesses or multiprocessing might;
# answers its pid otherwise. {"fork": true} starts one child and one double-forked grandchild (no longer
# a descendant of the worker once its parent exits), each sleeping at most 120 s, and returns their pids;
# {"escape": true} starts one child that leaves the worker's process group (setsid), which nothing follows;
# {"hang": true} sleeps past the request's timeout.
import json
import os
import time

LIFETIME = 120  # the children end by themselves even if nothing kills them


def init():
    pass


def sleeper():
    time.sleep(LIFETIME)
    os._exit(0)


def run(raw_data):
    request = json.loads(raw_data)
    if request.get("fork"):
        child = os.fork()
        if child == 0:
            sleeper()
        read, write = os.pipe()
        middle = os.fork()
        if middle == 0:
            grandchild = os.fork()
            if grandchild == 0:
                sleeper()
            os.write(write, str(grandchild).encode())
            os._exit(0)
        os.waitpid(middle, 0)
        grandchild = int(os.read(read, 32))
        return {"pid": os.getpid(), "children": [child, grandchild]}
    if request.get("escape"):
        child = os.fork()
        if child == 0:
            os.setsid()
            sleeper()
        return {"pid": os.getpid(), "children": [child]}
    if request.get("hang"):
        time.sleep(3600)
    return {"pid": os.getpid()}
