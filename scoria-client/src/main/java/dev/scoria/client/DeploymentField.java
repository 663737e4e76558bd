package dev.scoria.client;

/**
 * The fields of a deployment's JSON that are its own report rather than a setting (those are
 * {@link ServiceSetting}s with {@link ServiceSetting#perDeployment()}), each under the name the management
 * API gives it: the one place the SDK spells them. The CLI prints a deployment under the same names.
 */
public enum DeploymentField {
    NAME("name"),
    /** The service the deployment belongs to. */
    SERVICE_NAME("serviceName"),
    /** A {@link WebserviceState}. */
    STATE("state"),
    /** Why the deployment is Failed: {@code {"code", "message"}}, or null. */
    ERROR("error"),
    /** Its share of the live traffic, 0–100. */
    TRAFFIC_PERCENT("trafficPercent"),
    /** The share of live requests copied to it, 0–50; its answers to them are dropped. */
    MIRROR_TRAFFIC_PERCENT("mirrorTrafficPercent"),
    /** Whether it is the deployment with the most live traffic, whose settings the service's JSON shows. */
    PRIMARY("primary"),
    /** The models it loads: {@code [{"id", "name", "version"}]}. */
    MODELS("models"),
    /** Counts up each time its models change; replicas report which generation they serve. */
    GENERATION("generation"),
    CREATED_TIME("createdTime");

    private final String wireName;

    DeploymentField(String wireName) {
        this.wireName = wireName;
    }

    /** The field's name in the management API's JSON, e.g. {@code trafficPercent}. */
    public String wireName() {
        return wireName;
    }
}
