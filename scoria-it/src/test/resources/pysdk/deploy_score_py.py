# An entry script deployed as Azure deploys one: a lone score.py, then a source_directory with a helper
# module; then update, logs and delete. Env: SCORIA_URL, SCORIA_TOKEN, MODEL_JSON (a linear model's
# coefficients), SCRIPTS (src/test/resources/python).
import math
import os
import shutil
import tempfile

from scoria import InferenceConfig, Model, Webservice, WebserviceException, Workspace
from scoria.webservice import AciWebservice

ws = Workspace.from_env()
scripts = os.environ["SCRIPTS"]
work = tempfile.mkdtemp()
os.makedirs(os.path.join(work, "model"))
shutil.copy(os.environ["MODEL_JSON"], os.path.join(work, "model", "model.json"))
linear = Model.register(ws, os.path.join(work, "model"), "diabetes-linear")
assert linear.files == ["model.json"], linear.files

rows = {"data": [
    [0.0199132141783263, 0.0506801187398187, 0.104808689473925, 0.0700725447072635, -0.0359677812752396,
     -0.0266789028311707, -0.0249926566315915, -0.00259226199818282, 0.00371173823343597, 0.0403433716478807],
    [-0.0127796318808497, -0.044641636506989, 0.0606183944448076, 0.0528581912385822, 0.0479653430750293,
     0.0293746718291555, -0.0176293810234174, 0.0343088588777263, 0.0702112981933102, 0.00720651632920303]]}

# A lone entry script.
inference_config = InferenceConfig(entry_script=os.path.join(scripts, "linear.py"))
assert inference_config.runtime == "python"
deployment_config = AciWebservice.deploy_configuration(auth_enabled=False, description="linear")
service = Model.deploy(ws, "linear", [linear], inference_config, deployment_config)
service.wait_for_deployment(show_output=True)
assert service.state == "Healthy" and service.runtime == "python" and not service.auth_enabled, service.error
answer = service.run(rows)
print("linear", answer)
assert all(math.isclose(a, b, rel_tol=1e-12) for a, b in zip(answer, [217.67978776218715, 224.78937091757172]))

# A source directory (zipped and uploaded) whose entry script imports a module next to it and prints.
src = os.path.join(work, "src")
os.makedirs(os.path.join(src, "pkg"))
with open(os.path.join(src, "pkg", "greeting.py"), "w") as f:
    f.write("def greet(name):\n    return 'hi ' + name\n")
with open(os.path.join(src, "pkg", "score.py"), "w") as f:
    f.write("import json\nfrom greeting import greet\n\n"
            "def init():\n    print('init: source directory ready')\n\n"
            "def run(raw_data):\n    name = json.loads(raw_data)['name']\n"
            "    print('scoring for ' + name)\n    return {'greeting': greet(name)}\n")
shutil.move(os.path.join(src, "pkg", "greeting.py"), os.path.join(src, "greeting.py"))
greeter = Model.deploy(ws, "greeter", [linear],
                       InferenceConfig(entry_script="pkg/score.py", source_directory=src),
                       AciWebservice.deploy_configuration(token_auth_enabled=True))
greeter.wait_for_deployment()
assert greeter.state == "Healthy", greeter.error
assert greeter.run('{"name": "ada"}') == {"greeting": "hi ada"}
logs = greeter.get_logs()
print(logs)
assert "init: source directory ready" in logs and "scoring for ada" in logs, logs
assert len(greeter.get_logs(num_lines=1).splitlines()) == 1

# Update: metadata at once; new models load beside the serving ones (wait_for_deployment follows them).
service.update(description="linear, updated", tags={"stage": "test"}, properties={"owner": "it"},
               auth_enabled=True, scoring_timeout_ms=5000)
assert service.description == "linear, updated" and service.tags == {"stage": "test"}
assert service.properties == {"owner": "it"} and service.auth_enabled and service.scoring_timeout_ms == 5000
assert Webservice(ws, "linear").tags == {"stage": "test"}
assert [s.name for s in Webservice.list(ws, properties=[["owner", "it"]])] == ["linear"]
assert service.run(rows) == answer  # now with the primary key
linear2 = Model.register(ws, os.path.join(work, "model"), "diabetes-linear", tags={"v": "2"})
service.update(models=[linear2])
service.wait_for_deployment(show_output=True)
assert service.state == "Healthy" and [m.id for m in service.models] == ["diabetes-linear:2"]
assert service.run(rows) == answer

# A script that cannot start: the deployment fails with the script's error.
broken = Model.deploy(ws, "broken", [linear], InferenceConfig(entry_script=os.path.join(scripts, "init_fails.py")))
try:
    broken.wait_for_deployment(show_output=True)
    raise AssertionError("a service whose init() raises was Healthy")
except WebserviceException as e:
    print("failed as expected:", e.message)
    assert broken.state == "Failed" and "non-successful terminal state" in e.message
    assert broken.error["message"] in e.message

for s in (greeter, broken):
    s.delete()
try:
    Webservice(ws, "greeter")
    raise AssertionError("a deleted service was found")
except WebserviceException as e:
    assert e.status_code == 404
print("SCRIPTS DEPLOYED")
