# Hangs or dies on demand, answers otherwise: for the timeout and crash tests.
import json
import os
import time


def init():
    pass


def run(raw_data):
    request = json.loads(raw_data)
    if request.get("hang"):
        time.sleep(3600)
    time.sleep(request.get("sleep", 0))
    if request.get("exit"):
        os._exit(7)
    return {"pid": os.getpid()}
