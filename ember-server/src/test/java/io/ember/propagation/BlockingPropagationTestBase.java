package io.ember.propagation;

import org.junit.jupiter.api.BeforeAll;

/** A propagation test with a second connection that blocks (BLPOP, BZPOPMIN, XREADGROUP...). */
abstract class BlockingPropagationTestBase extends PropagationTestBase {
    static int blocker;

    @BeforeAll
    static void openBlocker() {
        blocker = cap.newConnection();
    }

    /** {@code block} waits on the blocker connection until {@code push} serves it; then both AOFs are compared. */
    static void servedLater(String[] block, String... push) throws Exception {
        cap.send(blocker, block);
        Thread.sleep(100);
        cap.run(push);
        cap.expectReply(blocker, String.join(" ", block));
        cap.compare(String.join(" ", block) + " woken by " + String.join(" ", push));
    }
}
