"""Scoria's stand-in for the `azureml` package: present only when Azure's packages are not installed."""
