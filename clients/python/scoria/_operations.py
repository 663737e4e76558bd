"""Following a deploy, an update's reload or a deployment's creation until it is over."""
import time

from ._http import parse_json


class OperationPoll:
    """Follows the server's operation until it is no longer Running, then the object's own state until it is no
    longer Transitioning (an operation may be gone, 404, once it ended). Iterating yields the state to show at
    each poll, 0.25 s apart; afterwards ``operation_state`` and ``operation_error`` say how the operation ended."""

    def __init__(self, transport, operation, refresh, current_state):
        self._transport = transport
        self._operation = operation
        self._refresh = refresh
        self._current_state = current_state
        self.operation_id = operation.rsplit("/", 1)[-1] if operation else None
        self.operation_state = None
        self.operation_error = None

    def __iter__(self):
        operation = self._operation
        while True:
            if operation is not None:
                what = "polling deployment operation {}".format(self.operation_id)
                response = self._transport.request("GET", operation, what, ok_statuses=(404,))
                if response.status_code == 404:
                    operation = None
                    continue
                op = parse_json(response, what)
                self.operation_state = op.get("state")
                error = op.get("error")
                self.operation_error = error.get("message") if isinstance(error, dict) else None
                if self.operation_state != "Running":
                    operation = None
                    continue
                shown = self.operation_state
            else:
                self._refresh()
                shown = self._current_state()
                if shown != "Transitioning":
                    return
            yield shown
            time.sleep(0.25)
