package io.ember.script;

import io.ember.client.Client;
import io.ember.persist.rdb.ByteArrayRdbOutput;
import io.ember.persist.rdb.Crc64;
import io.ember.persist.rdb.DumpPayload;
import io.ember.persist.rdb.Rdb;
import io.ember.persist.rdb.RdbInput;
import io.ember.util.Bytes;
import io.ember.util.SplitArgs;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import party.iroiro.luajava.LuaException;

/**
 * Redis 7 functions (functions.c and function_lua.c): the loaded libraries, their functions, and
 * the Lua state they live in — a second state, separate from EVAL's, created on first use and
 * replaced by FUNCTION FLUSH. A library's code runs once at load time with only the load-time API
 * (redis.register_function, redis.log, the version); the functions it registers are then called
 * by FCALL with (keys, args). Libraries are immutable: a list of their codes is a consistent copy
 * for a background save.
 */
public final class Functions {
    /** A registered function: its Lua registry reference and Shebang flags. */
    public record Function(String name, byte[] description, int flags, int ref) {
        /** The flags' names in Redis's order (scripts_flags_def), as FUNCTION LIST shows them. */
        public List<String> flagNames() {
            List<String> out = new ArrayList<>(2);
            for (int i = 0; i < Shebang.NAMES.length; i++) {
                if ((flags & Shebang.FLAGS[i]) != 0) out.add(Shebang.NAMES[i]);
            }
            return out;
        }
    }

    /** A library: its name, its whole code (the shebang included) and its functions in registration order. */
    public static final class Library {
        public final String name;
        public final byte[] code;
        public final Map<String, Function> functions = new LinkedHashMap<>();

        Library(String name, byte[] code) {
            this.name = name;
            this.code = code;
        }
    }

    /** Redis's error for a failed library operation (text without the ERR code). */
    public static final class FunctionError extends Exception {
        FunctionError(String message) {
            super(message, null, false, false);
        }
    }

    /** A set of libraries and their functions by case-insensitive name (functionsLibCtx). */
    private static final class LibrarySet {
        final Map<String, Library> libraries = new LinkedHashMap<>();
        final Map<String, Function> functions = new HashMap<>();

        void link(Library li) {
            for (Function f : li.functions.values()) functions.put(key(f.name), f);
            libraries.put(li.name, li);
        }

        void unlink(Library li) {
            for (Function f : li.functions.values()) functions.remove(key(f.name));
            libraries.remove(li.name);
        }
    }

    /** FUNCTION LOAD's time limit for the library code (Redis's LOAD_TIMEOUT_MS). */
    public static final long LOAD_TIMEOUT_MS = 500;

    private final Scripting s;
    private LuaVm vm;
    private LibrarySet current = new LibrarySet();
    /** The library whose code is running (FUNCTION LOAD): redis.register_function adds to it. */
    private Library loading;

    Functions(Scripting s) {
        this.s = s;
    }

    private static String key(String functionName) {
        return functionName.toLowerCase(Locale.ROOT);
    }

    // ---- libraries ------------------------------------------------------------------------

    /**
     * FUNCTION LOAD (functionsCreateWithLibraryCtx): creates the library from {@code code} into the
     * current set, replacing one of the same name if {@code replace}. {@code timeoutMs} bounds the
     * library code's run (0: none). Returns the library name.
     */
    public String load(byte[] code, boolean replace, long timeoutMs) throws FunctionError {
        return create(code, replace, current, timeoutMs);
    }

    private String create(byte[] code, boolean replace, LibrarySet set, long timeoutMs) throws FunctionError {
        if (code.length < 2 || code[0] != '#' || code[1] != '!') throw new FunctionError("Missing library metadata");
        int nl = 0;
        while (nl < code.length && code[nl] != '\n') nl++;
        if (nl == code.length) throw new FunctionError("Invalid library metadata");
        List<byte[]> parts = SplitArgs.split(Arrays.copyOf(code, nl));
        if (parts == null || parts.isEmpty()) throw new FunctionError("Invalid library metadata");
        String engineName = Bytes.latin1(parts.get(0)).substring(2);
        String name = null;
        for (int i = 1; i < parts.size(); i++) {
            String part = Bytes.latin1(parts.get(i));
            if (part.regionMatches(true, 0, "name=", 0, 5)) {
                if (name != null) throw new FunctionError("Invalid metadata value, name argument was given multiple times");
                name = part.substring(5);
                continue;
            }
            throw new FunctionError("Invalid metadata value given: " + part);
        }
        if (name == null) throw new FunctionError("Library name was not given");
        if (!validName(name)) throw new FunctionError(INVALID_NAME);
        if (!engineName.equalsIgnoreCase("LUA")) throw new FunctionError("Engine '" + engineName + "' not found");
        Library old = set.libraries.get(name);
        if (old != null && !replace) throw new FunctionError("Library '" + name + "' already exists");
        if (old != null) set.unlink(old);
        Library li = new Library(name, code.clone()); // the request's argument array may be reused
        try {
            ensureVm();
            try {
                vm.compile(code, nl, "@user_function");
            } catch (LuaException e) {
                throw new FunctionError("Error compiling function: " + e.getMessage());
            }
            loading = li;
            String err;
            try {
                err = s.runLibraryCode(vm, timeoutMs);
            } finally {
                loading = null;
            }
            if (err != null) throw new FunctionError("Error registering functions: " + err);
            if (li.functions.isEmpty()) throw new FunctionError("No functions registered");
            for (Function f : li.functions.values()) {
                if (set.functions.containsKey(key(f.name))) throw new FunctionError("Function " + f.name + " already exists");
            }
        } catch (FunctionError e) {
            free(li);
            if (old != null) set.link(old);
            throw e;
        }
        set.link(li);
        if (old != null) free(old);
        return name;
    }

    static final String INVALID_NAME = "Library names can only contain letters, numbers, or underscores(_) "
            + "and must be at least one character long";

    /** functionsVerifyName: [a-zA-Z0-9_]+ (Redis uses the same text for library and function names). */
    static boolean validName(String name) {
        if (name.isEmpty()) return false;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_')) return false;
        }
        return true;
    }

    /** Releases a library's functions from the Lua registry. */
    private void free(Library li) {
        if (vm == null) return;
        for (Function f : li.functions.values()) vm.L.unref(f.ref);
    }

    private void ensureVm() throws FunctionError {
        if (vm != null) return;
        try {
            vm = s.newVm();
        } catch (RuntimeException | LinkageError e) {
            throw new FunctionError("Failed to initialize the Lua scripting engine: " + e.getMessage());
        }
    }

    /** FUNCTION DELETE: false when there is no such library. */
    public boolean delete(byte[] name) {
        Library li = current.libraries.get(Bytes.latin1(name));
        if (li == null) return false;
        current.unlink(li);
        free(li);
        return true;
    }

    /** FUNCTION FLUSH: no library left, and a fresh Lua state (Redis re-creates its engines). */
    public void flush() {
        current = new LibrarySet();
        if (vm != null) {
            vm.close();
            vm = null;
        }
    }

    public Collection<Library> libraries() {
        return current.libraries.values();
    }

    /** The libraries' codes, for a snapshot (libraries are immutable: the copy stays consistent). */
    public List<byte[]> codes() {
        List<byte[]> out = new ArrayList<>(current.libraries.size());
        for (Library li : current.libraries.values()) out.add(li.code);
        return out;
    }

    public int libraryCount() {
        return current.libraries.size();
    }

    public int functionCount() {
        return current.functions.size();
    }

    /** used_memory_vm_functions: the functions' Lua heap (a fresh state's size before the first load). */
    public long vmMemory() {
        return vm == null ? Scripting.FRESH_STATE_BYTES : vm.memory();
    }

    /**
     * used_memory_functions: an estimate of Redis's dictionaries and structures for the libraries
     * and functions (its allocator's sizes are not reproduced).
     */
    public long overheadMemory() {
        long m = 200 + current.functions.size() * 24L;
        for (Library li : current.libraries.values()) {
            m += 64 + li.name.length() + li.code.length;
            for (Function f : li.functions.values()) {
                m += 64 + f.name.length() + (f.description == null ? 0 : f.description.length);
            }
        }
        return m;
    }

    /** The function named {@code name} (case-insensitive), or null. */
    Function find(byte[] name) {
        return current.functions.get(key(Bytes.latin1(name)));
    }

    // ---- FCALL --------------------------------------------------------------------------------

    /** FCALL / FCALL_RO (fcallCommandGeneric). */
    public void fcall(Client c, byte[][] argv, int argc, boolean readOnlyCommand) {
        // Effects replication: the commands the function runs are propagated, not the FCALL.
        c.engine.propagation.prevent();
        // Functions are fed to MONITOR before the commands they run (FCALL itself skips it).
        if (!c.engine.monitors.isEmpty()) c.engine.monitors.feed(c, argv, argc);
        Function f = find(argv[1]);
        if (f == null) {
            c.reply.error("ERR Function not found");
            return;
        }
        long numkeys = Scripting.numkeysOrReply(c, argv, argc, "ERR Bad number of keys provided");
        if (numkeys < 0) return;
        boolean oom = s.oomAtStart();
        if (!s.mayRun(c, f.flags, readOnlyCommand, oom)) return;
        boolean readOnly = readOnlyCommand || (f.flags & Shebang.NO_WRITES) != 0;
        ScriptRun run = new ScriptRun(c, f.name, readOnly, (f.flags & Shebang.ALLOW_OOM) != 0, oom, true, argv, argc);
        s.execute(c, vm, vm.callFunctionRef, f.ref, run, argv, 3, (int) numkeys, argc);
    }

    // ---- redis.register_function (RegisterFunction parses its arguments) ----------------------

    /** The library whose code is running, or null outside FUNCTION LOAD. */
    Library loading() {
        return loading;
    }

    // ---- DUMP / RESTORE / RDB -----------------------------------------------------------------

    /** FUNCTION DUMP: FUNCTION2 + code per library, the RDB version and the CRC64 (functionDumpCommand). */
    public byte[] dump(ByteArrayRdbOutput out) {
        for (Library li : current.libraries.values()) {
            out.write(Rdb.OPCODE_FUNCTION2);
            out.writeString(li.code);
        }
        out.write(Rdb.VERSION & 0xff);
        out.write((Rdb.VERSION >>> 8) & 0xff);
        out.writeLongLE(Crc64.update(0, out.array(), 0, out.size()));
        return Arrays.copyOf(out.array(), out.size());
    }

    public enum RestorePolicy { FLUSH, APPEND, REPLACE }

    /** FUNCTION RESTORE (functionRestoreCommand): the payload's libraries, joined by {@code policy}. */
    public void restore(byte[] payload, RestorePolicy policy) throws FunctionError {
        if (!DumpPayload.verify(payload)) throw new FunctionError("DUMP payload version or checksum are wrong");
        LibrarySet loaded = new LibrarySet();
        try {
            RdbInput in = RdbInput.of(payload, 0, payload.length - 10);
            while (true) {
                int type;
                try {
                    if (in.atEnd()) break;
                    type = in.readByte();
                } catch (IOException e) {
                    throw new FunctionError("can not read data type");
                }
                if (type == Rdb.OPCODE_FUNCTION) throw new FunctionError("Pre-GA function format not supported");
                if (type != Rdb.OPCODE_FUNCTION2) throw new FunctionError("given type is not a function");
                byte[] code;
                try {
                    code = in.readString();
                } catch (IOException e) {
                    throw new FunctionError("Failed loading library payload");
                }
                create(code, false, loaded, 0);
            }
            if (policy == RestorePolicy.FLUSH) {
                for (Library li : current.libraries.values()) free(li);
                current = loaded;
            } else {
                join(loaded, policy == RestorePolicy.REPLACE);
            }
        } catch (FunctionError e) {
            for (Library li : loaded.libraries.values()) free(li);
            throw e;
        }
    }

    /** libraryJoin: moves {@code src}'s libraries into the current set, all or none. */
    private void join(LibrarySet src, boolean replace) throws FunctionError {
        List<Library> replaced = new ArrayList<>();
        try {
            for (Library li : src.libraries.values()) {
                Library old = current.libraries.get(li.name);
                if (old == null) continue;
                if (!replace) throw new FunctionError("Library " + li.name + " already exists");
                current.unlink(old);
                replaced.add(old);
            }
            for (Function f : src.functions.values()) {
                if (current.functions.containsKey(key(f.name))) throw new FunctionError("Function " + f.name + " already exists");
            }
        } catch (FunctionError e) {
            for (Library old : replaced) current.link(old);
            throw e;
        }
        for (Library li : src.libraries.values()) current.link(li);
        for (Library old : replaced) free(old);
    }

    /**
     * A library read from an RDB file or an AOF preamble (rdbFunctionLoad); {@code replace} when the
     * load may overwrite (DEBUG RELOAD MERGE).
     */
    public void loadFromRdb(byte[] code, boolean replace) throws FunctionError {
        create(code, replace, current, 0);
    }

    // ---- FUNCTION STATS -------------------------------------------------------------------

    /** FUNCTION STATS: the running function (refused while an EVAL script is busy) and the engine's counts. */
    public void stats(Client c) {
        ScriptRun run = s.current;
        if (run != null && !run.function) {
            c.reply.error(Scripting.BUSY);
            return;
        }
        c.reply.mapHeader(2);
        c.reply.bulk("running_script");
        if (run == null) {
            c.reply.nullBulk();
        } else {
            c.reply.mapHeader(3);
            c.reply.bulk("name");
            c.reply.bulk(run.funcName);
            c.reply.bulk("command");
            c.reply.arrayHeader(run.argc);
            for (int i = 0; i < run.argc; i++) c.reply.bulk(run.argv[i]);
            c.reply.bulk("duration_ms");
            c.reply.integer((System.nanoTime() - run.startNanos) / 1_000_000);
        }
        c.reply.bulk("engines");
        c.reply.mapHeader(1);
        c.reply.bulk("LUA");
        c.reply.mapHeader(2);
        c.reply.bulk("libraries_count");
        c.reply.integer(libraryCount());
        c.reply.bulk("functions_count");
        c.reply.integer(functionCount());
    }
}
