package io.ember;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** Ember's version and the Redis version it is compatible with (what clients see in INFO and HELLO). */
public final class Version {
    private Version() {}

    /** Clients gate features on this; Ember speaks Redis 7.0's protocol and commands. */
    public static final String REDIS_VERSION = "7.0.15";
    public static final String EMBER_VERSION = load();

    private static String load() {
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            Properties p = new Properties();
            if (in != null) p.load(in);
            return p.getProperty("version", "dev");
        } catch (IOException e) {
            return "dev";
        }
    }
}
