package io.ember.client;

/**
 * The transport of a client without a socket (the AOF loader's, the script client, an embedded
 * caller): nothing to send, close or count; only the names CLIENT LIST and MONITOR show.
 */
public class InProcessConnection implements Connection {
    private final String address;
    private final String monitorAddress;
    private final boolean embedded;

    public InProcessConnection(String address, String monitorAddress, boolean embedded) {
        this.address = address;
        this.monitorAddress = monitorAddress;
        this.embedded = embedded;
    }

    @Override public String peerAddress() { return address; }
    @Override public String monitorAddress() { return monitorAddress; }
    @Override public String localAddress() { return address; }
    @Override public boolean isLocal() { return true; }
    @Override public void flush() { }
    @Override public void close() { }
    @Override public long pendingOutputBytes() { return 0; }
    @Override public int fd() { return -1; }
    @Override public boolean embedded() { return embedded; }
}
