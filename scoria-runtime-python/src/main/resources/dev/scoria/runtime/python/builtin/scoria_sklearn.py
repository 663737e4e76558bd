"""Scoria's built-in entry script: a scikit-learn model deployed with no code, as Azure ML v1 serves a
model registered with model_framework=ScikitLearn.

Request: {"data": [[feature, ...], ...]} (one list of feature values per row), and optionally
"method": "predict_proba" (or "predict_log_proba", "decision_function"; default "predict").
Answer: what the model's method returns for those rows, as a JSON list.

The model is the one pickle/joblib file of the deployed model: SCORIA_MODEL_FILE inside AZUREML_MODEL_DIR.
SCORIA_MODEL_FRAMEWORK_VERSION is the scikit-learn version it was registered with, if one was given;
SCORIA_PYTHON the interpreter as the deployment names it.
"""
import json
import os
import sys

METHODS = ("predict", "predict_proba", "predict_log_proba", "decision_function")

model = None


def _bad_input(message):
    # The worker (run as __main__) answers its BadInput with 400; anything else raised here would be a 502.
    kind = getattr(sys.modules.get("__main__"), "BadInput", ValueError)
    return kind(message)


def _same_release(registered, installed):
    """Whether the installed version is the registered one (1.2 matches 1.2.x)."""
    wanted = registered.split(".")
    return installed.split(".")[: len(wanted)] == wanted


def init():
    global model
    registered = os.environ.get("SCORIA_MODEL_FRAMEWORK_VERSION") or ""
    try:
        import joblib
        import numpy  # noqa: F401 (scikit-learn's own dependency; run() needs it)
        import sklearn
    except ImportError as e:
        named = os.environ.get("SCORIA_PYTHON") or sys.executable
        runs = "" if named == sys.executable else ", which runs " + sys.executable
        raise RuntimeError(
            "scikit-learn is not installed for the interpreter %s%s (%s): install scikit-learn%s there, or deploy"
            " with --python naming an interpreter that has it" % (
                named, runs, e, "==" + registered if registered else "")) from None
    if registered and not _same_release(registered, sklearn.__version__):
        print("warning: the model was registered with scikit-learn %s, the interpreter %s has %s: a model"
              " pickled by another release may load wrongly" % (registered, sys.executable, sklearn.__version__))
    path = os.path.join(os.environ["AZUREML_MODEL_DIR"], os.environ["SCORIA_MODEL_FILE"])
    # joblib.load reads files written by pickle.dump as well as by joblib.dump.
    model = joblib.load(path)
    if not callable(getattr(model, "predict", None)):
        raise TypeError("%s holds a %s.%s, which has no predict(): register a fitted scikit-learn estimator or"
                        " pipeline" % (os.environ["SCORIA_MODEL_FILE"], type(model).__module__,
                                       type(model).__name__))


def run(raw_data):
    import numpy

    try:
        body = json.loads(raw_data)
    except ValueError as e:
        raise _bad_input("the body is not JSON: %s" % e)
    if not isinstance(body, dict) or "data" not in body:
        raise _bad_input('expected a JSON object {"data": [[...], ...]}: one list of feature values per row')
    method = body.get("method", "predict")
    if method not in METHODS or not callable(getattr(model, method, None)):
        offered = [m for m in METHODS if callable(getattr(model, m, None))]
        raise _bad_input("field 'method' is %r: this model offers %s" % (method, ", ".join(offered)))
    try:
        rows = numpy.asarray(body["data"])
    except ValueError as e:
        raise _bad_input("field 'data' is not a table of rows: %s" % e)
    if rows.ndim != 2:
        raise _bad_input("field 'data' must be a list of rows, each a list of feature values; saw %d dimension(s)"
                         % rows.ndim)
    try:
        result = getattr(model, method)(rows)
    except (ValueError, TypeError) as e:
        # Wrong number of features, values that are not numbers: the request's fault, said as the model says it.
        raise _bad_input("field 'data' does not fit the model: %s" % e)
    return result.tolist() if hasattr(result, "tolist") else result
