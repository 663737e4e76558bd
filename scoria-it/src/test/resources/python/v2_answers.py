# Answers a v2 inference request in the form its "parameters" ask for ({"answer": "v2" | "matrix" |
# "object" | "string" | "raise"}), to show how Scoria turns each kind of run() result into a v2 response.
import json


def init():
    pass


def run(raw_data):
    request = json.loads(raw_data)
    answer = request.get("parameters", {}).get("answer", "v2")
    values = request["inputs"][0]["data"]
    if answer == "v2":
        # A v2 response of its own: sent as it is, with model_name, model_version and id filled in.
        return {"outputs": [
            {"name": "total", "datatype": "FP64", "shape": [1], "data": [float(sum(values))]},
            {"name": "request", "datatype": "BYTES", "shape": [1], "data": [raw_data]}]}
    if answer == "matrix":
        return [[v, v * 2] for v in values]
    if answer == "object":
        return {"count": len(values)}
    if answer == "string":
        return json.dumps({"count": len(values)})
    if answer == "raise":
        raise ValueError("asked to raise")
    return None
