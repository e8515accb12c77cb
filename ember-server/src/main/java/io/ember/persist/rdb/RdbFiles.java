package io.ember.persist.rdb;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.function.Consumer;

/**
 * Replacing the dump file safely, as Redis's rdbSave does: write {@code temp-<pid>.rdb} in the
 * data directory, flush and fsync it, rename it over the dump atomically and fsync the directory.
 * On any failure the temp file is removed and the old dump is left as it was; the exception's
 * message is the line Redis would log.
 */
public final class RdbFiles {
    private RdbFiles() {}

    /** A failed save; the message is the warning to log. */
    public static final class SaveException extends Exception {
        public SaveException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    public static String tempFileName(long pid) {
        return "temp-" + pid + ".rdb";
    }

    /**
     * Writes {@code dir/filename} through {@code producer}, which must write the whole RDB stream
     * (EOF and checksum included) to the output it is given. Returns the file's size.
     */
    public static long write(Path dir, String filename, boolean compression, boolean checksum,
            Consumer<RdbFileOutput> producer) throws SaveException {
        String tmpName = tempFileName(ProcessHandle.current().pid());
        Path tmp = dir.resolve(tmpName);
        FileChannel ch;
        try {
            ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw new SaveException("Failed opening the temp RDB file " + tmpName + " (in server root dir " + dir
                    + ") for saving: " + reason(e), e);
        }
        String op = "rdbSaveRio";
        long size;
        try (ch) {
            RdbFileOutput out = new RdbFileOutput(ch, compression, checksum);
            producer.accept(out);
            op = "fflush";
            out.flush();
            size = out.size();
            op = "fsync";
            ch.force(true);
            op = "fclose";
        } catch (IOException | UncheckedIOException e) {
            deleteQuietly(tmp);
            IOException cause = e instanceof UncheckedIOException u ? u.getCause() : (IOException) e;
            throw new SaveException("Write error saving DB on disk(" + op + "): " + reason(cause), cause);
        } catch (RuntimeException e) {
            deleteQuietly(tmp);
            throw new SaveException("Write error saving DB on disk(" + op + "): " + e, e);
        }
        try {
            Files.move(tmp, dir.resolve(filename), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw new SaveException("Error moving temp DB file " + tmpName + " on the final destination " + filename
                    + " (in server root dir " + dir + "): " + reason(e), e);
        }
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true); // the rename itself must survive a crash (fsyncFileDir)
        } catch (IOException e) {
            throw new SaveException("Write error saving DB on disk(fsyncFileDir): " + reason(e), e);
        }
        return size;
    }

    /** strerror's wording for the usual cases, else the exception's own. */
    static String reason(IOException e) {
        if (e instanceof AccessDeniedException) return "Permission denied";
        if (e instanceof NoSuchFileException) return "No such file or directory";
        if (e instanceof FileSystemException f && f.getReason() != null) return f.getReason();
        return String.valueOf(e.getMessage());
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // nothing more to do: Redis's unlink() result is not checked either
        }
    }
}
