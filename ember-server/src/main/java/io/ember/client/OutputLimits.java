package io.ember.client;

/** client-output-buffer-limit enforcement (Redis's checkClientOutputBufferLimits). */
public final class OutputLimits {
    private OutputLimits() {}

    /**
     * Whether {@code c}, with {@code pending} bytes of output not yet taken by its peer, must be
     * disconnected: at or past the hard limit of its class, or past the soft limit for longer than
     * the soft seconds (the first time past it only starts the clock).
     */
    public static boolean exceeded(Client c, long pending) {
        int type = ClientInfo.type(c);
        if (type == ClientInfo.TYPE_MASTER) type = ClientInfo.TYPE_NORMAL;
        long[] limit = c.engine.config.clientOutputBufferLimits[type];
        long hard = limit[0], soft = limit[1], softSeconds = limit[2];
        if (hard != 0 && pending >= hard) return true;
        if (soft == 0 || pending < soft) {
            c.obufSoftLimitReachedSec = 0;
            return false;
        }
        long now = c.engine.nowMs() / 1000;
        if (c.obufSoftLimitReachedSec == 0) {
            c.obufSoftLimitReachedSec = now;
            return false;
        }
        return now - c.obufSoftLimitReachedSec > softSeconds;
    }
}
