package dev.scoria.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.scoria.cli.ScoriaCli;
import dev.scoria.server.ScoriaServer;
import dev.scoria.server.ServerConfig;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.File;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The Kubernetes base in {@code deploy/kubernetes} as {@code kubectl kustomize} renders it, read into fabric8's typed
 * model and held against what it relies on: options {@code scoria serve} really has, probe paths a real server answers,
 * names that refer to each other, a grace period that covers the drain. Also the Dockerfile's entrypoint and command.
 *
 * <p>Needs {@code kubectl} (Debian's {@code kubernetes-client}); {@code KUBECTL=/path/to/kubectl} picks another one.
 * Without it the test fails rather than skips, so that CI cannot pass with the manifests unchecked.
 */
class KubernetesManifestTest {

    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Path BASE = ROOT.resolve("deploy").resolve("kubernetes");
    static final Path SECRET_TEMPLATE = BASE.resolve("secret.yaml");
    static final Path DOCKERFILE = ROOT.resolve("deploy").resolve("Dockerfile");

    /** Every environment variable the container may set; a new one belongs here and in docs/kubernetes.md. */
    static final Set<String> KNOWN_ENV =
            Set.of("SCORIA_DATABASE_URL", "SCORIA_ADMIN_TOKEN", "JAVA_TOOL_OPTIONS", "POD_NAME");

    static final ObjectMapper YAML = new YAMLMapper();
    static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");
    static final Pattern SLEEP = Pattern.compile("\\bsleep\\s+(\\d+)\\b");

    static Map<String, List<JsonNode>> rendered;
    static Deployment deployment;
    static Container container;

    @TempDir
    static Path work;

    @BeforeAll
    static void render() throws Exception {
        Path stdout = work.resolve("kustomize.out");
        Path stderr = work.resolve("kustomize.err");
        Process kustomize = new ProcessBuilder(kubectl(), "kustomize", BASE.toString())
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile())
                .start();
        if (!kustomize.waitFor(60, TimeUnit.SECONDS)) {
            kustomize.destroyForcibly();
            fail("kubectl kustomize " + BASE + " did not finish within 60 s");
        }
        assertThat(kustomize.exitValue())
                .as("kubectl kustomize %s failed:%n%s", BASE, Files.readString(stderr))
                .isZero();
        rendered = new LinkedHashMap<>();
        for (JsonNode document : YAML.readerFor(JsonNode.class)
                .<JsonNode>readValues(stdout.toFile())
                .readAll()) {
            if (document != null && !document.isNull() && !document.isEmpty()) {
                rendered.computeIfAbsent(document.path("kind").asText(), kind -> new ArrayList<>())
                        .add(document);
            }
        }
        deployment = one(Deployment.class, "apps/v1");
        assertThat(deployment.getSpec().getTemplate().getSpec().getContainers())
                .as("containers of the Deployment")
                .hasSize(1);
        container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    @Test
    void theBaseHoldsWhatTheDeploymentNeedsAndNoSecret() {
        assertThat(rendered.keySet())
                .containsExactlyInAnyOrder(
                        "Deployment",
                        "Service",
                        "HorizontalPodAutoscaler",
                        "PodDisruptionBudget",
                        "ConfigMap",
                        "ServiceAccount");
        rendered.forEach((kind, documents) ->
                assertThat(documents).as("%s documents", kind).hasSize(1));
        // The Secret stays out of the base: `kubectl apply -k` would otherwise put placeholders over the real one.
        assertThat(rendered).doesNotContainKey("Secret");
        assertThat(deployment.getSpec().getReplicas()).isEqualTo(3);
    }

    @Test
    void everyFieldIsOneKubernetesKnows() throws Exception {
        // fabric8 keeps fields it does not know in additionalProperties: that is where a misspelt key would land.
        assertNoUnknownFields(deployment, "Deployment");
        assertNoUnknownFields(one(Service.class, "v1"), "Service");
        assertNoUnknownFields(one(HorizontalPodAutoscaler.class, "autoscaling/v2"), "HorizontalPodAutoscaler");
        assertNoUnknownFields(one(PodDisruptionBudget.class, "policy/v1"), "PodDisruptionBudget");
        assertNoUnknownFields(one(ConfigMap.class, "v1"), "ConfigMap");
        assertNoUnknownFields(one(ServiceAccount.class, "v1"), "ServiceAccount");
        assertNoUnknownFields(secretTemplate(), "Secret template");
    }

    @Test
    void theContainerArgumentsAreOptionsScoriaServeHas() {
        assertThat(container.getCommand())
                .as("command (the image's ENTRYPOINT runs the jar)")
                .isNullOrEmpty();
        List<String> args = container.getArgs();
        assertServeAccepts(args, "the Deployment's args");

        Set<String> env = container.getEnv().stream().map(EnvVar::getName).collect(Collectors.toSet());
        for (String arg : args) {
            Matcher reference = ENV_REFERENCE.matcher(arg);
            while (reference.find()) {
                assertThat(env)
                        .as(
                                "$(%s) in args: the kubelet only expands variables the container defines",
                                reference.group(1))
                        .contains(reference.group(1));
            }
        }
        assertThat(optionValue(args, "--host"))
                .as("--host: the kubelet and the Service reach the pod's IP")
                .isEqualTo("0.0.0.0");
        assertThat(Integer.valueOf(optionValue(args, "--port")))
                .as("--port")
                .isEqualTo(port("http").getContainerPort());
        assertThat(optionValue(args, "--replica-id")).isEqualTo("$(POD_NAME)");
    }

    @Test
    void theDataDirectoryAndTmpAreWritableVolumes() {
        Map<String, Volume> volumes = deployment.getSpec().getTemplate().getSpec().getVolumes().stream()
                .collect(Collectors.toMap(Volume::getName, v -> v));
        Map<String, String> mounts = container.getVolumeMounts().stream()
                .collect(Collectors.toMap(VolumeMount::getMountPath, VolumeMount::getName));
        mounts.forEach((path, volume) ->
                assertThat(volumes).as("volume of the mount at %s", path).containsKey(volume));
        assertThat(mounts).as("/tmp (the root file system is read-only)").containsKey("/tmp");
        assertThat(volumes.get(mounts.get("/tmp")).getEmptyDir())
                .as("/tmp is an emptyDir")
                .isNotNull();

        String dataDir = optionValue(container.getArgs(), "--data-dir");
        String mount = mounts.keySet().stream()
                .filter(m -> dataDir.startsWith(m + "/"))
                .findFirst()
                .orElse(null);
        // Strictly below the mount: the server chmods its data directory to 700, which it cannot do to a volume's root
        // (owned by root) but can to a directory it created itself.
        assertThat(mount)
                .as("a volume mounted strictly above --data-dir %s (mounts: %s)", dataDir, mounts.keySet())
                .isNotNull();
        assertThat(volumes.get(mounts.get(mount)).getEmptyDir())
                .as("the data volume is an emptyDir")
                .isNotNull();
    }

    @Test
    void theProbesUseTheNamedPortAndPathsARealServerAnswers(@TempDir Path dataDir) throws Exception {
        Set<String> portNames =
                container.getPorts().stream().map(ContainerPort::getName).collect(Collectors.toSet());
        Map<String, Probe> probes = new LinkedHashMap<>();
        probes.put("readinessProbe", container.getReadinessProbe());
        probes.put("livenessProbe", container.getLivenessProbe());
        if (container.getStartupProbe() != null) {
            probes.put("startupProbe", container.getStartupProbe());
        }
        probes.forEach((name, probe) -> {
            assertThat(probe).as(name).isNotNull();
            assertThat(probe.getHttpGet()).as(name + ".httpGet").isNotNull();
            IntOrString port = probe.getHttpGet().getPort();
            assertThat(port.getStrVal())
                    .as(name + " port: a name of a containerPort")
                    .isIn(portNames);
        });
        assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/ready");
        assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/");

        HttpClient http = HttpClient.newHttpClient();
        try (ScoriaServer server = ScoriaServer.start(
                ServerConfig.builder().port(0).dataDir(dataDir).build())) {
            for (Map.Entry<String, Probe> probe : probes.entrySet()) {
                String path = probe.getValue().getHttpGet().getPath();
                // What the kubelet sends: "/" must not take it for a browser and redirect to the console.
                HttpResponse<String> answer = http.send(
                        HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                                .header("Accept", "*/*")
                                .header("User-Agent", "kube-probe/1.32")
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(answer.statusCode())
                        .as("%s GET %s: %s", probe.getKey(), path, answer.body())
                        .isEqualTo(200);
            }
        }
    }

    @Test
    void theEnvironmentIsKnownAndComesFromTheSecretAndTheConfigMap() throws Exception {
        Secret secret = secretTemplate();
        Set<String> secretKeys = new HashSet<>();
        if (secret.getStringData() != null) {
            secretKeys.addAll(secret.getStringData().keySet());
        }
        if (secret.getData() != null) {
            secretKeys.addAll(secret.getData().keySet());
        }
        ConfigMap config = one(ConfigMap.class, "v1");
        Map<String, EnvVar> env = new LinkedHashMap<>();
        for (EnvVar var : container.getEnv()) {
            assertThat(env.put(var.getName(), var))
                    .as("%s set twice", var.getName())
                    .isNull();
        }
        assertThat(KNOWN_ENV).as("environment variables of the container").containsAll(env.keySet());
        assertThat(container.getEnvFrom())
                .as("envFrom (every variable is listed by name)")
                .isNullOrEmpty();

        for (EnvVar var : env.values()) {
            if (var.getValueFrom() != null && var.getValueFrom().getSecretKeyRef() != null) {
                var ref = var.getValueFrom().getSecretKeyRef();
                assertThat(ref.getName())
                        .as("%s: secret", var.getName())
                        .isEqualTo(secret.getMetadata().getName());
                assertThat(secretKeys)
                        .as("%s: key of %s", var.getName(), SECRET_TEMPLATE)
                        .contains(ref.getKey());
            }
            if (var.getValueFrom() != null && var.getValueFrom().getConfigMapKeyRef() != null) {
                var ref = var.getValueFrom().getConfigMapKeyRef();
                assertThat(ref.getName())
                        .as("%s: config map", var.getName())
                        .isEqualTo(config.getMetadata().getName());
                assertThat(config.getData())
                        .as("%s: key of the ConfigMap", var.getName())
                        .containsKey(ref.getKey());
            }
        }
        // Credentials never as literal values in the Deployment.
        for (String name : List.of("SCORIA_DATABASE_URL", "SCORIA_ADMIN_TOKEN")) {
            assertThat(env).containsKey(name);
            assertThat(env.get(name).getValue()).as(name).isNull();
            assertThat(env.get(name).getValueFrom().getSecretKeyRef())
                    .as(name + " from the Secret")
                    .isNotNull();
        }
        assertThat(env.get("POD_NAME").getValueFrom().getFieldRef().getFieldPath())
                .isEqualTo("metadata.name");
        assertThat(env.get("JAVA_TOOL_OPTIONS").getValueFrom().getConfigMapKeyRef())
                .isNotNull();
        assertThat(config.getData().get("JAVA_TOOL_OPTIONS")).contains("-XX:MaxRAMPercentage=");
    }

    @Test
    void theGracePeriodCoversThePreStopSleepAndTheDrain() {
        assertThat(container.getLifecycle().getPreStop().getExec())
                .as("preStop exec")
                .isNotNull();
        String preStop =
                String.join(" ", container.getLifecycle().getPreStop().getExec().getCommand());
        Matcher sleep = SLEEP.matcher(preStop);
        assertThat(sleep.find()).as("preStop sleeps: %s", preStop).isTrue();
        long sleepSeconds = Long.parseLong(sleep.group(1));
        long drainSeconds = Long.parseLong(optionValue(container.getArgs(), "--drain-timeout-seconds"));
        long delaySeconds =
                container.getArgs().stream().anyMatch(a -> a.split("=", 2)[0].equals("--shutdown-delay-seconds"))
                        ? Long.parseLong(optionValue(container.getArgs(), "--shutdown-delay-seconds"))
                        : 0;
        assertThat(sleepSeconds).as("preStop sleep").isPositive();
        assertThat(deployment.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds())
                .as(
                        "terminationGracePeriodSeconds: preStop sleep %d s + shutdown delay %d s + drain %d s + a margin for"
                                + " the JVM to exit",
                        sleepSeconds, delaySeconds, drainSeconds)
                .isGreaterThan(sleepSeconds + delaySeconds + drainSeconds);
    }

    @Test
    void theServiceAutoscalerAndBudgetPointAtTheDeployment() {
        Map<String, String> podLabels =
                deployment.getSpec().getTemplate().getMetadata().getLabels();
        assertThat(deployment.getSpec().getSelector().getMatchLabels()).isNotEmpty();
        assertThat(podLabels)
                .as("pod labels ⊇ Deployment selector")
                .containsAllEntriesOf(deployment.getSpec().getSelector().getMatchLabels());

        Service service = one(Service.class, "v1");
        assertThat(service.getSpec().getSelector()).isNotEmpty();
        assertThat(podLabels)
                .as("pod labels ⊇ Service selector")
                .containsAllEntriesOf(service.getSpec().getSelector());
        assertThat(service.getSpec().getPorts()).hasSize(1);
        ServicePort servicePort = service.getSpec().getPorts().get(0);
        assertThat(servicePort.getPort()).isEqualTo(80);
        IntOrString target = servicePort.getTargetPort();
        ContainerPort targeted = target.getStrVal() != null
                ? port(target.getStrVal())
                : container.getPorts().stream()
                        .filter(p -> p.getContainerPort().equals(target.getIntVal()))
                        .findFirst()
                        .orElse(null);
        assertThat(targeted)
                .as("the container port the Service targets (%s)", target)
                .isNotNull();
        assertThat(targeted.getContainerPort()).isEqualTo(5001);

        HorizontalPodAutoscaler hpa = one(HorizontalPodAutoscaler.class, "autoscaling/v2");
        assertThat(hpa.getSpec().getScaleTargetRef().getApiVersion()).isEqualTo("apps/v1");
        assertThat(hpa.getSpec().getScaleTargetRef().getKind()).isEqualTo("Deployment");
        assertThat(hpa.getSpec().getScaleTargetRef().getName())
                .isEqualTo(deployment.getMetadata().getName());
        assertThat(hpa.getSpec().getMinReplicas())
                .as("HPA minReplicas")
                .isGreaterThanOrEqualTo(2)
                .isLessThanOrEqualTo(deployment.getSpec().getReplicas());
        assertThat(hpa.getSpec().getMaxReplicas())
                .isGreaterThanOrEqualTo(deployment.getSpec().getReplicas());
        assertThat(hpa.getSpec().getMetrics()).as("a CPU utilization metric").anySatisfy((MetricSpec m) -> {
            assertThat(m.getType()).isEqualTo("Resource");
            assertThat(m.getResource().getName()).isEqualTo("cpu");
            assertThat(m.getResource().getTarget().getType()).isEqualTo("Utilization");
        });

        PodDisruptionBudget pdb = one(PodDisruptionBudget.class, "policy/v1");
        assertThat(pdb.getSpec().getSelector().getMatchLabels()).isNotEmpty();
        assertThat(podLabels)
                .as("pod labels ⊇ PodDisruptionBudget selector")
                .containsAllEntriesOf(pdb.getSpec().getSelector().getMatchLabels());
        IntOrString minAvailable = pdb.getSpec().getMinAvailable();
        IntOrString maxUnavailable = pdb.getSpec().getMaxUnavailable();
        assertThat(minAvailable == null)
                .as("exactly one of minAvailable and maxUnavailable")
                .isNotEqualTo(maxUnavailable == null);
        if (maxUnavailable != null) {
            assertThat(maxUnavailable.getIntVal()).as("maxUnavailable").isEqualTo(1);
        } else {
            // Less than the fewest replicas, or no node could ever be drained.
            assertThat(minAvailable.getIntVal())
                    .as("minAvailable")
                    .isEqualTo(2)
                    .isLessThan(hpa.getSpec().getMinReplicas());
        }
    }

    @Test
    void thePodRunsAsNonRootWithAReadOnlyRootAndNoApiToken() {
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        PodSecurityContext podContext =
                pod.getSecurityContext() == null ? new PodSecurityContext() : pod.getSecurityContext();
        SecurityContext context = container.getSecurityContext();
        assertThat(context).as("container securityContext").isNotNull();
        Boolean nonRoot = context.getRunAsNonRoot() != null ? context.getRunAsNonRoot() : podContext.getRunAsNonRoot();
        Long user = context.getRunAsUser() != null ? context.getRunAsUser() : podContext.getRunAsUser();
        assertThat(nonRoot).as("runAsNonRoot").isTrue();
        assertThat(user).as("runAsUser (the image's USER)").isEqualTo(10001L);
        assertThat(context.getReadOnlyRootFilesystem())
                .as("readOnlyRootFilesystem")
                .isTrue();
        assertThat(context.getAllowPrivilegeEscalation())
                .as("allowPrivilegeEscalation")
                .isFalse();
        assertThat(context.getPrivileged()).as("privileged").isNotEqualTo(Boolean.TRUE);
        assertThat(context.getCapabilities().getDrop())
                .as("capabilities dropped")
                .contains("ALL");
        assertThat(context.getCapabilities().getAdd()).as("capabilities added").isNullOrEmpty();

        ServiceAccount account = one(ServiceAccount.class, "v1");
        assertThat(pod.getServiceAccountName()).isEqualTo(account.getMetadata().getName());
        assertThat(account.getAutomountServiceAccountToken())
                .as("ServiceAccount automountServiceAccountToken")
                .isFalse();
        assertThat(pod.getAutomountServiceAccountToken())
                .as("pod automountServiceAccountToken")
                .isNotEqualTo(Boolean.TRUE);

        assertThat(container.getResources().getRequests()).containsKeys("cpu", "memory");
        assertThat(container.getResources().getLimits()).containsKey("memory");
    }

    @Test
    void theDockerfileRunsTheCliJarAsTheSameUserWithServeOptionsThatExist() throws Exception {
        List<String> lines = Files.readAllLines(DOCKERFILE);
        assertThat(instruction(lines, "ENTRYPOINT")).isEqualTo(List.of("java", "-jar", "/opt/scoria/scoria.jar"));
        List<String> cmd = instruction(lines, "CMD");
        assertServeAccepts(cmd, "the Dockerfile's CMD");
        assertThat(optionValue(cmd, "--host")).isEqualTo("0.0.0.0");
        assertThat(lines).contains("EXPOSE " + optionValue(cmd, "--port"));
        // The path Maven's shade plugin writes (CliProcess runs the same jar).
        assertThat(String.join("\n", lines))
                .contains("COPY --from=build /src/"
                        + ROOT.relativize(CliProcess.JAR).toString().replace(File.separatorChar, '/') + " ");
        assertThat(lines.stream()
                        .filter(l -> l.startsWith("USER "))
                        .reduce((a, b) -> b)
                        .orElse(""))
                .as("the last USER, numeric so that runAsNonRoot can check it")
                .isEqualTo("USER 10001:10001");
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("ARG WITH_PYTHON=false"));
    }

    // -- helpers

    static String kubectl() {
        String chosen = System.getenv("KUBECTL");
        if (chosen != null && !chosen.isBlank()) {
            return chosen;
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, "kubectl");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        throw new AssertionError("kubectl is not on PATH, and this test renders deploy/kubernetes with it:"
                + " install Debian's kubernetes-client (apt-get install kubernetes-client), as .ci/run does,"
                + " or set KUBECTL to a kubectl binary");
    }

    /** The one rendered document of {@code type}'s kind, checked for its apiVersion and read as that type. */
    static <T> T one(Class<T> type, String apiVersion) {
        List<JsonNode> documents = rendered.getOrDefault(type.getSimpleName(), List.of());
        assertThat(documents).as("rendered %s documents", type.getSimpleName()).hasSize(1);
        JsonNode document = documents.get(0);
        assertThat(document.path("apiVersion").asText())
                .as("%s apiVersion", type.getSimpleName())
                .isEqualTo(apiVersion);
        try {
            return YAML.treeToValue(document, type);
        } catch (Exception e) {
            throw new AssertionError(
                    "the rendered " + type.getSimpleName() + " is not a valid one: " + e.getMessage(), e);
        }
    }

    static Secret secretTemplate() throws Exception {
        Secret secret = YAML.readValue(SECRET_TEMPLATE.toFile(), Secret.class);
        assertThat(secret.getKind()).isEqualTo("Secret");
        assertThat(secret.getApiVersion()).isEqualTo("v1");
        return secret;
    }

    static ContainerPort port(String name) {
        return container.getPorts().stream()
                .filter(p -> name.equals(p.getName()))
                .findFirst()
                .orElseThrow(
                        () -> new AssertionError("no containerPort named " + name + " in " + container.getPorts()));
    }

    /** The value given to {@code option} as {@code --option value} or {@code --option=value}. */
    static String optionValue(List<String> args, String option) {
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).equals(option) && i + 1 < args.size()) {
                return args.get(i + 1);
            }
            if (args.get(i).startsWith(option + "=")) {
                return args.get(i).substring(option.length() + 1);
            }
        }
        throw new AssertionError(option + " is not given in " + args);
    }

    /** {@code args} is a {@code scoria serve} command line the real CLI accepts: known options, right values. */
    static void assertServeAccepts(List<String> args, String where) {
        assertThat(args).as(where).isNotEmpty();
        assertThat(args.get(0)).as("%s: the subcommand", where).isEqualTo("serve");
        CommandLine cli = ScoriaCli.commandLine();
        CommandSpec serve = cli.getSubcommands().get("serve").getCommandSpec();
        Set<String> known = new TreeSet<>(serve.optionsMap().keySet());
        Set<String> unknown = args.stream()
                .filter(a -> a.startsWith("-"))
                .map(a -> a.split("=", 2)[0])
                .filter(o -> !known.contains(o))
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(unknown)
                .as("%s use options `scoria serve` does not have (it has %s)", where, known)
                .isEmpty();
        try {
            cli.parseArgs(args.toArray(String[]::new));
        } catch (CommandLine.ParameterException e) {
            throw new AssertionError(where + " are not a command line `scoria` accepts: " + e.getMessage(), e);
        }
    }

    /** The JSON (exec) form of a Dockerfile instruction. */
    static List<String> instruction(List<String> lines, String name) throws Exception {
        List<String> found =
                lines.stream().filter(l -> l.startsWith(name + " ")).toList();
        assertThat(found).as("%s instructions in %s", name, DOCKERFILE).hasSize(1);
        JsonNode array = new ObjectMapper().readTree(found.get(0).substring(name.length() + 1));
        assertThat(array.isArray())
                .as("%s in exec form: %s", name, found.get(0))
                .isTrue();
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }

    /** Walks fabric8's model objects field by field and fails on any non-empty additionalProperties. */
    static void assertNoUnknownFields(Object value, String path) throws IllegalAccessException {
        if (value == null) {
            return;
        }
        if (value instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                assertNoUnknownFields(item, path + "[" + i++ + "]");
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                assertNoUnknownFields(entry.getValue(), path + "." + entry.getKey());
            }
            return;
        }
        if (!value.getClass().getName().startsWith("io.fabric8.")) {
            return;
        }
        for (Class<?> type = value.getClass();
                type != null && type.getName().startsWith("io.fabric8.");
                type = type.getSuperclass()) {
            for (Field field : type.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers())) {
                    continue;
                }
                field.setAccessible(true);
                Object fieldValue = field.get(value);
                if (field.getName().equals("additionalProperties")) {
                    assertThat((Map<?, ?>) fieldValue)
                            .as(
                                    "fields of %s that %s does not have",
                                    path, value.getClass().getSimpleName())
                            .isNullOrEmpty();
                } else {
                    assertNoUnknownFields(fieldValue, path + "." + field.getName());
                }
            }
        }
    }
}
