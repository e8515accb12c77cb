package io.ember;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** redis-server's argument conventions: config file first, "-" for stdin, --name value lines. */
class CommandLineTest {
    @Test
    void optionsBecomeQuotedConfigLines() {
        assertEquals(List.of("port \"7000\"", "save \"900\" \"1\" \"300\" \"10\"", "loglevel \"verbose\""),
                CommandLine.optionLines(List.of("--port", "7000", "--save", "900", "1", "300", "10",
                        "--loglevel", "verbose")));
        assertEquals(List.of("requirepass \"a b\\\"c\""), CommandLine.optionLines(List.of("--requirepass", "a b\"c")));
        assertEquals(List.of("port 7000", "timeout \"5\""), CommandLine.optionLines(List.of("--port 7000", "--timeout", "5")),
                "an option and its value given as one argument");
    }

    @Test
    void bareSaveMeansNoSnapshots() {
        assertEquals(List.of("save \"\"", "port \"1\""), CommandLine.optionLines(List.of("--save", "--port", "1")));
        assertEquals(List.of("port \"1\"", "save \"\""), CommandLine.optionLines(List.of("--port", "1", "--save")));
        assertEquals(List.of("save \"\""), CommandLine.optionLines(List.of("--save", "")));
    }

    @Test
    void valueStartingWithDashesIsAValueWhenTheOptionHasNoneYet() {
        assertEquals(List.of("requirepass \"--x\"", "port \"1\""),
                CommandLine.optionLines(List.of("--requirepass", "--x", "--port", "1")));
    }

    @Test
    void configFileThenStdinThenOptions() {
        CommandLine.Parsed p = CommandLine.parse(List.of("ember.conf", "--port", "7000", "-"));
        assertEquals(Path.of("ember.conf").toAbsolutePath(), p.configFile());
        assertTrue(p.readStdin());
        assertEquals(List.of("port \"7000\""), p.optionLines());

        CommandLine.Parsed stdinOnly = CommandLine.parse(List.of("-", "--port", "7000"));
        assertNull(stdinOnly.configFile());
        assertTrue(stdinOnly.readStdin());

        CommandLine.Parsed none = CommandLine.parse(List.of("--port", "7000"));
        assertNull(none.configFile());
        assertFalse(none.readStdin());
    }
}
