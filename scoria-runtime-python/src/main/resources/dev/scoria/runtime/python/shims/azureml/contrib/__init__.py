"""Scoria's stand-in for `azureml.contrib` (see azureml/__init__.py)."""
