"""``Model`` and ``InferenceConfig``, as ``azureml.core.model`` names them."""
import io
import json
import os
import warnings
import zipfile

from ._http import parse_json, parse_time, segment
from .exceptions import ModelNotFoundException, UserErrorException


def _filter_terms(filters, what):
    """Azure's tag/property filters -- ``["k"]``, ``[["k", "v"]]``, ``{"k": "v"}`` or ``"k=v"`` -- as the
    server's ``k,k2=v`` query value."""
    if filters is None:
        return None
    if isinstance(filters, dict):
        filters = list(filters.items())
    elif isinstance(filters, str):
        filters = [filters]
    terms = []
    for f in filters:
        if isinstance(f, str):
            terms.append(f)
        elif isinstance(f, (list, tuple)) and len(f) == 2:
            terms.append("{}={}".format(f[0], f[1]))
        elif isinstance(f, (list, tuple)) and len(f) == 1:
            terms.append(str(f[0]))
        else:
            raise UserErrorException("{} filter {!r}: expected 'key', ['key', 'value'] or a dict".format(what, f))
    for t in terms:
        if "," in t:
            raise UserErrorException("{} filter {!r}: a tag or property in a filter cannot hold ','".format(what, t))
    return ",".join(terms) if terms else None


def _warn_ignored(names, where, stacklevel=3):
    if names:
        warnings.warn(
            "{}: {} {} no meaning on Scoria and {} ignored".format(
                where, ", ".join(sorted(names)), "has" if len(names) == 1 else "have", "is" if len(names) == 1 else "are"
            ),
            UserWarning,
            stacklevel=stacklevel,
        )


class Model:
    """A registered model, ``name:version``: ``Model(ws, name, version=None)`` (the latest version when
    none is given), ``Model(ws, id='name:3')``, ``Model.register``, ``Model.list``, ``Model.deploy``."""

    class Framework:
        ONNX = "Onnx"
        SCIKITLEARN = "ScikitLearn"
        TENSORFLOW = "TensorFlow"
        PYTORCH = "PyTorch"
        CUSTOM = "Custom"

    def __init__(self, workspace, name=None, id=None, tags=None, properties=None, version=None, run_id=None,
                 model_framework=None, expand=True, **kwargs):
        self.workspace = workspace
        if kwargs.get("_json") is not None:
            self._load(kwargs["_json"])
            return
        if run_id is not None:
            _warn_ignored({"run_id"}, "Model")
        if id is not None:
            if ":" not in id:
                raise UserErrorException("model id {!r}: expected name:version".format(id))
            name, version = id.rsplit(":", 1)
        if name is None:
            raise UserErrorException("Model needs a name or an id")
        t = workspace._transport
        if version is not None:
            what = "getting model {}:{}".format(name, version)
            response = t.request("GET", "/api/v1/models/{}/{}".format(segment(name), segment(version)), what,
                                 ok_statuses=(404,))
            if response.status_code == 404:
                raise ModelNotFoundException(
                    "ModelNotFound: Model with id {}:{} not found in provided workspace".format(name, version),
                    status_code=404, server_message=_message(response))
            self._load(parse_json(response, what))
        else:
            candidates = Model.list(workspace, name=name, tags=tags, properties=properties, latest=True)
            if model_framework is not None:
                candidates = [m for m in candidates if m.model_framework == model_framework]
            if not candidates:
                raise ModelNotFoundException(
                    "ModelNotFound: Model with name {} not found in provided workspace".format(name), status_code=404)
            self._load(candidates[0]._json)

    def _load(self, body):
        self._json = body
        self.name = body["name"]
        self.version = int(body["version"])
        self.id = body.get("id") or "{}:{}".format(self.name, self.version)
        self.description = body.get("description") or ""
        self.tags = dict(body.get("kvTags") or {})
        self.properties = dict(body.get("properties") or {})
        self.model_framework = body.get("framework")
        self.model_framework_version = body.get("frameworkVersion")
        self.sha256 = body.get("sha256")
        self.size = body.get("size")
        self.files = [f.get("path") for f in body.get("files") or []]
        self.created_time = parse_time(body.get("createdTime"))
        self.url = "{}/api/v1/models/{}/{}".format(self.workspace.url, segment(self.name), self.version)

    @classmethod
    def _from_json(cls, workspace, body):
        return cls(workspace, _json=body)

    @staticmethod
    def register(workspace, model_path, model_name, tags=None, properties=None, description=None, datasets=None,
                 model_framework=None, model_framework_version=None, child_paths=None, sample_input_dataset=None,
                 sample_output_dataset=None, resource_configuration=None, **kwargs):
        """Uploads the file or folder at ``model_path`` as the next version of ``model_name``."""
        ignored = {k for k, v in dict(datasets=datasets, sample_input_dataset=sample_input_dataset,
                                      sample_output_dataset=sample_output_dataset,
                                      resource_configuration=resource_configuration, **kwargs).items()
                   if v is not None}
        _warn_ignored(ignored, "Model.register")
        files = _model_files(model_path, child_paths)
        data = {"name": model_name}
        if description is not None:
            data["description"] = description
        if model_framework is not None:
            data["framework"] = model_framework
        if model_framework_version is not None:
            data["frameworkVersion"] = str(model_framework_version)
        if tags:
            data["tags"] = json.dumps({str(k): str(v) for k, v in tags.items()})
        if properties:
            data["properties"] = json.dumps({str(k): str(v) for k, v in properties.items()})
        handles = []
        try:
            parts = []
            for relative, path in files:
                f = open(path, "rb")
                handles.append(f)
                parts.append(("file", (relative, f, "application/octet-stream")))
            what = "registering model '{}'".format(model_name)
            response = workspace._transport.request("POST", "/api/v1/models", what, data=data, files=parts, timeout=None)
        finally:
            for f in handles:
                f.close()
        return Model._from_json(workspace, parse_json(response, what))

    @staticmethod
    def list(workspace, name=None, tags=None, properties=None, run_id=None, latest=False, dataset_id=None,
             expand=True, page_count=255, model_framework=None):
        """Every model (version), or those of ``name`` / with these tags; ``latest=True``: the newest of each name."""
        params = {}
        if name is not None:
            params["name"] = name
        tag_terms = _filter_terms(tags, "tags")
        if tag_terms:
            params["tags"] = tag_terms
        if latest:
            params["latest"] = "true"
        what = "listing models"
        response = workspace._transport.request("GET", "/api/v1/models", what, params=params)
        models = [Model._from_json(workspace, m) for m in parse_json(response, what).get("value", [])]
        if properties:
            wanted = _filter_terms(properties, "properties").split(",")
            models = [m for m in models if all(_matches(m.properties, term) for term in wanted)]
        if model_framework is not None:
            models = [m for m in models if m.model_framework == model_framework]
        return models

    @staticmethod
    def deploy(workspace, name, models, inference_config=None, deployment_config=None, deployment_target=None,
               overwrite=False, show_output=False):
        """Deploys ``models`` as the service ``name``; returns the Webservice at once (``Transitioning``):
        call ``wait_for_deployment``. ``overwrite=True`` updates a service of that name if there is one.
        ``models`` may be empty for an entry script that needs none."""
        from .webservice import Webservice, _DeploymentConfiguration

        if deployment_target is not None:
            _warn_ignored({"deployment_target"}, "Model.deploy")
        models = list(models or [])
        ids = [m.id if isinstance(m, Model) else str(m) for m in models]
        inference = inference_config or InferenceConfig()
        config = deployment_config or _DeploymentConfiguration()
        body = {"name": name, "models": ids}
        body.update(inference._request_fields(workspace, models))
        body.update(config._request_fields())
        t = workspace._transport
        what = "deploying service '{}'".format(name)
        response = t.json("POST", "/api/v1/services", what, body=body, ok_statuses=(409,) if overwrite else None)
        if response.status_code == 409:
            existing = t.request("GET", "/api/v1/services/" + segment(name), what, ok_statuses=(404,))
            if existing.status_code == 404:
                from ._http import raise_for

                raise_for(response, what)
            patch = {k: v for k, v in body.items() if k not in ("name", "inputExample", "outputExample", "swagger")}
            what = "overwriting service '{}'".format(name)
            response = t.json("PATCH", "/api/v1/services/" + segment(name), what, body=patch)
        service = Webservice._from_json(workspace, parse_json(response, what),
                                        operation=response.headers.get("Operation-Location"))
        config._after_deploy(service)
        if show_output:
            service.wait_for_deployment(show_output=True)
        return service

    def delete(self):
        what = "deleting model {}".format(self.id)
        self.workspace._transport.request(
            "DELETE", "/api/v1/models/{}/{}".format(segment(self.name), self.version), what)

    def serialize(self):
        return dict(self._json)

    def __repr__(self):
        return "Model(workspace={!r}, name={}, id={}, version={}, tags={}, properties={})".format(
            self.workspace, self.name, self.id, self.version, self.tags, self.properties)

    def __eq__(self, other):
        return isinstance(other, Model) and other.workspace.url == self.workspace.url and other.id == self.id

    def __hash__(self):
        return hash((self.workspace.url, self.id))


def _message(response):
    from ._http import server_message

    return server_message(response)


def _matches(values, term):
    if "=" in term:
        k, v = term.split("=", 1)
        return values.get(k) == v
    return term in values


def _model_files(model_path, child_paths=None):
    """(name inside the model, file on disk): a file alone, or every file under a folder by relative path."""
    path = os.fspath(model_path)
    if os.path.isfile(path):
        return [(os.path.basename(path), path)]
    if not os.path.isdir(path):
        raise UserErrorException("model path {} does not exist".format(os.path.abspath(path)))
    found = []
    for root, dirs, names in os.walk(path):
        dirs.sort()
        for n in sorted(names):
            full = os.path.join(root, n)
            relative = os.path.relpath(full, path).replace(os.sep, "/")
            if child_paths is None or relative in child_paths:
                found.append((relative, full))
    if not found:
        raise UserErrorException("model directory {} has no files".format(os.path.abspath(path)))
    return sorted(found)


class InferenceConfig:
    """How the service scores: Azure's ``InferenceConfig``. With an ``entry_script`` the service runs in
    Scoria's ``python`` runtime (the script alone, or ``source_directory`` zipped, is uploaded); without,
    in the runtime that serves the models with no code, chosen at deploy from what the server's runtimes
    say they serve (``onnx`` for ``.onnx`` files, ``python``'s built-in script for a ``ScikitLearn``
    model), as ``scoria service deploy`` chooses. ``runtime`` names one explicitly.

    Scoria's own extras: ``config`` (the runtime's settings, e.g. ``{"python": "/opt/env/bin/python",
    "workers": "2"}``), ``input_example`` / ``output_example`` (swagger samples; the input example is
    scored once at deploy) and ``swagger`` (a document to serve instead of the generated one).
    """

    _AZURE_ONLY = ("conda_file", "extra_docker_file_steps", "enable_gpu", "base_image", "base_image_registry",
                   "cuda_version", "environment", "description")

    def __init__(self, entry_script=None, runtime=None, conda_file=None, extra_docker_file_steps=None,
                 source_directory=None, enable_gpu=None, description=None, base_image=None,
                 base_image_registry=None, cuda_version=None, environment=None, config=None, input_example=None,
                 output_example=None, swagger=None):
        given = dict(conda_file=conda_file, extra_docker_file_steps=extra_docker_file_steps, enable_gpu=enable_gpu,
                     base_image=base_image, base_image_registry=base_image_registry, cuda_version=cuda_version,
                     environment=environment, description=description)
        _warn_ignored({k for k, v in given.items() if v is not None}, "InferenceConfig")
        if runtime is not None and runtime.lower() in ("python", "spark-py"):
            runtime = "python"
        if runtime is None and (entry_script or source_directory):
            runtime = "python"
        if runtime == "python" and (entry_script is not None or source_directory is not None):
            if source_directory is not None:
                if not os.path.isdir(source_directory):
                    raise UserErrorException("source_directory {} is not a folder".format(source_directory))
                script = os.path.join(source_directory, entry_script or "score.py")
            else:
                script = entry_script
            if not os.path.isfile(script):
                raise UserErrorException("entry_script {} is not a file".format(os.path.abspath(script)))
        self.entry_script = entry_script
        self.source_directory = source_directory
        self.runtime = runtime
        self.environment = environment
        self.config = dict(config or {})
        self.input_example = input_example
        self.output_example = output_example
        self.swagger = swagger

    def _request_fields(self, workspace, models=None):
        """The deploy request's runtime, code, entry and config (uploading the code); with no runtime named,
        the one that serves ``models`` with no code."""
        fields = {"runtime": self.runtime or _runtime_for(workspace, models or [])}
        if fields["runtime"] == "python" and (self.entry_script is not None or self.source_directory is not None):
            if self.source_directory is not None:
                file_name = (os.path.basename(os.path.abspath(self.source_directory)) or "source") + ".zip"
                content = _zip_folder(self.source_directory)
                fields["entry"] = (self.entry_script or "score.py").replace(os.sep, "/")
            else:
                file_name = os.path.basename(self.entry_script)
                with open(self.entry_script, "rb") as f:
                    content = f.read()
            fields["code"] = upload_code(workspace, file_name, content)
        if self.config:
            fields["config"] = {str(k): str(v) for k, v in self.config.items()}
        for key, value in (("inputExample", self.input_example), ("outputExample", self.output_example),
                           ("swagger", self.swagger)):
            if value is not None:
                fields[key] = json.loads(value) if isinstance(value, str) else value
        return fields

    def _patch_fields(self, workspace, models=None):
        fields = self._request_fields(workspace, models)
        for key in ("inputExample", "outputExample", "swagger"):
            fields.pop(key, None)
        return fields

    def __repr__(self):
        return "InferenceConfig(runtime={!r}, entry_script={!r}, source_directory={!r})".format(
            self.runtime, self.entry_script, self.source_directory)


_SKIPPED = ("__pycache__", ".git")


def _runtime_for(workspace, models):
    """The one runtime the server offers that serves every model with no code: by the model's framework
    (``ScikitLearn`` -> python's built-in script) or its files' extensions (``.onnx`` -> onnx)."""
    if not models:
        raise UserErrorException("nothing to deploy: give models, or an InferenceConfig with an entry_script")
    resolved = [m if isinstance(m, Model) else Model(workspace, id=str(m)) for m in models]
    what = "listing the runtimes"
    offered = parse_json(workspace._transport.request("GET", "/api/v1/runtimes", what), what).get("value", [])

    def serves(runtime, model):
        if model.model_framework in (runtime.get("modelFrameworks") or []):
            return True
        extensions = tuple(runtime.get("modelExtensions") or [])
        return bool(extensions) and any(f.lower().endswith(extensions) for f in model.files)

    matches = [r["name"] for r in offered if all(serves(r, m) for m in resolved)]
    if len(matches) == 1:
        return matches[0]
    described = ", ".join("{} ({}: {})".format(m.id, m.model_framework, ", ".join(m.files)) for m in resolved)
    if not matches:
        raise UserErrorException(
            "no runtime on the server serves {} with no code: give an InferenceConfig with an entry_script, or"
            " name a runtime (InferenceConfig(runtime=...))".format(described))
    raise UserErrorException("runtimes {} all serve {}: name one with InferenceConfig(runtime=...)".format(
        ", ".join(matches), described))


def _zip_folder(folder):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for root, dirs, names in os.walk(folder):
            dirs[:] = sorted(d for d in dirs if d not in _SKIPPED)
            for n in sorted(names):
                full = os.path.join(root, n)
                z.write(full, os.path.relpath(full, folder).replace(os.sep, "/"))
    return buffer.getvalue()


def upload_code(workspace, file_name, content):
    """``POST /api/v1/code``: the server keeps code by its sha256; answers what a deploy's ``code`` names."""
    what = "uploading code {}".format(file_name)
    response = workspace._transport.request(
        "POST", "/api/v1/code", what, files=[("file", (file_name, content, "application/octet-stream"))],
        timeout=None)
    uploaded = parse_json(response, what)
    return {"sha256": uploaded["sha256"], "fileName": uploaded["fileName"]}
