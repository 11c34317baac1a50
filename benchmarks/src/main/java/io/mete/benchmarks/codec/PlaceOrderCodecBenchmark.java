package io.mete.benchmarks.codec;

import io.mete.engine.command.CommandWriter;
import io.mete.engine.workload.OrderGenerator;
import io.mete.engine.workload.ReferenceNetwork;
import io.mete.engine.workload.Workload;
import io.mete.schema.MessageHeaderDecoder;
import io.mete.schema.MessageHeaderEncoder;
import io.mete.schema.PlaceOrderDecoder;
import io.mete.schema.PlaceOrderEncoder;
import io.mete.schema.ServiceLevel;
import io.mete.schema.SourcingStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.*;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The SBE codec on its own: encoding and decoding one PlaceOrder of the reference workload (order
 * id, channel, ship-to, service, lines of SKU code and quantity), outside the engine.
 * <ul>
 *   <li>{@code encode}: the flyweight encoder writing from pre-encoded ASCII bytes, as a gateway
 *       translating another protocol would;</li>
 *   <li>{@code encodeWithStrings}: {@link CommandWriter#placeOrder}, the convenience API taking
 *       {@code String}s and degrees;</li>
 *   <li>{@code decode}: header and PlaceOrder decoder reading every field, every line and every
 *       string (copied into a scratch array), cycling through 1,024 orders of the workload's generator.</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgs = {"-Xms1g", "-Xmx1g"})
public class PlaceOrderCodecBenchmark
{
    @Param({"3", "10"})
    public int lines;

    private static final int POOL = 1 << 10;

    private final UnsafeBuffer out = new UnsafeBuffer(new byte[4096]);
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final PlaceOrderEncoder encoder = new PlaceOrderEncoder();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final PlaceOrderDecoder decoder = new PlaceOrderDecoder();
    private final CommandWriter writer = new CommandWriter();
    private final byte[] scratch = new byte[256];

    private byte[][] skuBytes;
    private String[] skuStrings;
    private int[] quantities;
    private final byte[] orderId = "B-000000123456".getBytes(StandardCharsets.US_ASCII);
    private final byte[] channel = ReferenceNetwork.CHANNEL.getBytes(StandardCharsets.US_ASCII);
    private final UnsafeBuffer pool = new UnsafeBuffer(new byte[POOL * 512]);
    private final int[] poolOffsets = new int[POOL];
    private int next;
    private long correlation;

    @Setup(Level.Trial)
    public void setup()
    {
        skuBytes = new byte[lines][];
        skuStrings = new String[lines];
        quantities = new int[lines];
        for (int i = 0; i < lines; i++)
        {
            skuStrings[i] = Workload.skuCode(17 + i * 991);
            skuBytes[i] = skuStrings[i].getBytes(StandardCharsets.US_ASCII);
            quantities[i] = 1;
        }
        final OrderGenerator generator = new OrderGenerator(Workload.reference(SourcingStrategy.COST).withLinesPerOrder(lines), POOL, "B-");
        int at = 0;
        for (int i = 0; i < POOL; i++)
        {
            generator.next();
            pool.putBytes(at, generator.buffer(), generator.offset(), generator.length());
            poolOffsets[i] = at;
            at += generator.length();
        }
    }

    @Benchmark
    public int encode()
    {
        encoder.wrapAndApplyHeader(out, 0, headerEncoder)
            .correlationId(++correlation)
            .priority((short)5)
            .service(ServiceLevel.STANDARD)
            .latitude(40_712_776)
            .longitude(-74_005_974)
            .latestDeliveryDay(0)
            .holdUntil(0);
        final PlaceOrderEncoder.LinesEncoder group = encoder.linesCount(lines);
        for (int i = 0; i < lines; i++)
        {
            final byte[] sku = skuBytes[i];
            group.next().quantity(quantities[i]).putSku(sku, 0, sku.length);
        }
        encoder.putOrderId(orderId, 0, orderId.length).putChannel(channel, 0, channel.length);
        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    @Benchmark
    public int encodeWithStrings()
    {
        return writer.placeOrder(out, 0, ++correlation, "B-000000123456", ReferenceNetwork.CHANNEL, 5, ServiceLevel.STANDARD,
            40.712776, -74.005974, 0, 0, skuStrings, quantities);
    }

    @Benchmark
    public long decode()
    {
        final int offset = poolOffsets[next];
        next = (next + 1) & (POOL - 1);
        headerDecoder.wrap(pool, offset);
        decoder.wrap(pool, offset + MessageHeaderDecoder.ENCODED_LENGTH, headerDecoder.blockLength(), headerDecoder.version());
        long sum = headerDecoder.templateId() + decoder.correlationId() + decoder.priority() + decoder.serviceRaw() +
            decoder.latitude() + decoder.longitude() + decoder.latestDeliveryDay() + decoder.holdUntil();
        for (final PlaceOrderDecoder.LinesDecoder line : decoder.lines())
        {
            sum += line.quantity();
            sum += line.getSku(scratch, 0, scratch.length);
            sum += scratch[0];
        }
        sum += decoder.getOrderId(scratch, 0, scratch.length) + scratch[3];
        sum += decoder.getChannel(scratch, 0, scratch.length) + scratch[0];
        return sum;
    }
}
