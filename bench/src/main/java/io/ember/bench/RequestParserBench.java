package io.ember.bench;

import io.ember.resp.ProtocolException;
import io.ember.resp.QueryBuffer;
import io.ember.resp.RequestParser;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/** Copying a pipeline of 16 SET requests (as redis-benchmark -P 16 sends them) from a network buffer and parsing it. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RequestParserBench {
    @Param({"100", "1024"})
    int valueSize;

    private ByteBuf pipeline;
    private final QueryBuffer query = new QueryBuffer();
    private final RequestParser parser = new RequestParser();

    @Setup
    public void setup() {
        StringBuilder sb = new StringBuilder();
        String value = "x".repeat(valueSize);
        for (int i = 0; i < 16; i++) {
            sb.append("*3\r\n$3\r\nSET\r\n$16\r\nkey:00000000").append(1000 + i).append("\r\n$")
              .append(valueSize).append("\r\n").append(value).append("\r\n");
        }
        pipeline = PooledByteBufAllocator.DEFAULT.directBuffer();
        pipeline.writeBytes(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    /** One pipeline of 16 requests per invocation. */
    @Benchmark
    public void parseSixteenSets(Blackhole bh) throws ProtocolException {
        pipeline.readerIndex(0);
        query.append(pipeline);
        while (parser.parse(query, 512L << 20, false)) {
            bh.consume(parser.argv()[2]);
            parser.reset();
        }
        query.compact();
    }
}
