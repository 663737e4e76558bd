# Rotating a key: the other keeps working; set_key keeps a key the clients already have.
import requests

from scoria import Workspace, Webservice, WebserviceException

ws = Workspace.from_env()
service = Webservice(ws, "myservice")
rows = {"data": [[0.0199132141783263, 0.0506801187398187, 0.104808689473925, 0.0700725447072635,
                  -0.0359677812752396, -0.0266789028311707, -0.0249926566315915, -0.00259226199818282,
                  0.00371173823343597, 0.0403433716478807]]}


def status(key):
    return requests.post(service.scoring_uri, json=rows, headers={"Authorization": "Bearer " + key}).status_code


old_primary, old_secondary = service.get_keys()
assert service.run(rows) == [217.67978776218715]  # caches the old primary key
service.regen_key("Primary")
new_primary, secondary = service.get_keys()
assert new_primary != old_primary and secondary == old_secondary
assert status(old_primary) == 401 and status(new_primary) == 200 and status(secondary) == 200
stale = Webservice(ws, "myservice")
stale._keys = (old_primary, old_secondary)
assert stale.run(rows) == [217.67978776218715]  # a 401 fetches the keys again, once

chosen = "k" * 40
service.regen_key("Secondary", set_key=chosen)
assert service.get_keys() == (new_primary, chosen) and status(chosen) == 200

try:
    service.regen_key("primary")
    raise AssertionError("a key type other than Primary/Secondary was accepted")
except WebserviceException as e:
    assert "Primary" in e.message
try:
    service.regen_key("Primary", set_key="short")
    raise AssertionError("a 5-character key was accepted")
except WebserviceException as e:
    print("refused:", e.server_message)
    assert e.status_code == 400 and e.server_message, e
print("REGENERATED")
