# An Azure "deploy a registered model" notebook with its imports and Workspace line changed:
# register the demo ONNX model, deploy it, wait, call it. Env: SCORIA_URL, SCORIA_TOKEN, MODEL_ONNX.
import os
import warnings

from scoria import Workspace
from scoria.model import InferenceConfig, Model
from scoria.webservice import AksWebservice, Webservice

ws = Workspace.from_env()

model = Model.register(workspace=ws, model_path=os.environ["MODEL_ONNX"], model_name="diabetes",
                       tags={"area": "diabetes", "type": "regression"}, description="Ridge on the diabetes set",
                       model_framework=Model.Framework.ONNX)
print("registered", model.name, model.version, model.id, model.model_framework)
assert (model.name, model.version, model.id) == ("diabetes", 1, "diabetes:1"), model
assert model.tags == {"area": "diabetes", "type": "regression"}

with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    aks_config = AksWebservice.deploy_configuration(cpu_cores=1, memory_gb=1, auth_enabled=True,
                                                    scoring_timeout_ms=30000, replica_max_concurrent_requests=2,
                                                    max_request_wait_time=1000, tags={"team": "a"},
                                                    description="demo")
assert any("cpu_cores, memory_gb have no meaning on Scoria" in str(w.message) for w in caught), caught

service = Model.deploy(ws, "myservice", [model], deployment_config=aks_config)
service.wait_for_deployment(show_output=True)
print(service.state)
assert service.state == "Healthy", service.error
assert service.scoring_timeout_ms == 30000 and service.replica_max_concurrent_requests == 2
assert service.max_request_wait_time == 1000 and service.tags == {"team": "a"}

data = {"data": [
    [0.0199132141783263, 0.0506801187398187, 0.104808689473925, 0.0700725447072635, -0.0359677812752396,
     -0.0266789028311707, -0.0249926566315915, -0.00259226199818282, 0.00371173823343597, 0.0403433716478807],
    [-0.0127796318808497, -0.044641636506989, 0.0606183944448076, 0.0528581912385822, 0.0479653430750293,
     0.0293746718291555, -0.0176293810234174, 0.0343088588777263, 0.0702112981933102, 0.00720651632920303]]}
import json

result = service.run(json.dumps(data))
print("run", result)
assert result == [217.67978776218715, 224.78937091757172], result
assert service.run(data) == result  # an object is sent as JSON

# A token-auth service of the same model, and overwrite=True updating a service that exists.
token_config = AksWebservice.deploy_configuration(token_auth_enabled=True)
tokens = Model.deploy(ws, "tokenservice", [Model(ws, "diabetes")], InferenceConfig(runtime="onnx"), token_config)
tokens.wait_for_deployment()
assert tokens.token_auth_enabled and not tokens.auth_enabled
again = Model.deploy(ws, "tokenservice", [model], deployment_config=AksWebservice.deploy_configuration(
    token_auth_enabled=True, description="overwritten"), overwrite=True)
again.wait_for_deployment()
assert Webservice(ws, "tokenservice").description == "overwritten"
print("DEPLOYED")
