import json

import numpy as np


def rows_of(body):
    return np.array(json.loads(body)["data"])
