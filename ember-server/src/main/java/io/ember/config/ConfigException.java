package io.ember.config;

/** A configuration value or directive that cannot be accepted; the message is Redis's wording. */
public final class ConfigException extends Exception {
    public ConfigException(String message) {
        super(message);
    }
}
