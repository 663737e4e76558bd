"""Scoria's stand-in for `azureml.contrib.services`: AMLRequest, AMLResponse and @rawhttp for entry scripts."""
