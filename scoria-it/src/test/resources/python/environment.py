# Answers the names of its environment variables and its memory limit, for the containment tests.
import os
import resource


def init():
    pass


def run(raw_data):
    soft, hard = resource.getrlimit(resource.RLIMIT_DATA)
    return {"names": sorted(os.environ), "pid": os.getpid(), "pgid": os.getpgid(0), "dataLimit": soft}
