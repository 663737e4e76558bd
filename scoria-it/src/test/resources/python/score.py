# An entry script as Azure ML's v1 samples write them (how-to-deploy-and-where, sklearn diabetes).
import json
import os

import joblib
import numpy as np


def init():
    global model
    # AZUREML_MODEL_DIR is the folder of the deployed model (one model: its files directly in it).
    model_path = os.path.join(os.getenv("AZUREML_MODEL_DIR"), "model.pkl")
    model = joblib.load(model_path)


def run(raw_data):
    data = np.array(json.loads(raw_data)["data"])
    result = model.predict(data)
    # Any data type that json.dumps can serialize.
    return result.tolist()
