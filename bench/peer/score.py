"""The peer: the demo model served the way Azure ML's inference server serves a score.py.

An Azure-style entry script (init() loads a joblib model, run(raw_data) parses the JSON and calls
model.predict) behind a Flask app, run by gunicorn: what Azure ML's container does with
azureml-inference-server-http (Flask + gunicorn), minus Azure's own middleware.
"""
import json
import os

import joblib
import numpy as np
from flask import Flask, Response, request

model = None


def init():
    global model
    model = joblib.load(os.path.join(os.environ["AZUREML_MODEL_DIR"], "model.pkl"))


def run(raw_data):
    data = np.array(json.loads(raw_data)["data"])
    return model.predict(data).tolist()


app = Flask(__name__)
init()


@app.route("/score", methods=["POST"])
def score():
    return Response(json.dumps(run(request.get_data(as_text=True))), mimetype="application/json")


@app.route("/", methods=["GET"])
def health():
    return "Healthy"
