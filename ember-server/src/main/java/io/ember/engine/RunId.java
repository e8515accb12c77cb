package io.ember.engine;

import java.security.SecureRandom;

/** The 40 hex characters identifying this server run (run_id, replication id). */
final class RunId {
    private RunId() {}

    static String generate() {
        byte[] b = new byte[20];
        new SecureRandom().nextBytes(b);
        StringBuilder sb = new StringBuilder(40);
        for (byte x : b) sb.append(String.format("%02x", x));
        return sb.toString();
    }
}
