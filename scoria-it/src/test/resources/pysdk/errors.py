# Failures surface as WebserviceException carrying the server's message.
import os

from scoria import InferenceConfig, Model, Webservice, WebserviceException, Workspace
from scoria.exceptions import ModelNotFoundException, UserErrorException
from scoria.webservice import AksWebservice

ws = Workspace.from_env()

try:
    Webservice(ws, "nosuchservice")
    raise AssertionError("an unknown service was found")
except WebserviceException as e:
    print(e.message)
    assert e.status_code == 404
    assert e.server_message == "service 'nosuchservice' does not exist", e.server_message
    assert "nosuchservice" in e.message and e.server_message in e.message

try:
    Model(ws, "nosuchmodel")
    raise AssertionError("an unknown model was found")
except ModelNotFoundException as e:
    assert isinstance(e, WebserviceException) and "nosuchmodel" in e.message

try:
    Model.deploy(ws, "myservice", [Model(ws, "diabetes")])
    raise AssertionError("a taken name was deployed")
except WebserviceException as e:
    print(e.message)
    assert e.status_code == 409 and "myservice" in e.server_message

try:
    Model.deploy(ws, "bad-timeout", [Model(ws, "diabetes")],
                 deployment_config=AksWebservice.deploy_configuration(scoring_timeout_ms=0))
    raise AssertionError("a zero timeout was accepted")
except UserErrorException as e:
    assert "scoringTimeoutMs" in e.message

try:
    AksWebservice.deploy_configuration(auth_enabled=True, token_auth_enabled=True)
    raise AssertionError("both auth modes were accepted")
except WebserviceException as e:
    assert "both" in e.message

try:
    Webservice(ws, "myservice").get_token()
    raise AssertionError("a key-auth service gave a token")
except WebserviceException as e:
    print(e.server_message)
    assert e.status_code == 400 and e.server_message

try:
    Model.deploy(ws, "wrongshape", [Model(ws, "diabetes")], InferenceConfig(input_example={"data": [[1, 2]]}))
    Webservice(ws, "wrongshape").wait_for_deployment()
    raise AssertionError("an input example of the wrong width deployed")
except WebserviceException as e:
    print(e.message)
    assert e.server_message

service = Webservice(ws, "myservice")
try:
    service.run({"data": [[1, 2, 3]]})
    raise AssertionError("3 values were scored by a 10-input model")
except WebserviceException as e:
    print(e.server_message)
    assert e.status_code == 400 and "3 values" in e.server_message, e.server_message

wrong = Workspace(ws.url, "not-the-admin-token")
try:
    Webservice.list(wrong)
    raise AssertionError("a wrong admin token listed services")
except WebserviceException as e:
    assert e.status_code == 401

os.environ.pop("SCORIA_URL")
try:
    Workspace.from_env()
    raise AssertionError("from_env without SCORIA_URL")
except UserErrorException as e:
    assert "SCORIA_URL" in e.message
print("ERRORS OK")
