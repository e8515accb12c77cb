package io.ember.persist;

import io.ember.engine.Engine;
import io.ember.persist.rdb.ByteArrayRdbOutput;
import io.ember.persist.rdb.RdbFiles;
import io.ember.persist.rdb.RdbWriter;

/**
 * The server's persistence state (Redis's server.lastsave, lastbgsave_status, stat_rdb_saves...)
 * and the foreground save. One per engine; everything here runs on the engine thread.
 */
public final class Persistence {
    private final Engine engine;

    /** Unix seconds of the last successful save; start-up counts as saved (initServer). */
    public long lastSaveSeconds = System.currentTimeMillis() / 1000;
    /** Status of the last save that finished (lastbgsave_status; a failed SAVE leaves it alone, as in Redis). */
    public boolean lastSaveOk = true;
    /** Saves started (stat_rdb_saves). */
    public long rdbSaves;
    /** Reused by DUMP: its array and compression buffer survive between payloads. */
    private ByteArrayRdbOutput dumpOutput;

    public Persistence(Engine engine) {
        this.engine = engine;
    }

    /**
     * SAVE (rdbSave): the whole keyspace to {@code dir/dbfilename}, on the calling (engine)
     * thread. On success resets the dirty counter and the last-save time; on failure logs the
     * reason and leaves the previous dump untouched.
     */
    public boolean saveForeground() {
        rdbSaves++;
        RdbWriter writer = new RdbWriter(engine);
        try {
            RdbFiles.write(engine.config.dir, engine.config.dbfilename, engine.config.rdbCompression,
                    engine.config.rdbChecksum, out -> writer.writeSnapshot(out, engine));
        } catch (RdbFiles.SaveException e) {
            engine.log.warning(e.getMessage());
            return false;
        }
        engine.log.notice("DB saved on disk");
        engine.dirty = 0;
        lastSaveSeconds = System.currentTimeMillis() / 1000;
        lastSaveOk = true;
        return true;
    }

    /** The output DUMP serializes into, emptied and set to the current rdbcompression. */
    public ByteArrayRdbOutput dumpOutput() {
        if (dumpOutput == null) dumpOutput = new ByteArrayRdbOutput(engine.config.rdbCompression);
        dumpOutput.reset();
        dumpOutput.setCompression(engine.config.rdbCompression);
        return dumpOutput;
    }
}
