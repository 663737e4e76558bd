"""An Open Inference Protocol (KServe/Triton "V2") REST client, written from the protocol's specification
and Triton's binary tensor data extension with nothing but requests and the standard library, then a
tour of a server's demo service that prints what it saw, one line per call.

Usage: python3 v2_client.py BASE_URL KEY      (BASE_URL: e.g. http://127.0.0.1:5001, KEY: the service's key)
"""
import json
import struct
import sys

import requests

HEADER_LENGTH = "Inference-Header-Content-Length"
# Little-endian struct codes of the fixed-size datatypes; BYTES elements are a u32 length and the bytes.
FORMATS = {"BOOL": "?", "UINT8": "B", "UINT16": "H", "UINT32": "I", "UINT64": "Q", "INT8": "b", "INT16": "h",
           "INT32": "i", "INT64": "q", "FP16": "e", "FP32": "f", "FP64": "d"}


class InferenceServerError(Exception):
    """A non-2xx answer: its status and the protocol's {"error": message}."""

    def __init__(self, status, error):
        super().__init__("%d %s" % (status, error))
        self.status = status
        self.error = error


class InferInput:
    """One input tensor: a name, shape, datatype and its values flat in row-major order."""

    def __init__(self, name, shape, datatype, values, binary=False):
        self.name, self.shape, self.datatype, self.values, self.binary = name, list(shape), datatype, list(values), binary


def encode(datatype, values):
    if datatype == "BYTES":
        out = b""
        for v in values:
            raw = v.encode("utf-8") if isinstance(v, str) else bytes(v)
            out += struct.pack("<I", len(raw)) + raw
        return out
    return struct.pack("<%d%s" % (len(values), FORMATS[datatype]), *values)


def decode(datatype, raw):
    if datatype == "BYTES":
        values, at = [], 0
        while at < len(raw):
            (n,) = struct.unpack_from("<I", raw, at)
            values.append(raw[at + 4:at + 4 + n].decode("utf-8"))
            at += 4 + n
        return values
    size = struct.calcsize("<" + FORMATS[datatype])
    return list(struct.unpack("<%d%s" % (len(raw) // size, FORMATS[datatype]), raw))


class InferenceClient:
    def __init__(self, url, key=None):
        self.url = url.rstrip("/")
        self.session = requests.Session()
        if key:
            self.session.headers["Authorization"] = "Bearer " + key

    def _get(self, path):
        return self.session.get(self.url + path)

    @staticmethod
    def _model_path(model, version):
        return "/v2/models/" + model + ("/versions/" + version if version else "")

    @staticmethod
    def _checked(response):
        if response.status_code // 100 != 2:
            try:
                error = response.json()["error"]
            except (ValueError, KeyError, TypeError):
                error = "(no error object) " + response.text
            raise InferenceServerError(response.status_code, error)
        return response

    def is_server_live(self):
        return self._get("/v2/health/live").status_code == 200

    def is_server_ready(self):
        return self._get("/v2/health/ready").status_code == 200

    def is_model_ready(self, model, version=None):
        return self._get(self._model_path(model, version) + "/ready").status_code == 200

    def server_metadata(self):
        return self._checked(self._get("/v2")).json()

    def model_metadata(self, model, version=None):
        return self._checked(self._get(self._model_path(model, version))).json()

    def infer(self, model, inputs, outputs=None, binary_outputs=False, request_id=None, version=None):
        """Sends the inputs (binary ones after the JSON header) and answers the response object, with each
        output's values, whether they came as JSON or as binary data, in its "data", flat."""
        request = {"inputs": []}
        if request_id is not None:
            request["id"] = request_id
        binary = b""
        for i in inputs:
            tensor = {"name": i.name, "shape": i.shape, "datatype": i.datatype}
            if i.binary:
                raw = encode(i.datatype, i.values)
                tensor["parameters"] = {"binary_data_size": len(raw)}
                binary += raw
            else:
                tensor["data"] = i.values
            request["inputs"].append(tensor)
        if outputs is not None:
            request["outputs"] = [{"name": name, "parameters": {"binary_data": binary_outputs}} for name in outputs]
        elif binary_outputs:
            request["parameters"] = {"binary_data_output": True}
        header = json.dumps(request).encode("utf-8")
        headers = {"Content-Type": "application/json"}
        if binary:
            headers = {"Content-Type": "application/octet-stream", HEADER_LENGTH: str(len(header))}
        response = self._checked(self.session.post(self.url + self._model_path(model, version) + "/infer",
                                                   data=header + binary, headers=headers))
        return self.read_response(response)

    @staticmethod
    def read_response(response):
        body = response.content
        json_length = int(response.headers.get(HEADER_LENGTH, len(body)))
        answer = json.loads(body[:json_length].decode("utf-8"))
        at = json_length
        for output in answer["outputs"]:
            size = output.get("parameters", {}).get("binary_data_size")
            if size is not None:
                output["data"] = decode(output["datatype"], body[at:at + size])
                output["binary"] = True
                at += size
        if at != len(body):
            raise ValueError("%d bytes of the response are not accounted for" % (len(body) - at))
        return answer


ROWS = [0.0199132141783263, 0.0506801187398187, 0.104808689473925, 0.0700725447072635, -0.0359677812752396,
        -0.0266789028311707, -0.0249926566315915, -0.00259226199818282, 0.00371173823343597, 0.0403433716478807,
        -0.0127796318808497, -0.044641636506989, 0.0606183944448076, 0.0528581912385822, 0.0479653430750293,
        0.0293746718291555, -0.0176293810234174, 0.0343088588777263, 0.0702112981933102, 0.00720651632920303]


def tensors(meta):
    return " ".join("%s:%s:%s" % (t["name"], t["datatype"], t["shape"]) for t in meta)


def main():
    url, key = sys.argv[1], sys.argv[2]
    client = InferenceClient(url, key)
    print("server live:", client.is_server_live())
    print("server ready:", client.is_server_ready())
    server = client.server_metadata()
    print("server:", server["name"], "extensions:", ",".join(server["extensions"]))
    meta = client.model_metadata("myservice")
    print("model:", meta["name"], "versions:", ",".join(meta["versions"]), "platform:", meta["platform"],
          "inputs:", tensors(meta["inputs"]), "outputs:", tensors(meta["outputs"]))
    version = meta["versions"][0]
    print("model ready:", client.is_model_ready("myservice"), "version %s ready:" % version,
          client.is_model_ready("myservice", version))

    answer = client.infer("myservice", [InferInput("input", [2, 10], "FP64", ROWS)], request_id="tour-1")
    output = answer["outputs"][0]
    print("json infer:", answer["model_name"], answer["model_version"], answer["id"], output["name"], output["datatype"],
          output["shape"], repr(output["data"]))

    answer = client.infer("myservice", [InferInput("input", [2, 10], "FP64", ROWS, binary=True)], outputs=["output"],
                          binary_outputs=True, version=version)
    output = answer["outputs"][0]
    print("binary infer:", output["name"], output["datatype"], output["shape"], "binary" if output.get("binary") else "json",
          repr(output["data"]))

    try:
        client.infer("myservice", [InferInput("input", [4, 5], "FP64", ROWS)])
        print("wrong shape: answered 200")
    except InferenceServerError as e:
        print("wrong shape:", e.status, e.error)
    try:
        client.infer("myservice", [InferInput("input", [0, 10], "FP64", [])])
        print("empty batch: answered 200")
    except InferenceServerError as e:
        print("empty batch:", e.status, e.error)
    try:
        InferenceClient(url).infer("myservice", [InferInput("input", [2, 10], "FP64", ROWS)])
        print("no key: answered 200")
    except InferenceServerError as e:
        print("no key:", e.status, e.error)


if __name__ == "__main__":
    main()
