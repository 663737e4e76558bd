# Azure's "consume a web service" snippets: connection information, keys, tokens, listing.
import json
from datetime import datetime

import requests

from scoria import Workspace
from scoria.model import Model
from scoria.webservice import Webservice

ws = Workspace.from_env()

service = Webservice(workspace=ws, name="myservice")
print(service.scoring_uri)
print(service.swagger_uri)
assert service.scoring_uri == ws.url + "/api/v1/service/myservice/score", service.scoring_uri
assert service.swagger_uri == ws.url + "/api/v1/service/myservice/swagger.json", service.swagger_uri
assert requests.get(service.swagger_uri).json()["swagger"] == "2.0"
assert service.auth_enabled and not service.token_auth_enabled and service.state == "Healthy"
assert [m.id for m in service.models] == ["diabetes:1"] and service.created_time.year >= 2024

primary, secondary = service.get_keys()
assert primary and secondary and primary != secondary

# What a client outside the SDK does with the connection information.
rows = {"data": [[0.0199132141783263, 0.0506801187398187, 0.104808689473925, 0.0700725447072635,
                  -0.0359677812752396, -0.0266789028311707, -0.0249926566315915, -0.00259226199818282,
                  0.00371173823343597, 0.0403433716478807]]}
headers = {"Content-Type": "application/json", "Authorization": "Bearer " + secondary}
answer = requests.post(service.scoring_uri, data=json.dumps(rows), headers=headers)
assert answer.status_code == 200 and answer.json() == [217.67978776218715], answer.text

tokens = Webservice(ws, "tokenservice")
token, refresh_by = tokens.get_token()
print("token refresh by", refresh_by)
assert isinstance(refresh_by, datetime) and refresh_by > datetime.now()
answer = requests.post(tokens.scoring_uri, data=json.dumps(rows),
                       headers={"Content-Type": "application/json", "Authorization": "Bearer " + token})
assert answer.status_code == 200, answer.text
assert tokens.run(rows) == [217.67978776218715]

names = sorted(s.name for s in Webservice.list(ws))
assert names == ["myservice", "tokenservice"], names
assert [s.name for s in Webservice.list(ws, tags=[["team", "a"]])] == ["myservice"]
assert [s.name for s in Webservice.list(ws, tags=["team"])] == ["myservice"]
assert sorted(s.name for s in Webservice.list(ws, model_name="diabetes")) == names
assert sorted(s.name for s in Webservice.list(ws, model_id="diabetes:1")) == names
assert Webservice.list(ws, model_name="other") == []
assert sorted(ws.webservices) == names

assert [m.id for m in Model.list(ws, name="diabetes")] == ["diabetes:1"]
assert [m.id for m in Model.list(ws, tags=[["area", "diabetes"]])] == ["diabetes:1"]
assert Model.list(ws, tags=[["area", "other"]]) == []
assert Model(ws, "diabetes").version == 1 and Model(ws, id="diabetes:1").description == "Ridge on the diabetes set"
print("CONNECTED")
