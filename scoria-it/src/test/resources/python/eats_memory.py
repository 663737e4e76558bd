# Allocates without bound on demand ({"eat": true}), as a script with a leak or a runaway input would;
# answers its pid otherwise. The worker's memoryLimitMb is what stops it.
import json
import os


def init():
    pass


def run(raw_data):
    request = json.loads(raw_data)
    if request.get("eat"):
        blocks = []
        while True:
            blocks.append(bytearray(8 * 1024 * 1024))  # zero-filled: really used, not just reserved
    return {"pid": os.getpid()}
