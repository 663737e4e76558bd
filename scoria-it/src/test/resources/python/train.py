"""Trains the scikit-learn model PythonRuntimeTest deploys: the demo model's recipe (Ridge(alpha=0.4) on
scripts/diabetes.csv, the same 80/20 split as ../shared/models/diabetes-ridge/train.py and
bench/peer/train.py), saved with joblib as <out>/model.pkl. Usage: train.py <diabetes.csv> <out dir>"""
import pathlib
import sys

import joblib
import numpy as np
from sklearn.linear_model import Ridge
from sklearn.model_selection import train_test_split

table = np.loadtxt(sys.argv[1], delimiter=",", skiprows=1)
X, y = table[:, :10], table[:, 10]
X_train, _, y_train, _ = train_test_split(X, y, test_size=0.2, random_state=0)
model = Ridge(alpha=0.4).fit(X_train, y_train)
out = pathlib.Path(sys.argv[2])
out.mkdir(parents=True, exist_ok=True)
joblib.dump(model, out / "model.pkl")
