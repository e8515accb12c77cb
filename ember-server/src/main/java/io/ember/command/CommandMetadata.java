package io.ember.command;

import io.ember.resp.RespReader;
import io.ember.resp.RespValue;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Redis 7.0's own description of its commands (COMMAND and COMMAND DOCS as redis-server 7.0.15
 * answers them in RESP3), captured by tools/capture-command-metadata.py. It is the specification
 * Ember's table is checked against: arity, flags, key positions and docs come from here, so
 * COMMAND output matches Redis for every command Ember implements.
 */
final class CommandMetadata {
    private static final String RESOURCE = "redis-commands.resp3";

    /** COMMAND INFO arrays by full name ("get", "config|get"). */
    final Map<String, RespValue.Array> info = new HashMap<>();
    /** COMMAND DOCS maps by full name. */
    final Map<String, RespValue.Map> docs = new HashMap<>();

    CommandMetadata() {
        byte[] bytes;
        try (InputStream in = CommandMetadata.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IllegalStateException("missing resource " + RESOURCE);
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        read(bytes);
        // Commands from later Redis versions that Ember implements (WAITAOF, 7.2), same format,
        // written by hand from Redis 7.2's command description.
        try (InputStream in = CommandMetadata.class.getResourceAsStream(LATER_RESOURCE)) {
            if (in != null) read(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final String LATER_RESOURCE = "redis72-commands.resp3";

    private void read(byte[] bytes) {
        RespReader r = new RespReader(bytes);
        RespValue.Array all = (RespValue.Array) r.read();
        for (RespValue v : all.items()) addInfo((RespValue.Array) v);
        RespValue.Map allDocs = (RespValue.Map) r.read();
        addDocs(allDocs, "");
    }

    private void addInfo(RespValue.Array cmd) {
        String name = cmd.items().get(0).toString();
        info.put(name, cmd);
        if (cmd.items().size() > 9 && cmd.items().get(9) instanceof RespValue.Array subs) {
            for (RespValue s : subs.items()) addInfo((RespValue.Array) s);
        }
    }

    private void addDocs(RespValue.Map map, String prefix) {
        List<RespValue> flat = map.flat();
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            String name = prefix + flat.get(i).toString();
            RespValue.Map d = (RespValue.Map) flat.get(i + 1);
            docs.put(name, d);
            if (d.get("subcommands") instanceof RespValue.Map subs) {
                addDocs(subs, "");
            }
        }
    }
}
