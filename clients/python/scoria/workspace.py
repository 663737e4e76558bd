"""``Workspace``: where the models and services live. Azure names a workspace by subscription, resource
group and name; a Scoria workspace is a server URL and its admin token."""
import os

from ._http import Transport
from .exceptions import UserErrorException


class Workspace:
    """A Scoria server, reached with its admin token.

    ``Workspace(url, token)``; ``token`` defaults to ``SCORIA_TOKEN`` from the environment.
    """

    def __init__(self, url, token=None, session=None):
        if not url:
            raise UserErrorException("Workspace needs the server's URL, e.g. http://127.0.0.1:5001")
        if token is None:
            token = os.environ.get("SCORIA_TOKEN")
        self._url = url.rstrip("/")
        self._transport = Transport(self._url, token, session)

    @classmethod
    def from_env(cls):
        """The workspace named by ``SCORIA_URL`` and ``SCORIA_TOKEN`` (what the ``scoria`` CLI reads)."""
        url = os.environ.get("SCORIA_URL")
        if not url:
            raise UserErrorException("SCORIA_URL is not set: set it to the server's URL, e.g. http://127.0.0.1:5001")
        return cls(url, os.environ.get("SCORIA_TOKEN"))

    @property
    def url(self):
        return self._url

    @property
    def name(self):
        return self._url

    @property
    def models(self):
        """Name to the latest version of each registered model, as Azure's ``Workspace.models``."""
        from .model import Model

        return {m.name: m for m in Model.list(self, latest=True)}

    @property
    def webservices(self):
        """Name to service, as Azure's ``Workspace.webservices``."""
        from .webservice import Webservice

        return {s.name: s for s in Webservice.list(self)}

    def __repr__(self):
        return "Workspace(url={!r})".format(self._url)
