package io.ember.command;

import io.ember.resp.RespValue;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Every command Ember implements, by name, with its handler. Metadata comes from Redis's own
 * description ({@link CommandMetadata}); a command Redis does not know cannot be registered, and
 * a command not registered here answers "unknown command".
 *
 * <p>This is the one place that maps names to code: each line below names the method that runs.
 */
public final class CommandTable {
    private final CommandMetadata metadata = new CommandMetadata();
    private final Map<String, CommandSpec> byName = new LinkedHashMap<>();
    private final NameIndex index = new NameIndex();

    public CommandTable() {
        CommandRegistrations.registerAll(this);
        finish();
    }

    /** Registers a command (its metadata must exist in Redis 7.0's table). */
    public void add(String name, CommandHandler handler) {
        CommandSpec spec = build(name, null, handler);
        if (byName.put(name, spec) != null) throw new IllegalStateException("duplicate command " + name);
    }

    /** Registers a subcommand; the container is created on first use. */
    public void addSub(String container, String sub, CommandHandler handler) {
        CommandSpec parent = byName.get(container);
        if (parent == null) {
            add(container, null);
            parent = byName.get(container);
        }
        String full = container + "|" + sub;
        parent.subcommands.put(sub, build(full, parent, handler));
    }

    private CommandSpec build(String fullName, CommandSpec parent, CommandHandler handler) {
        RespValue.Array info = metadata.info.get(fullName);
        if (info == null) throw new IllegalStateException("Redis 7.0 has no command " + fullName);
        List<RespValue> it = info.items();
        int arity = (int) ((RespValue.Int) it.get(1)).value();
        int flags = 0;
        for (RespValue f : ((RespValue.Array) it.get(2)).items()) flags |= CommandSpec.flagBit(f.toString());
        int first = (int) ((RespValue.Int) it.get(3)).value();
        int last = (int) ((RespValue.Int) it.get(4)).value();
        int step = (int) ((RespValue.Int) it.get(5)).value();
        CommandSpec spec = new CommandSpec(fullName, parent, arity, flags, first, last, step, info,
                KeySpec.parse(it.get(8)), handler);
        spec.docs = metadata.docs.get(fullName);
        return spec;
    }

    /** Rewrites each container's INFO and DOCS to list only the subcommands Ember implements. */
    private void finish() {
        for (CommandSpec c : byName.values()) {
            index.put(c.name, c);
            if (!c.isContainer()) continue;
            List<RespValue> subsInfo = new ArrayList<>();
            List<RespValue> subsDocs = new ArrayList<>();
            for (CommandSpec s : c.subcommands.values()) {
                subsInfo.add(s.info);
                if (s.docs != null) {
                    subsDocs.add(new RespValue.Bulk(s.fullName.getBytes()));
                    subsDocs.add(s.docs);
                }
            }
            List<RespValue> items = new ArrayList<>(c.info.items());
            items.set(9, new RespValue.Array(RespValue.AggregateKind.ARRAY, subsInfo));
            c.info = new RespValue.Array(RespValue.AggregateKind.ARRAY, items);
            if (c.docs != null) {
                List<RespValue> flat = new ArrayList<>(c.docs.flat());
                for (int i = 0; i + 1 < flat.size(); i += 2) {
                    if (flat.get(i).toString().equals("subcommands")) flat.set(i + 1, new RespValue.Map(subsDocs));
                }
                c.docs = new RespValue.Map(flat);
            }
        }
    }

    /** Top-level command by name, case-insensitive, without allocating. */
    public CommandSpec lookup(byte[] name) {
        return index.get(name);
    }

    /** The last plain command looked up, by the identity of its name array (see RequestParser). */
    private byte[] lastName;
    private CommandSpec lastSpec;

    /** Command or subcommand addressed by a request (lookupCommand): null when unknown. */
    public CommandSpec lookup(byte[][] argv, int argc) {
        byte[] name = argv[0];
        // The parser hands out the same array for a repeated command name, so a pipeline of one
        // command is looked up once. Only plain commands are cached (containers need argv[1]).
        if (name == lastName) return lastSpec;
        CommandSpec base = index.get(name);
        if (base != null && !base.isContainer()) {
            lastName = name;
            lastSpec = base;
        }
        if (base == null || argc < 2 || !base.isContainer()) return base;
        return base.subcommands.get(new String(argv[1], java.nio.charset.StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT));
    }

    /** Command or subcommand by "name" or "container|sub" (COMMAND INFO, ACL). */
    public CommandSpec lookupFullName(String fullName) {
        String lower = fullName.toLowerCase(Locale.ROOT);
        int bar = lower.indexOf('|');
        if (bar < 0) return byName.get(lower);
        CommandSpec base = byName.get(lower.substring(0, bar));
        return base == null ? null : base.subcommands.get(lower.substring(bar + 1));
    }

    public Collection<CommandSpec> all() {
        return byName.values();
    }

    public int size() {
        return byName.size();
    }

    /** Key positions of a request per its key specs; null when the arguments do not fit them. */
    public List<int[]> keyPositions(CommandSpec cmd, byte[][] argv, int argc) {
        List<int[]> out = new ArrayList<>();
        for (int i = 0; i < cmd.keySpecs.size(); i++) {
            if (!cmd.keySpecs.get(i).positions(cmd, argv, argc, out, i)) return null;
        }
        return out;
    }

    public List<String> keySpecFlags(CommandSpec cmd, int specIndex) {
        return cmd.keySpecs.get(specIndex).flags;
    }

    public boolean hasKeys(CommandSpec cmd) {
        return !cmd.keySpecs.isEmpty();
    }

    /** Case-insensitive open-addressing index from command name bytes to spec. */
    private static final class NameIndex {
        private byte[][] names = new byte[512][];
        private CommandSpec[] specs = new CommandSpec[512];

        void put(String name, CommandSpec spec) {
            byte[] n = name.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
            int mask = names.length - 1;
            int i = hash(n) & mask;
            while (names[i] != null) i = (i + 1) & mask;
            names[i] = n;
            specs[i] = spec;
        }

        CommandSpec get(byte[] name) {
            int mask = names.length - 1;
            int i = hash(name) & mask;
            byte[] n;
            while ((n = names[i]) != null) {
                if (equalsIgnoreCase(n, name)) return specs[i];
                i = (i + 1) & mask;
            }
            return null;
        }

        private static int hash(byte[] b) {
            int h = 0;
            for (byte c : b) h = 31 * h + (c | 0x20);
            return h ^ (h >>> 16);
        }

        private static boolean equalsIgnoreCase(byte[] lower, byte[] any) {
            if (lower.length != any.length) return false;
            for (int i = 0; i < lower.length; i++) {
                int c = any[i];
                if (c >= 'A' && c <= 'Z') c += 32;
                if (c != lower[i]) return false;
            }
            return true;
        }
    }
}
