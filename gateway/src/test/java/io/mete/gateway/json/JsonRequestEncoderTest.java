package io.mete.gateway.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mete.journal.cli.MessageJson;
import io.mete.schema.AdjustOnHandEncoder;
import io.mete.schema.AdjustReason;
import io.mete.schema.MessageHeaderEncoder;
import io.mete.schema.PlaceOrderEncoder;
import io.mete.schema.ServiceLevel;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import uk.co.real_logic.sbe.PrimitiveType;
import uk.co.real_logic.sbe.ir.GenerationUtil;
import uk.co.real_logic.sbe.ir.Ir;
import uk.co.real_logic.sbe.ir.Signal;
import uk.co.real_logic.sbe.ir.Token;
import uk.co.real_logic.sbe.xml.IrGenerator;
import uk.co.real_logic.sbe.xml.ParserOptions;
import uk.co.real_logic.sbe.xml.XmlSchemaParser;

import java.io.InputStream;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class JsonRequestEncoderTest
{
    private final JsonRequestEncoder encoder = new JsonRequestEncoder();
    private final MessageJson printer = new MessageJson();
    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void placeOrderEncodesToTheGeneratedEncodersBytes()
    {
        final UnsafeBuffer expected = new UnsafeBuffer(new byte[512]);
        final PlaceOrderEncoder order = new PlaceOrderEncoder().wrapAndApplyHeader(expected, 0, new MessageHeaderEncoder())
            .correlationId(7).priority((short)2).service(ServiceLevel.EXPEDITED).latitude(40_712_800).longitude(-74_006_000)
            .latestDeliveryDay(20_500).holdUntil(0);
        order.linesCount(2).next().quantity(3).sku("SKU00001").next().quantity(1).sku("SKU00042");
        order.orderId("A-1").channel("web");
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + order.encodedLength();

        final byte[] bytes = encoder.encode("{\"type\":\"PlaceOrder\",\"correlationId\":7,\"priority\":2,\"service\":\"EXPEDITED\"," +
            "\"latitude\":40712800,\"longitude\":-74006000,\"latestDeliveryDay\":20500," +
            "\"lines\":[{\"quantity\":3,\"sku\":\"SKU00001\"},{\"sku\":\"SKU00042\",\"quantity\":1}],\"channel\":\"web\",\"orderId\":\"A-1\"}");

        assertArrayEquals(Arrays.copyOf(expected.byteArray(), length), bytes, "members in any order; holdUntil left out is 0");
    }

    @Test
    void leftOutFieldsAreZeroAndEnumsTakeTheirZeroValue()
    {
        final UnsafeBuffer expected = new UnsafeBuffer(new byte[256]);
        final AdjustOnHandEncoder adjust = new AdjustOnHandEncoder().wrapAndApplyHeader(expected, 0, new MessageHeaderEncoder())
            .correlationId(0).delta(-5).reason(AdjustReason.RECEIPT).node("N001").sku("SKU00001");
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + adjust.encodedLength();

        assertArrayEquals(Arrays.copyOf(expected.byteArray(), length),
            encoder.encode("AdjustOnHand", node("{\"delta\":-5,\"node\":\"N001\",\"sku\":\"SKU00001\"}")));
    }

    /** Every message of the schema with random values: encoded from JSON, then printed by SBE's own printer, gives the same JSON. */
    @Test
    void everyMessageRoundTripsThroughTheSchemasPrinter() throws Exception
    {
        final Ir ir = RandomJsonMessages.schema();
        final Random random = new Random(20261123);
        int messages = 0;
        for (final List<Token> message : ir.messages())
        {
            if (RandomJsonMessages.hasBinaryData(message))
            {
                continue;
            }
            for (int i = 0; i < 50; i++)
            {
                final ObjectNode json = mapper.createObjectNode();
                json.put("type", message.get(0).name());
                RandomJsonMessages.fill(GenerationUtil.getMessageBody(message), json, random);

                final byte[] bytes = encoder.encode(json.toString());
                final JsonNode printed = mapper.readTree(printer.toJson(new UnsafeBuffer(bytes), 0, bytes.length));
                assertEquals(mapper.readTree(json.toString()), printed, message.get(0).name());
                assertArrayEquals(bytes, encoder.encode(printed.toString()), "printed JSON encodes to the same bytes");
                messages++;
            }
        }
        assertTrue(messages > 50 * 50, "messages tried: " + messages);
    }

    @Test
    void badRequestsSayWhichMemberAndWhy()
    {
        assertError("not valid JSON", "{\"type\":\"PlaceOrder\",");
        assertError("expected one JSON object", "[1,2]");
        assertError("\"type\" must name the message", "{\"orderId\":\"A\"}");
        assertError("unknown message type \"PlaceOrders\"", "{\"type\":\"PlaceOrders\"}");
        assertError("PlaceOrder: no field \"quantiy\"", "{\"type\":\"PlaceOrder\",\"quantiy\":1}");
        assertError("PlaceOrder.lines[0]: no field \"qty\"", "{\"type\":\"PlaceOrder\",\"lines\":[{\"qty\":1,\"sku\":\"S\"}]}");
        assertError("PlaceOrder.lines[0].quantity: expected an integer", "{\"type\":\"PlaceOrder\",\"lines\":[{\"quantity\":1.5}]}");
        assertError("PlaceOrder.lines[0].quantity: expected an integer", "{\"type\":\"PlaceOrder\",\"lines\":[{\"quantity\":\"3\"}]}");
        assertError("PlaceOrder.priority: 300 is outside 0..254", "{\"type\":\"PlaceOrder\",\"priority\":300}");
        assertError("PlaceOrder.latitude: 2147483648 is outside -2147483647..2147483647", "{\"type\":\"PlaceOrder\",\"latitude\":2147483648}");
        assertError("PlaceOrder.service: \"SLOW\"; one of STANDARD, EXPEDITED, NEXT_DAY", "{\"type\":\"PlaceOrder\",\"service\":\"SLOW\"}");
        assertError("PlaceOrder.lines: expected an array of objects", "{\"type\":\"PlaceOrder\",\"lines\":{\"quantity\":1}}");
        assertError("PlaceOrder.lines[0]: expected an object", "{\"type\":\"PlaceOrder\",\"lines\":[3]}");
        assertError("PlaceOrder.orderId: must be US-ASCII", "{\"type\":\"PlaceOrder\",\"orderId\":\"A\u00e9\"}");
        assertError("PlaceOrder.orderId: expected a string", "{\"type\":\"PlaceOrder\",\"orderId\":12}");
        assertError("PlaceOrder.orderId: at most 254 characters", "{\"type\":\"PlaceOrder\",\"orderId\":\"" + "A".repeat(255) + "\"}");
        assertError("not valid JSON: Duplicate field 'orderId'", "{\"type\":\"PlaceOrder\",\"orderId\":\"A\",\"orderId\":\"B\"}");
        assertError("not valid JSON", "{\"type\":\"PlaceOrder\"} {}");
        final JsonRequestException typeMismatch = assertThrows(JsonRequestException.class,
            () -> encoder.encode("CancelOrder", node("{\"type\":\"PlaceOrder\"}")));
        assertTrue(typeMismatch.getMessage().contains("\"type\" says \"PlaceOrder\""), typeMismatch.getMessage());
    }

    private void assertError(final String expected, final String json)
    {
        final JsonRequestException error = assertThrows(JsonRequestException.class, () -> encoder.encode(json), json);
        assertTrue(error.getMessage().startsWith(expected), "'" + error.getMessage() + "' should start with '" + expected + "'");
    }

    private JsonNode node(final String json)
    {
        return encoder.parse(json);
    }

}
