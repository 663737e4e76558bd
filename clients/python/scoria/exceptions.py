"""Exceptions, as ``azureml.exceptions`` names them."""


class WebserviceException(Exception):
    """A call to the Scoria server failed, or a deployment did not end Healthy.

    ``message`` is the whole explanation; ``server_message`` is the server's own ``message``
    (its JSON error body), verbatim, when it answered with one; ``status_code`` is the HTTP status,
    or ``None`` when there was no answer.
    """

    def __init__(self, exception_message, status_code=None, server_message=None, logger=None):
        super().__init__(exception_message)
        self.message = exception_message
        self.status_code = status_code
        self.server_message = server_message

    def __str__(self):
        return self.message


class ModelNotFoundException(WebserviceException):
    """No model of that name, id or version."""


class UserErrorException(WebserviceException):
    """A bad argument, detected before anything was sent."""
