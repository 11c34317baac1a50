package io.mete.journal.cli;

import io.mete.engine.command.CommandWriter;
import io.mete.schema.*;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class MessageJsonTest
{
    private final MessageJson json = new MessageJson();
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[4096]);
    private final CommandWriter writer = new CommandWriter();

    @Test
    void aCommandBecomesOneLineWithItsTypeGroupsAndEnumNames()
    {
        final int length = writer.placeOrder(buffer, 16, 7, "O-1", "web", 5, ServiceLevel.EXPEDITED, 40.5, -74.25, 0, 0,
            new String[] {"SKU1", "SKU2"}, new int[] {2, 1});
        assertEquals("{\"type\":\"PlaceOrder\",\"correlationId\":7,\"priority\":5,\"service\":\"EXPEDITED\",\"latitude\":40500000," +
            "\"longitude\":-74250000,\"latestDeliveryDay\":0,\"holdUntil\":0,\"lines\":[{\"quantity\":2,\"sku\":\"SKU1\"}," +
            "{\"quantity\":1,\"sku\":\"SKU2\"}],\"orderId\":\"O-1\",\"channel\":\"web\"}", json.toJson(buffer, 16, length));
    }

    @Test
    void quotesAndBackslashesInIdentifiersStayEscapedAndBlanksInsideStringsStay()
    {
        final int length = writer.cancelOrder(buffer, 0, 3, "A \"quoted\" \\ id");
        assertEquals("{\"type\":\"CancelOrder\",\"correlationId\":3,\"orderId\":\"A \\\"quoted\\\" \\\\ id\"}", json.toJson(buffer, 0, length));
    }

    @Test
    void eventsAndQueryResultsToo()
    {
        final StateHashEncoder hash = new StateHashEncoder();
        hash.wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder()).correlationId(9).lastSequence(42).hash(-1);
        assertEquals("{\"type\":\"StateHash\",\"correlationId\":9,\"lastSequence\":42,\"hash\":-1}",
            json.toJson(buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + hash.encodedLength()));
        final int tick = writer.tick(buffer, 0, 1);
        assertTrue(json.toJson(buffer, 0, tick).startsWith("{\"type\":\"Tick\",\"correlationId\":1"), json.toJson(buffer, 0, tick));
    }

    @Test
    void unknownAndCutMessagesAreSaidToBeSo()
    {
        final int length = writer.tick(buffer, 0, 1);
        buffer.putShort(2, (short)999, java.nio.ByteOrder.LITTLE_ENDIAN);
        assertEquals("{\"type\":\"unknown\",\"schemaId\":7077,\"templateId\":999,\"length\":" + length + "}", json.toJson(buffer, 0, length));
        assertEquals("{\"type\":\"malformed\",\"length\":3}", json.toJson(buffer, 0, 3));
        final int order = writer.placeOrder(buffer, 0, 7, "O-1", "web", 5, ServiceLevel.STANDARD, 40, -74, 0, 0,
            new String[] {"SKU1", "SKU2"}, new int[] {2, 1});
        final String cut = json.toJson(buffer, 0, order - 10);
        assertTrue(cut.startsWith("{\"type\":\"malformed\",\"templateId\":20"), cut);
    }
}
