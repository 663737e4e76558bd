# A linear model read from its registered model.json (coefficients and intercept, as
# scripts/train-demo-model.py writes them): each model version answers what its file says, and init()
# raises if the file is not such a model. For the update tests (ZeroDowntimeUpdateTest).
import json
import os


def init():
    global coefficients, intercept
    with open(os.path.join(os.getenv("AZUREML_MODEL_DIR"), "model.json")) as f:
        model = json.load(f)
    coefficients = model["coefficients"]
    intercept = model["intercept"]


def run(raw_data):
    rows = json.loads(raw_data)["data"]
    return [sum(c * x for c, x in zip(coefficients, row)) + intercept for row in rows]
