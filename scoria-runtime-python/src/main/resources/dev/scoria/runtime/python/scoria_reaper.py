"""Scoria's group reaper: kills a Python worker's process group when the worker dies, however it dies.

Started by scoria_worker.py (`python -I -S scoria_reaper.py <worker pid>`) before the entry script is
imported, in the worker's process group, with the kernel asked to send it SIGTERM when the worker dies
(PR_SET_PDEATHSIG, kept across exec) and SIGTERM blocked until its handler is in place. The worker cannot
clean up after a SIGKILL (the request timeout, the kernel's OOM killer, the server's own death); without
this, what the script started would be reparented to init and run on. A separate program, not a fork of
the worker, so that it holds none of the worker's state and is told apart from workers in `ps`.
"""
import os
import signal
import sys


def kill_group(*_):
    os.killpg(0, signal.SIGKILL)


def main():
    worker = int(sys.argv[1])
    signal.signal(signal.SIGTERM, kill_group)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})
    if os.getppid() != worker:
        kill_group()  # the worker died before the signal could be armed
    while True:
        signal.pause()


if __name__ == "__main__":
    main()
