"""Scoria's Python client, shaped like Azure ML's ``azureml.core``.

A deployment notebook changes its imports and its Workspace line::

    from scoria import Workspace, Model, InferenceConfig, Webservice, AciWebservice, WebserviceException
    ws = Workspace.from_env()          # or Workspace("http://127.0.0.1:5001", admin_token)
"""
from .deployment import Deployment
from .exceptions import ModelNotFoundException, UserErrorException, WebserviceException
from .model import InferenceConfig, Model
from .webservice import AciWebservice, AksWebservice, LocalWebservice, Webservice
from .workspace import Workspace

__version__ = "0.1.0"

__all__ = [
    "AciWebservice",
    "AksWebservice",
    "Deployment",
    "InferenceConfig",
    "LocalWebservice",
    "Model",
    "ModelNotFoundException",
    "UserErrorException",
    "Webservice",
    "WebserviceException",
    "Workspace",
]
