"""Deployments within a service: blue/green rollouts behind one scoring URI.

Azure ML v1's ``Webservice`` has one model set per service; Scoria's services hold one or more named
deployments (``default`` for a service made the simple way), with a traffic split, a mirror share and
the ``azureml-model-deployment`` header pinning a request to one, as Azure's managed online endpoints
(``endpoint.traffic = {"blue": 90, "green": 10}``, ``endpoint.mirror_traffic``, ``deployment_name=``).
``Webservice.deployments``, ``create_deployment``, ``set_traffic`` and friends return the objects here.
"""
import sys
import time

from ._http import parse_json, parse_time, segment
from ._operations import OperationPoll
from .exceptions import UserErrorException, WebserviceException

# What a deployment takes from a deployment configuration: its limits and batching. Auth, CORS, tags,
# properties and description belong to the whole service (Webservice.update).
_DEPLOYMENT_FIELDS = ("scoringTimeoutMs", "maxConcurrentRequestsPerContainer", "maxQueueWaitMs", "maxBatchSize",
                      "maxBatchDelayMicros")


def deployment_fields(config, where):
    """The deployment configuration's limits, refusing the service-wide settings it sets."""
    fields = config._request_fields() if config is not None else {}
    service_wide = sorted(k for k in fields if k not in _DEPLOYMENT_FIELDS)
    if service_wide or getattr(config, "primary_key", None) or getattr(config, "secondary_key", None):
        raise UserErrorException(
            "{}: {} belong to the whole service, not one deployment: change them with Webservice.update".format(
                where, ", ".join(service_wide + [k for k in ("primary_key", "secondary_key")
                                                  if getattr(config, k, None)])))
    return fields


def model_ids(models):
    from .model import Model

    return [m.id if isinstance(m, Model) else str(m) for m in models]


class Deployment:
    """One deployment of a service: what it loads (models, runtime, code), its limits, its share of the
    traffic and its state. Get them from ``service.deployments`` or ``service.get_deployment(name)``."""

    def __init__(self, service, body, operation=None):
        self.service = service
        self.workspace = service.workspace
        self._operation = operation
        self._load(body)

    def _path(self):
        return self.service._path("/deployments/" + segment(self.name))

    def _load(self, body):
        self._json = body
        self.name = body["name"]
        self.service_name = body.get("serviceName") or self.service.name
        self.state = body.get("state")
        self.error = body.get("error")
        self.traffic_percent = body.get("trafficPercent", 0)
        self.mirror_traffic_percent = body.get("mirrorTrafficPercent", 0)
        self.primary = bool(body.get("primary"))
        self.model_ids = [m.get("id") for m in body.get("models") or []]
        self.runtime = body.get("runtime")
        self.entry = body.get("entry")
        self.config = dict(body.get("config") or {})
        self.scoring_timeout_ms = body.get("scoringTimeoutMs")
        self.replica_max_concurrent_requests = body.get("maxConcurrentRequestsPerContainer")
        self.max_request_wait_time = body.get("maxQueueWaitMs")
        self.max_batch_size = body.get("maxBatchSize")
        self.max_batch_delay_micros = body.get("maxBatchDelayMicros")
        self.generation = body.get("generation")
        self.created_time = parse_time(body.get("createdTime"))

    @property
    def models(self):
        """The deployment's models, as Model objects (fetched on each use)."""
        from .model import Model

        return [Model(self.workspace, id=i) for i in self.model_ids]

    def refresh(self):
        """Fetches the deployment again."""
        what = "getting deployment '{}' of service '{}'".format(self.name, self.service.name)
        self._load(parse_json(self.workspace._transport.request("GET", self._path(), what), what))

    update_deployment_state = refresh

    def serialize(self):
        return dict(self._json)

    def run(self, input_data):
        """Scores with this deployment, whatever its share of the traffic (the ``azureml-model-deployment``
        header)."""
        return self.service.run(input_data, deployment=self.name)

    def update(self, models=None, inference_config=None, scoring_timeout_ms=None,
               replica_max_concurrent_requests=None, max_request_wait_time=None, max_batch_size=None,
               max_batch_delay_micros=None):
        """Changes this deployment (``PATCH``): limits at once; new models or code load beside what serves it
        and swap in when ready (``wait_for_deployment`` follows them)."""
        return self.service.update_deployment(
            self.name, models=models, inference_config=inference_config, scoring_timeout_ms=scoring_timeout_ms,
            replica_max_concurrent_requests=replica_max_concurrent_requests,
            max_request_wait_time=max_request_wait_time, max_batch_size=max_batch_size,
            max_batch_delay_micros=max_batch_delay_micros, _deployment=self)

    def delete(self):
        """Removes the deployment; refused (409) while it takes live traffic or is the service's last."""
        self.service.delete_deployment(self.name)
        self.state = "Deleted"

    def wait_for_deployment(self, show_output=False, timeout_sec=None):
        """Waits until this deployment's create or reload is over; raises WebserviceException if it failed or
        ``timeout_sec`` passed. Prints Azure-style progress with ``show_output=True``."""
        out = sys.stdout if show_output else None
        deadline = None if timeout_sec is None else time.monotonic() + timeout_sec
        poll = OperationPoll(self.workspace._transport, self._operation, self.refresh, lambda: self.state)
        last = None
        for shown in poll:
            if out is not None:
                out.write(shown + "\n" if shown != last else ".")
                out.flush()
            last = shown
            if deadline is not None and time.monotonic() > deadline:
                raise WebserviceException(
                    "waited {} s for deployment '{}' of service '{}'; it is still {}. Call wait_for_deployment "
                    "again to keep waiting.".format(timeout_sec, self.name, self.service.name, shown))
        self._operation = None
        if out is not None:
            out.write("\nDeployment {}/{}: {}\n".format(self.service.name, self.name, self.state))
            out.flush()
        if poll.operation_state == "Failed" or self.state == "Failed":
            message = self.error.get("message") if isinstance(self.error, dict) else None
            message = message or poll.operation_error or "the server gave no reason"
            raise WebserviceException(
                "Deployment '{}' of service '{}' reached non-successful terminal state {}{}. Error: {}".format(
                    self.name, self.service.name, self.state,
                    ", operation ID " + poll.operation_id if poll.operation_id else "", message),
                server_message=message)
        return self.state

    def __repr__(self):
        return "Deployment(service={}, name={}, state={}, traffic_percent={}, models={})".format(
            self.service.name, self.name, self.state, self.traffic_percent, self.model_ids)
