package dev.scoria.core.service;

/**
 * What a service's API document is made from, as given at deploy: sample input and output (JSON
 * text) and a user-supplied swagger document that replaces generation. Any may be null.
 */
public record SchemaSpec(String inputExample, String outputExample, String swagger) {

    public static final SchemaSpec NONE = new SchemaSpec(null, null, null);

    public static SchemaSpec input(String inputExample) {
        return new SchemaSpec(inputExample, null, null);
    }
}
