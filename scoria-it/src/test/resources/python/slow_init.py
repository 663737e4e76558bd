import time


def init():
    time.sleep(600)


def run(raw_data):
    return raw_data
