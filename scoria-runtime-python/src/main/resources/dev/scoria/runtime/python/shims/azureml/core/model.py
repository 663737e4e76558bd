"""`Model.get_model_path` for entry scripts: `from azureml.core.model import Model`.

Inside a deployed service, Azure ML resolves a model name against the models deployed with it, under
AZUREML_MODEL_DIR. This clean-room equivalent does the same against Scoria's layout: one model's files
directly in AZUREML_MODEL_DIR; several models as `<name>/<version>/`. The deployed models are listed in
SCORIA_MODELS (JSON: [{"name", "version", "files"}]).
"""
import json
import os


class Model:
    """Only the part of Azure's Model class a scoring script uses inside a service."""

    @staticmethod
    def get_model_path(model_name, version=None, _workspace=None):
        root = os.environ.get("AZUREML_MODEL_DIR")
        if not root:
            raise ModelNotFoundException("AZUREML_MODEL_DIR is not set: get_model_path works inside a deployed service")
        models = json.loads(os.environ.get("SCORIA_MODELS", "[]"))
        matching = [m for m in models if m["name"] == model_name and (version is None or int(m["version"]) == int(version))]
        if not matching:
            deployed = ", ".join("%s:%s" % (m["name"], m["version"]) for m in models)
            raise ModelNotFoundException("Model %s%s was not deployed with this service (deployed: %s)"
                                         % (model_name, "" if version is None else ":%s" % version, deployed))
        model = max(matching, key=lambda m: int(m["version"]))
        folder = root if len(models) == 1 else os.path.join(root, model["name"], str(model["version"]))
        # A model registered as one file resolves to that file, a folder model to its folder (as on Azure).
        files = model.get("files") or []
        if len(files) == 1 and "/" not in files[0]:
            return os.path.join(folder, files[0])
        return folder


class ModelNotFoundException(Exception):
    """Raised for a model name that is not among the service's models."""
