"""Trains the peer's model exactly as the demo model was made (Ridge(alpha=0.4), same split) and saves it with joblib."""
import pathlib
import sys

import joblib
import numpy as np
from sklearn.linear_model import Ridge
from sklearn.model_selection import train_test_split

here = pathlib.Path(__file__).resolve().parent
table = np.loadtxt(here.parent.parent / "scripts" / "diabetes.csv", delimiter=",", skiprows=1)
X, y = table[:, :10], table[:, 10]
X_train, _, y_train, _ = train_test_split(X, y, test_size=0.2, random_state=0)
model = Ridge(alpha=0.4).fit(X_train, y_train)
out = pathlib.Path(sys.argv[1])
out.mkdir(parents=True, exist_ok=True)
joblib.dump(model, out / "model.pkl")
