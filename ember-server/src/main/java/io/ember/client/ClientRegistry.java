package io.ember.client;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/** All connected clients in connection order, by id (CLIENT LIST, CLIENT KILL, INFO clients). */
public final class ClientRegistry {
    private final Map<Long, Client> byId = new LinkedHashMap<>();
    private long nextId = 1;
    private long totalConnections;
    private long rejectedConnections;

    public long nextId() {
        return nextId++;
    }

    public void add(Client c) {
        byId.put(c.id, c);
        totalConnections++;
    }

    public void remove(Client c) {
        byId.remove(c.id);
    }

    public Client get(long id) {
        return byId.get(id);
    }

    public Collection<Client> all() {
        return byId.values();
    }

    public int size() {
        return byId.size();
    }

    public long totalConnections() {
        return totalConnections;
    }

    public long rejectedConnections() {
        return rejectedConnections;
    }

    public void connectionRejected() {
        rejectedConnections++;
    }

    public void resetStats() {
        totalConnections = 0;
        rejectedConnections = 0;
    }
}
