import json


def init():
    pass


def run(raw_data):
    rows = json.loads(raw_data)["data"]
    return [1 / row[0] for row in rows]
