# init() succeeds the first time only (a marker file in the working directory remembers it): once its
# worker dies, every restart fails, so the service stays without a live worker.
import os

MARKER = "started-once"


def init():
    if os.path.exists(MARKER):
        raise RuntimeError("refusing to start twice")
    open(MARKER, "w").close()


def run(raw_data):
    if raw_data == "exit":
        os._exit(3)
    return "up"
