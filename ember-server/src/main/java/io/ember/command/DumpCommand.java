package io.ember.command;

import io.ember.client.Client;
import io.ember.engine.Database;
import io.ember.persist.rdb.ByteArrayRdbOutput;
import io.ember.persist.rdb.Crc64;
import io.ember.persist.rdb.Rdb;
import io.ember.persist.rdb.RdbValueWriter;

/**
 * DUMP key (createDumpPayload): the value's RDB type byte and serialization, then the RDB
 * version (2 bytes, little-endian) and the CRC64 of all of that (8 bytes, little-endian).
 */
final class DumpCommand {
    private DumpCommand() {}

    static void register(CommandTable t) {
        t.add("dump", DumpCommand::dump);
    }

    static void dump(Client c, byte[][] argv, int argc) {
        Database db = c.db;
        int ref = db.lookupRead(argv[1]);
        if (ref == 0) {
            c.reply.nullBulk();
            return;
        }
        int type = db.type(ref);
        Object value = db.value(ref);
        ByteArrayRdbOutput out = c.engine.persistence.dumpOutput();
        out.write(RdbValueWriter.rdbType(type, db.encoding(ref), value));
        RdbValueWriter.writeValue(out, type, value);
        out.write(Rdb.VERSION & 0xff);
        out.write((Rdb.VERSION >>> 8) & 0xff);
        out.writeLongLE(Crc64.update(0, out.array(), 0, out.size()));
        c.reply.bulk(out.array(), 0, out.size());
    }
}
