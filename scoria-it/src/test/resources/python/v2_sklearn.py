# The sklearn diabetes score.py, written for Open Inference Protocol (v2) clients: run() gets the v2
# inference request's JSON text exactly as the client sent it, and returns plain predictions, which
# Scoria answers as the v2 output "output0".
import json
import os

import joblib
import numpy as np


def init():
    global model
    model = joblib.load(os.path.join(os.getenv("AZUREML_MODEL_DIR"), "model.pkl"))


def run(raw_data):
    request = json.loads(raw_data)
    features = next(i for i in request["inputs"] if i["name"] == "features")
    rows = np.array(features["data"], dtype=np.float64).reshape(features["shape"])
    return model.predict(rows).tolist()
