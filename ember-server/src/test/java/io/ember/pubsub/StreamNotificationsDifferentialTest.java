package io.ember.pubsub;

import io.ember.testing.NotificationCheck.Runner;

/**
 * Keyspace notifications of the stream commands against redis-server 7.0 (t_stream.c): xadd
 * (then xtrim when the trimming removed something), xdel, xtrim, xsetid, xgroup-create,
 * xgroup-setid, xgroup-destroy, xgroup-createconsumer (also when XREADGROUP, XCLAIM or
 * XAUTOCLAIM create a consumer), xgroup-delconsumer, "new" for a stream created by XADD or
 * XGROUP CREATE MKSTREAM, nothing for errors, no-ops, XACK and reads ("keymiss" for misses).
 * Replies with times are not part of the script.
 */
class StreamNotificationsDifferentialTest extends ScriptedNotificationsTest {

    @Override
    void script(Runner p) {
        p.run("xadd", "s", "1-1", "f", "v");
        p.run("xadd", "s", "maxlen", "1", "2-1", "f", "v");
        p.run("xadd", "s", "maxlen", "5", "3-1", "f", "v");
        p.run("xadd", "s", "1-1", "f", "v");
        p.run("xadd", "s", "nomkstream", "4-1", "f", "v");
        p.run("xadd", "nos", "nomkstream", "4-1", "f", "v");
        p.run("xadd", "s", "minid", "~", "100", "5-1", "f", "v");
        p.run("xdel", "s", "9-9");
        p.run("xdel", "s", "2-1", "9-9");
        p.run("xdel", "nos", "1");
        p.run("xtrim", "s", "maxlen", "10");
        p.run("xtrim", "s", "maxlen", "1");
        p.run("xtrim", "nos", "maxlen", "1");
        p.run("xsetid", "s", "100-1");
        p.run("xsetid", "s", "1-1");
        p.run("xsetid", "nos", "1-1");
        p.run("xlen", "s");
        p.run("xlen", "nos");
        p.run("xrange", "s", "-", "+");
        p.run("xrange", "nos", "-", "+");
        p.run("xgroup", "create", "s", "g", "0");
        p.run("xgroup", "create", "s", "g", "0");
        p.run("xgroup", "create", "g2s", "g", "$", "mkstream");
        p.run("xgroup", "create", "nos", "g", "$");
        p.run("xgroup", "setid", "s", "g", "0");
        p.run("xgroup", "createconsumer", "s", "g", "c1");
        p.run("xgroup", "createconsumer", "s", "g", "c1");
        p.run("xreadgroup", "group", "g", "c2", "streams", "s", ">");
        p.run("xreadgroup", "group", "g", "c3", "streams", "s", ">");
        p.run("xreadgroup", "group", "g", "c2", "streams", "s", "0");
        p.run("xack", "s", "g", "5-1");
        p.run("xadd", "s", "6-1", "a", "b");
        p.run("xreadgroup", "group", "g", "c2", "streams", "s", ">");
        p.run("xclaim", "s", "g", "c4", "0", "6-1", "justid");
        p.run("xautoclaim", "s", "g", "c5", "0", "0", "justid");
        p.run("xgroup", "delconsumer", "s", "g", "c5");
        p.run("xgroup", "delconsumer", "s", "g", "nobody");
        p.run("xgroup", "destroy", "s", "g");
        p.run("xgroup", "destroy", "s", "g");
        p.run("set", "str", "x");
        p.run("xadd", "str", "1-1", "f", "v");
        p.run("xgroup", "create", "str", "g", "$");
        p.run("multi");
        p.run("xadd", "tx", "1-1", "a", "1");
        p.run("xdel", "tx", "1-1");
        p.run("xgroup", "create", "tx", "g", "$");
        p.run("exec");
        p.run("del", "s");
    }

    @Override
    String[] filterClasses() {
        return new String[] {"Kt", "Et", "Eg", "KEl", "KEA"};
    }

    @Override
    void filterScript(Runner p) {
        p.run("xadd", "k", "maxlen", "1", "1-1", "a", "1");
        p.run("xadd", "k", "maxlen", "1", "2-1", "a", "1");
        p.run("xgroup", "create", "k", "g", "0");
        p.run("xreadgroup", "group", "g", "c", "streams", "k", ">");
        p.run("xdel", "k", "2-1");
        p.run("del", "k");
    }
}
