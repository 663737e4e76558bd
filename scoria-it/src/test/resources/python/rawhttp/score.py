# A @rawhttp entry script (Azure's "advanced entry script" pattern), deployed as a zipped source folder.
import joblib
from azureml.contrib.services.aml_request import AMLRequest, rawhttp
from azureml.contrib.services.aml_response import AMLResponse
from azureml.core.model import Model

from helpers import rows_of


def init():
    global model
    model = joblib.load(Model.get_model_path("diabetes-sklearn"))


@rawhttp
def run(request):
    if request.method == "GET":
        return AMLResponse("use POST, " + request.args.get("who", "stranger") + " (" + request.path + ")", 200)
    if request.method != "POST":
        return AMLResponse("bad request", 500)
    if request.headers.get("Content-Type") != "application/json":
        return AMLResponse({"error": "send JSON"}, 422, {"X-Reason": "content type"}, json_str=True)
    predictions = model.predict(rows_of(request.get_data())).tolist()
    # The request-id headers are the server's: these values never reach the client.
    return AMLResponse({"predictions": predictions}, 201, {"X-Model": "diabetes-sklearn", "Cache-Control": "no-store",
                                                           "x-request-id": "set-by-the-script",
                                                           "x-ms-client-request-id": "set-by-the-script"},
                       json_str=True)
