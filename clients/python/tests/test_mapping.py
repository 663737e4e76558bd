"""How Azure's arguments map to Scoria's fields; no server needed. Run: python3 -m unittest discover -s tests"""
import os
import tempfile
import unittest
import warnings
from datetime import datetime, timedelta, timezone

from scoria import AciWebservice, AksWebservice, InferenceConfig, LocalWebservice, Webservice
from scoria._http import parse_time, server_message
from scoria.exceptions import UserErrorException
from scoria.deployment import deployment_fields
from scoria.model import _filter_terms


class DeployConfigurationTest(unittest.TestCase):
    def test_azure_names_become_the_management_api_fields(self):
        config = AksWebservice.deploy_configuration(
            auth_enabled=True, scoring_timeout_ms=30000, replica_max_concurrent_requests=4,
            max_request_wait_time=800, tags={"a": 1}, properties={"p": "q"}, description="d")
        self.assertEqual(config._request_fields(), {
            "authMode": "key", "scoringTimeoutMs": 30000, "maxConcurrentRequestsPerContainer": 4,
            "maxQueueWaitMs": 800, "kvTags": {"a": "1"}, "properties": {"p": "q"}, "description": "d"})

    def test_a_deployment_takes_limits_only(self):
        limits = AksWebservice.deploy_configuration(
            scoring_timeout_ms=5000, replica_max_concurrent_requests=2, max_request_wait_time=300,
            max_batch_size=8, max_batch_delay_micros=100)
        self.assertEqual(deployment_fields(limits, "create_deployment"), {
            "scoringTimeoutMs": 5000, "maxConcurrentRequestsPerContainer": 2, "maxQueueWaitMs": 300,
            "maxBatchSize": 8, "maxBatchDelayMicros": 100})
        self.assertEqual(deployment_fields(None, "create_deployment"), {})
        with self.assertRaises(UserErrorException) as refused:
            deployment_fields(AksWebservice.deploy_configuration(
                token_auth_enabled=True, tags={"a": "b"}, primary_key="k" * 32), "create_deployment")
        self.assertEqual(refused.exception.message,
                         "create_deployment: authMode, kvTags, primary_key belong to the whole service, not one"
                         " deployment: change them with Webservice.update")

    def test_auth_booleans_become_an_auth_mode(self):
        def mode(**kw):
            return AciWebservice.deploy_configuration(**kw)._request_fields().get("authMode")

        self.assertEqual(mode(token_auth_enabled=True), "token")
        self.assertEqual(mode(auth_enabled=False), "none")
        self.assertEqual(mode(auth_enabled=False, token_auth_enabled=True), "token")
        self.assertEqual(mode(auth_enabled=True, token_auth_enabled=False), "key")
        self.assertIsNone(mode())  # the server's default: key
        with self.assertRaises(UserErrorException):
            mode(auth_enabled=True, token_auth_enabled=True)

    def test_nothing_given_sends_nothing(self):
        self.assertEqual(AciWebservice.deploy_configuration()._request_fields(), {})
        self.assertEqual(Webservice.deploy_configuration()._request_fields(), {})

    def test_azure_only_knobs_are_ignored_with_a_warning(self):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            config = AciWebservice.deploy_configuration(cpu_cores=0.5, memory_gb=1, location="westeurope",
                                                        description="x")
        self.assertEqual(config._request_fields(), {"description": "x"})
        self.assertEqual(len(caught), 1)
        self.assertIn("cpu_cores, location, memory_gb have no meaning on Scoria", str(caught[0].message))
        self.assertEqual(caught[0].filename, __file__)  # points at the caller's line
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            LocalWebservice.deploy_configuration(port=8890)
        self.assertIn("port has no meaning", str(caught[0].message))

    def test_misspelt_arguments_are_refused(self):
        with self.assertRaises(TypeError):
            AksWebservice.deploy_configuration(scoring_timeout=1000)

    def test_limits_must_be_positive_whole_numbers(self):
        for bad in (0, -1, 1.5, "10", True):
            with self.assertRaises(UserErrorException):
                AksWebservice.deploy_configuration(scoring_timeout_ms=bad)

    def test_keys_are_kept_for_after_the_deploy(self):
        config = AksWebservice.deploy_configuration(primary_key="p" * 32)
        self.assertEqual(config.primary_key, "p" * 32)
        self.assertEqual(config._request_fields(), {})


class InferenceConfigTest(unittest.TestCase):
    def test_an_entry_script_means_the_python_runtime(self):
        with tempfile.TemporaryDirectory() as d:
            script = os.path.join(d, "score.py")
            open(script, "w").close()
            self.assertEqual(InferenceConfig(entry_script=script).runtime, "python")
            self.assertEqual(InferenceConfig(entry_script="score.py", source_directory=d).runtime, "python")
            self.assertEqual(InferenceConfig(entry_script=script, runtime="python").runtime, "python")
        # No script and no runtime named: chosen at deploy from what the server's runtimes serve.
        self.assertIsNone(InferenceConfig().runtime)
        self.assertEqual(InferenceConfig(runtime="onnx").runtime, "onnx")

    def test_a_missing_script_is_refused_before_anything_is_sent(self):
        with self.assertRaises(UserErrorException):
            InferenceConfig(entry_script="/nonexistent/score.py")
        with tempfile.TemporaryDirectory() as d:
            with self.assertRaises(UserErrorException):
                InferenceConfig(entry_script="score.py", source_directory=d)

    def test_the_environment_is_ignored_with_a_warning(self):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            InferenceConfig(environment=object(), conda_file="env.yml")
        self.assertIn("conda_file, environment have no meaning on Scoria", str(caught[0].message))


class FiltersAndParsingTest(unittest.TestCase):
    def test_tag_filters_in_azures_shapes(self):
        self.assertEqual(_filter_terms(["a", ["b", "c"]], "tags"), "a,b=c")
        self.assertEqual(_filter_terms({"b": "c"}, "tags"), "b=c")
        self.assertEqual(_filter_terms("a=b", "tags"), "a=b")
        self.assertIsNone(_filter_terms(None, "tags"))
        self.assertIsNone(_filter_terms([], "tags"))
        with self.assertRaises(UserErrorException):
            _filter_terms([["a", "b,c"]], "tags")

    def test_times(self):
        self.assertEqual(parse_time("2026-11-25T13:40:02.301Z"),
                         datetime(2026, 11, 25, 13, 40, 2, 301000, tzinfo=timezone.utc))
        self.assertEqual(parse_time("2026-11-25T13:40:02.123456789Z").microsecond, 123456)
        self.assertEqual(parse_time("2026-11-25T13:40:02+01:00").utcoffset(), timedelta(hours=1))
        self.assertIsNone(parse_time(None))

    def test_server_messages(self):
        class Answer:
            def __init__(self, text):
                self.text = text

        self.assertEqual(server_message(Answer('{"status_code": 404, "message": "gone"}')), "gone")
        self.assertEqual(server_message(Answer('{"error": {"message": "bad"}}')), "bad")
        self.assertEqual(server_message(Answer("<html>\n proxy  error</html>")), "<html> proxy error</html>")
        self.assertIsNone(server_message(Answer("")))


if __name__ == "__main__":
    unittest.main()
