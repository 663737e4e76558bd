# A scikit-learn model deployed with no entry script (model_framework=SCIKITLEARN), a service with no model,
# then deployments within a service: a second one tested with the azureml-model-deployment header, mirror
# traffic, the traffic split, an update, and deletion. Env: SCORIA_URL, SCORIA_TOKEN, SCRIPTS
# (src/test/resources/python), DIABETES_CSV (scripts/diabetes.csv), PYTHON (an interpreter with sklearn).
import math
import os
import subprocess
import sys
import tempfile

from scoria import (AksWebservice, Deployment, InferenceConfig, Model, UserErrorException, Webservice,
                    WebserviceException, Workspace)

ws = Workspace.from_env()
python = os.environ["PYTHON"]
work = tempfile.mkdtemp()
subprocess.run([sys.executable, os.path.join(os.environ["SCRIPTS"], "train.py"), os.environ["DIABETES_CSV"], work],
               check=True)
rows = {"data": [
    [0.0199132141783263, 0.0506801187398187, 0.104808689473925, 0.0700725447072635, -0.0359677812752396,
     -0.0266789028311707, -0.0249926566315915, -0.00259226199818282, 0.00371173823343597, 0.0403433716478807],
    [-0.0127796318808497, -0.044641636506989, 0.0606183944448076, 0.0528581912385822, 0.0479653430750293,
     0.0293746718291555, -0.0176293810234174, 0.0343088588777263, 0.0702112981933102, 0.00720651632920303]]}
expected = [217.67978776218715, 224.78937091757172]

# ---- no-code scikit-learn, as Azure's Model.Framework.SCIKITLEARN
model = Model.register(ws, os.path.join(work, "model.pkl"), "diabetes-sklearn",
                       model_framework=Model.Framework.SCIKITLEARN, model_framework_version="1.2")
print("registered", model.id, model.model_framework, model.model_framework_version)
assert model.model_framework == "ScikitLearn" and model.model_framework_version == "1.2"
assert Model(ws, "diabetes-sklearn").model_framework_version == "1.2"
# No entry script and no runtime named: the server's runtimes say python serves ScikitLearn models.
inference = InferenceConfig(config={"python": python})
assert inference.runtime is None
service = Model.deploy(ws, "sk-svc", [model], inference, AksWebservice.deploy_configuration(auth_enabled=True))
service.wait_for_deployment(show_output=True)
assert service.state == "Healthy" and service.runtime == "python", service.error
answer = service.run(rows)
print("sklearn", answer)
assert all(math.isclose(a, b, rel_tol=1e-12) for a, b in zip(answer, expected)), answer

# ---- a service with no model: the entry script needs none
script = os.path.join(work, "no_model.py")
with open(script, "w") as f:
    f.write("import os\n\ndef init():\n    global model_dir\n    model_dir = os.environ['AZUREML_MODEL_DIR']\n\n"
            "def run(raw_data):\n    return {'modelDir': os.path.isdir(model_dir), 'files': os.listdir(model_dir)}\n")
no_model = Model.deploy(ws, "no-model", [], InferenceConfig(entry_script=script, config={"python": python}),
                        AksWebservice.deploy_configuration(auth_enabled=False))
no_model.wait_for_deployment()
assert no_model.state == "Healthy" and no_model.model_ids == [], no_model.error
assert no_model.run({}) == {"modelDir": True, "files": []}
try:
    Model.deploy(ws, "nothing", [])
    raise AssertionError("a deploy with no model and no script was sent")
except UserErrorException as e:
    assert "nothing to deploy" in e.message, e.message

# ---- deployments within a service
names = [d.name for d in service.deployments]
assert names == ["default"], names
default = service.get_deployment("default")
assert isinstance(default, Deployment) and default.primary and default.traffic_percent == 100
assert default.model_ids == ["diabetes-sklearn:1"] and default.runtime == "python"
assert service.traffic == {"default": 100} and service.mirror_traffic == {}

green_script = os.path.join(work, "green.py")
with open(green_script, "w") as f:
    f.write("def init():\n    pass\n\ndef run(raw_data):\n    return {'answeredBy': 'green'}\n")
try:
    service.create_deployment("green", [], InferenceConfig(entry_script=green_script),
                              AksWebservice.deploy_configuration(auth_enabled=False))
    raise AssertionError("a deployment took a service-wide setting")
except UserErrorException as e:
    assert "authMode belong to the whole service" in e.message, e.message
green = service.create_deployment("green", [], InferenceConfig(entry_script=green_script, config={"python": python}),
                                  AksWebservice.deploy_configuration(scoring_timeout_ms=5000))
assert green.state == "Transitioning" and green.traffic_percent == 0
green.wait_for_deployment(show_output=True)
assert green.state == "Healthy" and green.scoring_timeout_ms == 5000, green.error
assert sorted(d.name for d in service.deployments) == ["default", "green"]

# Pinned with the azureml-model-deployment header, whatever the split says.
assert service.run(rows) == answer
assert service.run(rows, deployment="green") == {"answeredBy": "green"}
assert green.run(rows) == {"answeredBy": "green"}
try:
    service.run(rows, deployment="nosuch")
    raise AssertionError("a request pinned to no deployment was answered")
except WebserviceException as e:
    assert e.status_code == 404, e.message
try:
    service.get_deployment("nosuch")
    raise AssertionError("a deployment that does not exist was found")
except WebserviceException as e:
    assert e.status_code == 404 and "nosuch" in e.server_message, e.message

# Mirror traffic, then the split.
service.set_mirror_traffic({"green": 50})
assert service.mirror_traffic == {"green": 50} and service.get_deployment("green").mirror_traffic_percent == 50
assert service.run(rows) == answer  # mirrored requests are answered by the live deployment
service.set_mirror_traffic({})
assert service.mirror_traffic == {}
service.set_traffic({"green": 100})
assert service.traffic == {"green": 100}, service.traffic
assert Webservice(ws, "sk-svc").traffic == {"green": 100}
assert service.run(rows) == {"answeredBy": "green"}

# An update: limits at once, new code beside the serving one.
green = service.update_deployment("green", scoring_timeout_ms=6000)
assert green.scoring_timeout_ms == 6000
with open(green_script, "w") as f:
    f.write("def init():\n    pass\n\ndef run(raw_data):\n    return {'answeredBy': 'green, updated'}\n")
green.update(inference_config=InferenceConfig(entry_script=green_script, config={"python": python}))
green.wait_for_deployment()
assert green.state == "Healthy" and green.generation == 2, green
assert service.run(rows) == {"answeredBy": "green, updated"}

# Back to default; a deployment with live traffic cannot be deleted.
try:
    green.delete()
    raise AssertionError("a deployment taking all the traffic was deleted")
except WebserviceException as e:
    assert e.status_code == 409, e.message
service.set_traffic({"default": 100})
green.delete()
assert [d.name for d in service.deployments] == ["default"]
assert service.run(rows) == answer

for s in (service, no_model):
    s.delete()
print("DEPLOYMENTS OK")
