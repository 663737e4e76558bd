"""Scoria's stand-in for `azureml.core`: only `azureml.core.model.Model.get_model_path` is provided."""
