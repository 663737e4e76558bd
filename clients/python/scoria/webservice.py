"""``Webservice`` and the deployment configurations, as ``azureml.core.webservice`` names them."""
import json
import sys
import time
from datetime import datetime

import requests

from ._http import parse_json, parse_time, segment, server_message
from ._operations import OperationPoll
from .deployment import Deployment, deployment_fields, model_ids
from .exceptions import UserErrorException, WebserviceException
from .model import InferenceConfig, Model, _filter_terms, _warn_ignored

_KEY_TYPES = ("Primary", "Secondary")

# Pins a scoring request to one deployment of the service, as Azure's online endpoints take it.
DEPLOYMENT_HEADER = "azureml-model-deployment"

# Azure knobs with no meaning on Scoria: accepted, ignored with a warning.
_AZURE_ONLY = (
    "cpu_cores", "memory_gb", "gpu_cores", "cpu_cores_limit", "memory_gb_limit", "location", "ssl_enabled",
    "ssl_cert_pem_file", "ssl_key_pem_file", "ssl_cname", "dns_name_label", "enable_app_insights",
    "collect_model_data", "cmk_vault_base_url", "cmk_key_name", "cmk_key_version", "vnet_name", "subnet_name",
    "autoscale_enabled", "autoscale_min_replicas", "autoscale_max_replicas", "autoscale_refresh_seconds",
    "autoscale_target_utilization", "num_replicas", "period_seconds", "initial_delay_seconds", "timeout_seconds",
    "success_threshold", "failure_threshold", "namespace", "compute_target_name", "blobfuse_enabled", "port",
    "image", "is_migration", "enable_ssl",
)


def _auth_mode(auth_enabled, token_auth_enabled):
    """Azure's two booleans as Scoria's ``authMode``; None leaves it to the server (key) or as it is."""
    if token_auth_enabled and auth_enabled:
        raise UserErrorException("Cannot enable both key auth and token auth: choose auth_enabled or token_auth_enabled")
    if token_auth_enabled:
        return "token"
    if auth_enabled is True:
        return "key"
    if auth_enabled is False:
        return "none"
    if token_auth_enabled is False:
        return None
    return None


def _settings(auth_enabled=None, token_auth_enabled=None, scoring_timeout_ms=None,
              replica_max_concurrent_requests=None, max_request_wait_time=None, tags=None, properties=None,
              description=None, cors_origins=None, max_batch_size=None, max_batch_delay_micros=None):
    """Azure's parameter names as the management API's fields (only those given)."""
    fields = {}
    mode = _auth_mode(auth_enabled, token_auth_enabled)
    if mode is not None:
        fields["authMode"] = mode
    for key, value in (("scoringTimeoutMs", scoring_timeout_ms),
                       ("maxConcurrentRequestsPerContainer", replica_max_concurrent_requests),
                       ("maxQueueWaitMs", max_request_wait_time),
                       ("maxBatchSize", max_batch_size),
                       ("maxBatchDelayMicros", max_batch_delay_micros)):
        if value is not None:
            if isinstance(value, bool) or not isinstance(value, int) or value < (0 if key == "maxBatchDelayMicros" else 1):
                raise UserErrorException("{} is {!r}: expected a whole number greater than 0".format(key, value))
            fields[key] = value
    if tags is not None:
        fields["kvTags"] = {str(k): str(v) for k, v in tags.items()}
    if properties is not None:
        fields["properties"] = {str(k): str(v) for k, v in properties.items()}
    if description is not None:
        fields["description"] = description
    if cors_origins is not None:
        fields["corsOrigins"] = list(cors_origins)
    return fields


class _DeploymentConfiguration:
    """What ``*.deploy_configuration(...)`` returns: the service's auth, limits and metadata."""

    def __init__(self, primary_key=None, secondary_key=None, **settings):
        self._fields = _settings(**settings)
        self.primary_key = primary_key
        self.secondary_key = secondary_key

    def _request_fields(self):
        return dict(self._fields)

    def _after_deploy(self, service):
        # Azure's primary_key/secondary_key: the service keeps the keys its clients already have.
        if self.primary_key is not None:
            service.regen_key("Primary", set_key=self.primary_key)
        if self.secondary_key is not None:
            service.regen_key("Secondary", set_key=self.secondary_key)

    def __repr__(self):
        return "DeploymentConfiguration({})".format(self._fields)


def _deploy_configuration(where, kwargs):
    known = ("auth_enabled", "token_auth_enabled", "scoring_timeout_ms", "replica_max_concurrent_requests",
             "max_request_wait_time", "tags", "properties", "description", "primary_key", "secondary_key",
             "cors_origins", "max_batch_size", "max_batch_delay_micros")
    unknown = [k for k in kwargs if k not in known and k not in _AZURE_ONLY]
    if unknown:
        raise TypeError("{}() got unexpected keyword argument(s) {}".format(where, ", ".join(sorted(unknown))))
    _warn_ignored({k for k in kwargs if k in _AZURE_ONLY and kwargs[k] is not None}, where, stacklevel=4)
    return _DeploymentConfiguration(**{k: v for k, v in kwargs.items() if k in known})


class Webservice:
    """A deployed service: ``Webservice(ws, name)``; raises WebserviceException when there is none."""

    def __init__(self, workspace, name=None, **kwargs):
        self.workspace = workspace
        self._operation = None
        self._keys = None
        self._token = None
        self._models = None
        if kwargs.get("_json") is not None:
            self._load(kwargs["_json"])
            self._operation = kwargs.get("_operation")
            return
        if name is None:
            raise UserErrorException("Webservice needs a name")
        self.name = name
        self._refresh()

    @classmethod
    def _from_json(cls, workspace, body, operation=None):
        return cls(workspace, _json=body, _operation=operation)

    def _path(self, suffix=""):
        return "/api/v1/services/" + segment(self.name) + suffix

    def _refresh(self):
        what = "getting service '{}'".format(self.name)
        response = self.workspace._transport.request("GET", self._path(), what, ok_statuses=(404,))
        if response.status_code == 404:
            message = server_message(response) or "service '{}' does not exist".format(self.name)
            raise WebserviceException(
                "WebserviceNotFound: Webservice with name {} not found in provided workspace: {}".format(
                    self.name, message),
                status_code=404, server_message=message)
        self._load(parse_json(response, what))

    def update_deployment_state(self):
        """Fetches the service again (Azure's name)."""
        self._refresh()

    def _load(self, body):
        self._json = body
        self.name = body["name"]
        self.description = body.get("description") or ""
        self.tags = dict(body.get("kvTags") or {})
        self.properties = dict(body.get("properties") or {})
        self.state = body.get("state")
        self.error = body.get("error")
        self.created_time = parse_time(body.get("createdTime"))
        self.updated_time = parse_time(body.get("updatedTime"))
        self.compute_type = body.get("computeType", "Scoria")
        self.scoring_uri = body.get("scoringUri")
        self.swagger_uri = body.get("swaggerUri")
        self.auth_mode = body.get("authMode")
        self.auth_enabled = bool(body.get("authEnabled"))
        self.token_auth_enabled = bool(body.get("tokenAuthEnabled"))
        self.runtime = body.get("runtime")
        self.scoring_timeout_ms = body.get("scoringTimeoutMs")
        self.replica_max_concurrent_requests = body.get("maxConcurrentRequestsPerContainer")
        self.max_request_wait_time = body.get("maxQueueWaitMs")
        self.model_ids = [m.get("id") for m in body.get("models") or []]
        self.traffic = dict(body.get("traffic") or {})
        self.mirror_traffic = dict(body.get("mirrorTraffic") or {})
        self._models = None

    @property
    def models(self):
        """The deployed models, as Model objects (fetched on first use)."""
        if self._models is None:
            self._models = [Model(self.workspace, id=i) for i in self.model_ids]
        return self._models

    def serialize(self):
        return dict(self._json)

    # ---- connection information

    def get_keys(self):
        """``(primary, secondary)``."""
        what = "getting the keys of service '{}'".format(self.name)
        body = parse_json(self.workspace._transport.request("POST", self._path("/listkeys"), what), what)
        self._keys = (body.get("primaryKey"), body.get("secondaryKey"))
        return self._keys

    def regen_key(self, key, set_key=None):
        """Makes a new ``'Primary'`` or ``'Secondary'`` key, or sets it to ``set_key``; the other keeps working."""
        if key not in _KEY_TYPES:
            raise UserErrorException("Error, key must be one of 'Primary' or 'Secondary', not {!r}".format(key))
        what = "regenerating the {} key of service '{}'".format(key.lower(), self.name)
        body = parse_json(self.workspace._transport.json(
            "POST", self._path("/regenerateKeys"), what, body={"keyType": key, "keyValue": set_key}), what)
        if "primaryKey" in body:
            self._keys = (body.get("primaryKey"), body.get("secondaryKey"))
        else:
            self._keys = None

    def get_token(self):
        """``(token, refresh_by)`` for a token-auth service; ``refresh_by`` a (local, naive) datetime as Azure's."""
        what = "getting an access token for service '{}'".format(self.name)
        body = parse_json(self.workspace._transport.request("POST", self._path("/token"), what), what)
        refresh_by = datetime.fromtimestamp(int(body["refreshAfter"]))
        self._token = (body["accessToken"], refresh_by)
        return self._token

    def get_access_token(self):
        """An object with ``access_token``, ``token_type``, ``refresh_after``, ``expiry_on`` (epoch seconds)."""
        what = "getting an access token for service '{}'".format(self.name)
        body = parse_json(self.workspace._transport.request("POST", self._path("/token"), what), what)

        class AccessToken:
            access_token = body["accessToken"]
            token_type = body.get("tokenType", "Bearer")
            refresh_after = body.get("refreshAfter")
            expiry_on = body.get("expiryOn")

        return AccessToken()

    # ---- scoring

    def _credential(self, fresh=False):
        if self.token_auth_enabled:
            if fresh or self._token is None or datetime.now() >= self._token[1]:
                self.get_token()
            return self._token[0]
        if self.auth_enabled:
            if fresh or self._keys is None:
                self.get_keys()
            return self._keys[0]
        return None

    def run(self, input_data, deployment=None):
        """Scores ``input_data`` (JSON text, or an object sent as JSON); returns the parsed answer.
        ``deployment`` pins the request to that deployment of the service, whatever its share of the traffic
        (the ``azureml-model-deployment`` header)."""
        if self.scoring_uri is None:
            raise WebserviceException("service '{}' has no scoring URI".format(self.name))
        data = input_data if isinstance(input_data, (str, bytes)) else json.dumps(input_data)
        response = self._score(data, self._credential(), deployment)
        if response.status_code == 401 and (self.auth_enabled or self.token_auth_enabled):
            # The key was regenerated, or the token expired: fetch it again, once.
            response = self._score(data, self._credential(fresh=True), deployment)
        if response.status_code != 200:
            message = server_message(response)
            raise WebserviceException(
                "Received bad response from service. More information can be found by calling `.get_logs()` on "
                "the webservice object.\nResponse Code: {}\nHeaders: {}\nContent: {}".format(
                    response.status_code, dict(response.headers), response.content),
                status_code=response.status_code, server_message=message)
        try:
            return response.json()
        except ValueError:
            return response.text

    def _score(self, data, credential, deployment=None):
        headers = {"Content-Type": "application/json"}
        if credential:
            headers["Authorization"] = "Bearer " + credential
        if deployment is not None:
            headers[DEPLOYMENT_HEADER] = deployment
        try:
            return self.workspace._transport.session.post(self.scoring_uri, data=data, headers=headers)
        except requests.RequestException as e:
            raise WebserviceException("scoring with service '{}' failed: {}".format(self.name, e)) from e

    # ---- lifecycle

    def wait_for_deployment(self, show_output=False, timeout_sec=None):
        """Waits until the deployment (or the reload after an update) is over; raises WebserviceException if it
        failed or ``timeout_sec`` passed."""
        out = sys.stdout if show_output else None
        deadline = None if timeout_sec is None else time.monotonic() + timeout_sec
        poll = OperationPoll(self.workspace._transport, self._operation, self._refresh, lambda: self.state)
        last_shown = None
        dots = False
        for shown in poll:
            if out is not None:
                if shown != last_shown:
                    if dots:
                        out.write("\n")
                        dots = False
                    out.write(shown + "\n")
                else:
                    out.write(".")
                    dots = True
                out.flush()
            last_shown = shown
            if deadline is not None and time.monotonic() > deadline:
                if dots:
                    out.write("\n")
                raise WebserviceException(
                    "waited {} s for service '{}' to deploy; it is still {}{}. Call wait_for_deployment again to "
                    "keep waiting.".format(timeout_sec, self.name, shown,
                                           " (operation {})".format(poll.operation_id) if poll.operation_id else ""))
        self._operation = None
        failed = poll.operation_state == "Failed" or self.state == "Failed"
        if out is not None:
            if dots:
                out.write("\n")
            if poll.operation_state is not None:
                out.write(poll.operation_state + "\n")
                out.write('Scoria service creation operation finished, operation "{}"\n'.format(poll.operation_state))
            out.write("Service {}: {}\n".format(self.name, self.state))
            out.flush()
        if failed:
            message = (self.error or {}).get("message") if isinstance(self.error, dict) else None
            message = message or poll.operation_error or "the server gave no reason"
            if out is not None:
                out.write("Service {} was not deployed: {}\nMore information may be in service.get_logs().\n".format(
                    self.name, message))
            raise WebserviceException(
                "Service deployment polling reached non-successful terminal state, current service state: {}{}. "
                "Error: {}".format(self.state, ". Operation ID: " + poll.operation_id if poll.operation_id else "", message),
                server_message=message)

    def update(self, models=None, inference_config=None, description=None, tags=None, properties=None,
               auth_enabled=None, token_auth_enabled=None, scoring_timeout_ms=None,
               replica_max_concurrent_requests=None, max_request_wait_time=None, cors_origins=None,
               max_batch_size=None, max_batch_delay_micros=None, **kwargs):
        """Changes the service (``PATCH``). New ``models`` or ``inference_config`` load beside what serves and
        are swapped in when ready: call ``wait_for_deployment`` to follow them."""
        unknown = [k for k in kwargs if k not in _AZURE_ONLY and k not in ("add_tags", "remove_tags",
                                                                             "add_properties")]
        if unknown:
            raise TypeError("update() got unexpected keyword argument(s) {}".format(", ".join(sorted(unknown))))
        _warn_ignored({k for k in kwargs if k in _AZURE_ONLY and kwargs[k] is not None}, "Webservice.update")
        if kwargs.get("add_tags"):
            tags = dict(self.tags if tags is None else tags, **kwargs["add_tags"])
        if kwargs.get("remove_tags"):
            tags = {k: v for k, v in (self.tags if tags is None else tags).items() if k not in kwargs["remove_tags"]}
        if kwargs.get("add_properties"):
            properties = dict(self.properties if properties is None else properties, **kwargs["add_properties"])
        body = _settings(auth_enabled=auth_enabled, token_auth_enabled=token_auth_enabled,
                         scoring_timeout_ms=scoring_timeout_ms,
                         replica_max_concurrent_requests=replica_max_concurrent_requests,
                         max_request_wait_time=max_request_wait_time, tags=tags, properties=properties,
                         description=description, cors_origins=cors_origins, max_batch_size=max_batch_size,
                         max_batch_delay_micros=max_batch_delay_micros)
        if models is not None:
            body["models"] = [m.id if isinstance(m, Model) else str(m) for m in models]
        if inference_config is not None:
            body.update(inference_config._patch_fields(
                self.workspace, models if models is not None else self.model_ids))
        if not body:
            return
        what = "updating service '{}'".format(self.name)
        response = self.workspace._transport.json("PATCH", self._path(), what, body=body)
        self._load(parse_json(response, what))
        self._operation = response.headers.get("Operation-Location")
        self._keys = None
        self._token = None

    # ---- deployments within the service (blue/green rollouts)

    @property
    def deployments(self):
        """The service's deployments (``default`` for a service made the simple way), fetched on each use."""
        what = "listing the deployments of service '{}'".format(self.name)
        body = parse_json(self.workspace._transport.request("GET", self._path("/deployments"), what), what)
        return [Deployment(self, d) for d in body.get("value", [])]

    def get_deployment(self, name):
        """One deployment; WebserviceException (404) when the service has none of that name."""
        what = "getting deployment '{}' of service '{}'".format(name, self.name)
        response = self.workspace._transport.request("GET", self._path("/deployments/" + segment(name)), what)
        return Deployment(self, parse_json(response, what))

    def create_deployment(self, name, models, inference_config=None, deployment_config=None, show_output=False):
        """Adds deployment ``name`` beside the serving ones; it takes no traffic until ``set_traffic`` gives it
        some, but answers requests pinned to it (``run(..., deployment=name)``) once Healthy. Returns it at
        once (``Transitioning``): call its ``wait_for_deployment``. ``deployment_config`` sets its limits
        (``scoring_timeout_ms``, ``replica_max_concurrent_requests``, ...); auth, tags and the like belong to
        the whole service and are refused."""
        models = list(models or [])
        body = {"name": name, "models": model_ids(models)}
        body.update(deployment_fields(deployment_config, "create_deployment"))
        body.update((inference_config or InferenceConfig())._request_fields(self.workspace, models))
        what = "creating deployment '{}' of service '{}'".format(name, self.name)
        response = self.workspace._transport.json("POST", self._path("/deployments"), what, body=body)
        created = Deployment(self, parse_json(response, what), operation=response.headers.get("Operation-Location"))
        if show_output:
            created.wait_for_deployment(show_output=True)
        return created

    def update_deployment(self, name, models=None, inference_config=None, scoring_timeout_ms=None,
                          replica_max_concurrent_requests=None, max_request_wait_time=None, max_batch_size=None,
                          max_batch_delay_micros=None, _deployment=None):
        """Changes deployment ``name`` (``PATCH``): limits at once; new ``models`` or code load beside what
        serves it and swap in when ready (the returned Deployment's ``wait_for_deployment`` follows them)."""
        body = _settings(scoring_timeout_ms=scoring_timeout_ms,
                         replica_max_concurrent_requests=replica_max_concurrent_requests,
                         max_request_wait_time=max_request_wait_time, max_batch_size=max_batch_size,
                         max_batch_delay_micros=max_batch_delay_micros)
        if models is not None:
            body["models"] = model_ids(models)
        if inference_config is not None:
            current = _deployment or self.get_deployment(name)
            body.update(inference_config._patch_fields(
                self.workspace, list(models) if models is not None else current.model_ids))
        if not body:
            raise UserErrorException("update_deployment: nothing to change (give models, inference_config or a"
                                     " limit)")
        what = "updating deployment '{}' of service '{}'".format(name, self.name)
        response = self.workspace._transport.json(
            "PATCH", self._path("/deployments/" + segment(name)), what, body=body)
        operation = response.headers.get("Operation-Location")
        if _deployment is not None:
            _deployment._load(parse_json(response, what))
            _deployment._operation = operation
            return _deployment
        return Deployment(self, parse_json(response, what), operation=operation)

    def delete_deployment(self, name):
        """Removes deployment ``name``; refused (409) while it takes live traffic or is the service's last."""
        what = "deleting deployment '{}' of service '{}'".format(name, self.name)
        self.workspace._transport.request("DELETE", self._path("/deployments/" + segment(name)), what)

    def set_traffic(self, traffic):
        """The live split, e.g. ``{"default": 90, "green": 10}`` (whole percents summing to 100; a deployment
        left out gets none). Applies at once; ``service.traffic`` shows it."""
        self._put_split("/traffic", traffic, "setting the traffic of service '{}'".format(self.name))

    def set_mirror_traffic(self, mirror_traffic):
        """Copies a share of live requests to one deployment, e.g. ``{"green": 10}``, without answering from
        it; ``{}`` stops mirroring. ``service.mirror_traffic`` shows it."""
        self._put_split("/mirror", mirror_traffic, "setting the mirror traffic of service '{}'".format(self.name))

    def _put_split(self, suffix, shares, what):
        if not isinstance(shares, dict):
            raise UserErrorException("{}: expected a dict of deployment name to percent, e.g. {{'green': 10}}, "
                                     "not {!r}".format(what, shares))
        response = self.workspace._transport.json("PUT", self._path(suffix), what, body=dict(shares))
        self._load(parse_json(response, what))

    def delete(self):
        what = "deleting service '{}'".format(self.name)
        self.workspace._transport.request("DELETE", self._path(), what)
        self.state = "Deleted"

    def get_logs(self, num_lines=5000, init=False):
        """The last ``num_lines`` lines of the service's logs (its code's output, load errors)."""
        what = "getting the logs of service '{}'".format(self.name)
        response = self.workspace._transport.request("GET", self._path("/logs"), what, params={"tail": num_lines})
        return parse_json(response, what).get("content", "")

    @staticmethod
    def list(workspace, compute_type=None, image_name=None, image_id=None, model_name=None, model_id=None,
             tags=None, properties=None, image_digest=None):
        """Every service, or those serving ``model_name`` / ``model_id`` (``name:version``) / with these
        tags (``['k', ['k2', 'v']]``) / properties (``[['k', 'v']]``)."""
        _warn_ignored({k for k, v in dict(image_name=image_name, image_id=image_id,
                                          image_digest=image_digest).items() if v is not None}, "Webservice.list")
        params = {}
        if model_name is not None:
            params["modelName"] = model_name
        if model_id is not None:
            params["modelId"] = model_id
        tag_terms = _filter_terms(tags, "tags")
        if tag_terms:
            params["tags"] = tag_terms
        property_terms = _filter_terms(properties, "properties")
        if property_terms:
            params["properties"] = property_terms
        what = "listing services"
        response = workspace._transport.request("GET", "/api/v1/services", what, params=params)
        services = [Webservice._from_json(workspace, s) for s in parse_json(response, what).get("value", [])]
        if compute_type is not None:
            services = [s for s in services if s.compute_type.lower() == str(compute_type).lower()]
        return services

    @staticmethod
    def deploy_configuration(**kwargs):
        return _deploy_configuration("Webservice.deploy_configuration", kwargs)

    def __repr__(self):
        return "{}(workspace={!r}, name={}, state={}, scoring_uri={})".format(
            type(self).__name__, self.workspace, self.name, self.state, self.scoring_uri)


class AciWebservice(Webservice):
    """Azure Container Instances' name for a service; on Scoria the same as any Webservice."""

    @staticmethod
    def deploy_configuration(cpu_cores=None, memory_gb=None, tags=None, properties=None, description=None,
                             location=None, auth_enabled=None, ssl_enabled=None, enable_app_insights=None,
                             ssl_cert_pem_file=None, ssl_key_pem_file=None, ssl_cname=None, dns_name_label=None,
                             primary_key=None, secondary_key=None, collect_model_data=None,
                             cmk_vault_base_url=None, cmk_key_name=None, cmk_key_version=None, vnet_name=None,
                             subnet_name=None, token_auth_enabled=None, scoring_timeout_ms=None,
                             replica_max_concurrent_requests=None, max_request_wait_time=None, **kwargs):
        args = dict(locals())
        args.pop("kwargs")
        args.update(kwargs)
        return _deploy_configuration("AciWebservice.deploy_configuration", args)


class AksWebservice(Webservice):
    """Azure Kubernetes Service's name for a service; on Scoria the same as any Webservice."""

    @staticmethod
    def deploy_configuration(autoscale_enabled=None, autoscale_min_replicas=None, autoscale_max_replicas=None,
                             autoscale_refresh_seconds=None, autoscale_target_utilization=None,
                             collect_model_data=None, auth_enabled=None, cpu_cores=None, memory_gb=None,
                             enable_app_insights=None, scoring_timeout_ms=None, replica_max_concurrent_requests=None,
                             max_request_wait_time=None, num_replicas=None, primary_key=None, secondary_key=None,
                             tags=None, properties=None, description=None, gpu_cores=None, period_seconds=None,
                             initial_delay_seconds=None, timeout_seconds=None, success_threshold=None,
                             failure_threshold=None, namespace=None, token_auth_enabled=None,
                             compute_target_name=None, cpu_cores_limit=None, memory_gb_limit=None,
                             blobfuse_enabled=None, **kwargs):
        args = dict(locals())
        args.pop("kwargs")
        args.update(kwargs)
        return _deploy_configuration("AksWebservice.deploy_configuration", args)


class LocalWebservice(Webservice):
    """Azure's local (Docker) service; on Scoria the same as any Webservice, on the server's port."""

    @staticmethod
    def deploy_configuration(port=None, **kwargs):
        args = dict(kwargs)
        args["port"] = port
        return _deploy_configuration("LocalWebservice.deploy_configuration", args)
