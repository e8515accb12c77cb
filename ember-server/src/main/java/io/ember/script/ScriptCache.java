package io.ember.script;

import java.util.HashMap;
import java.util.Map;

/** Scripts loaded by EVAL or SCRIPT LOAD, by lower-case SHA1 (Redis's lctx.lua_scripts). */
final class ScriptCache {
    /** A compiled script: its body, shebang flags and the registry reference of its function. */
    record Script(byte[] body, Shebang shebang, int functionRef) {}

    private final Map<String, Script> scripts = new HashMap<>();
    private long bodyBytes;

    Script get(String sha) {
        return scripts.get(sha);
    }

    void put(String sha, Script s) {
        if (scripts.put(sha, s) == null) bodyBytes += s.body().length;
    }

    int size() {
        return scripts.size();
    }

    Iterable<Script> all() {
        return scripts.values();
    }

    void clear() {
        scripts.clear();
        bodyBytes = 0;
    }

    /** used_memory_scripts_eval: script bodies plus a per-entry overhead like Redis's dict entry + sds. */
    long memory() {
        return bodyBytes + scripts.size() * 96L;
    }
}
