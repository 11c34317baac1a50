package io.mete.gateway.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mete.gateway.protocol.Templates;
import io.mete.journal.cli.MessageJson;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import uk.co.real_logic.sbe.ir.GenerationUtil;
import uk.co.real_logic.sbe.ir.Ir;
import uk.co.real_logic.sbe.ir.Token;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The OpenAPI document says what the gateway does: a request its schema allows is one the encoder
 * takes, a request it forbids is one the encoder refuses, and what the server sends (answers and
 * events, as MessageJson prints them) fits the schemas given for them.
 */
class OpenApiDocumentTest
{
    private final ObjectNode document = OpenApiDocument.create("test");
    private final JsonRequestEncoder encoder = new JsonRequestEncoder();
    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void listsEveryRequestAnswerAndPath() throws Exception
    {
        assertEquals("3.1.0", document.get("openapi").asText());
        final Set<String> requests = new TreeSet<>();
        for (final List<Token> message : RandomJsonMessages.schema().messages())
        {
            final int id = message.get(0).id();
            if (Templates.isRelayedRequest(id))
            {
                requests.add(message.get(0).name());
            }
        }
        assertEquals(requests, refs(document.at("/components/schemas/Request/oneOf")));
        assertTrue(requests.contains("PlaceOrder") && requests.contains("QueryPromise") && requests.contains("RequestSnapshot"));
        assertTrue(refs(document.at("/components/schemas/Answer/oneOf")).containsAll(Set.of("CommandAccepted", "CommandRejected",
            "OrderStatus", "Promise", "SnapshotTaken")));
        assertTrue(refs(document.at("/components/schemas/Event/oneOf")).containsAll(Set.of("OrderAllocated", "AvailabilityChanged",
            "CommandAccepted")));
        assertFalse(refs(document.at("/components/schemas/Event/oneOf")).contains("Totals"), "query results are not events");
        final Set<String> paths = new TreeSet<>();
        document.get("paths").fieldNames().forEachRemaining(paths::add);
        assertEquals(new TreeSet<>(List.of("/v1/messages", "/v1/messages/{type}", "/v1/orders/{orderId}", "/v1/availability/{sku}",
            "/v1/nodes/{node}/load", "/v1/totals", "/v1/state-hash", "/v1/events", "/v1/openapi.json")), paths);
        // the document is JSON through and through
        assertEquals(document.toString(), mapper.readTree(document.toString()).toString());
    }

    @Test
    void requestsTheSchemaAllowsAreTheOnesTheEncoderTakes() throws Exception
    {
        final Ir ir = RandomJsonMessages.schema();
        final Random random = new Random(42);
        int checked = 0;
        for (final List<Token> message : ir.messages())
        {
            final int id = message.get(0).id();
            if (!(Templates.isRelayedRequest(id)))
            {
                continue;
            }
            final String name = message.get(0).name();
            final JsonNode schema = document.at("/components/schemas/" + name);
            for (int i = 0; i < 40; i++)
            {
                final ObjectNode json = mapper.createObjectNode();
                json.put("type", name);
                RandomJsonMessages.fill(GenerationUtil.getMessageBody(message), json, random);
                final ObjectNode request = (ObjectNode)mapper.readTree(json.toString());
                mutate(request, random);
                final List<String> problems = new ArrayList<>();
                validate(schema, request, "", problems);
                String refusal = null;
                try
                {
                    encoder.encode(request.toString());
                }
                catch (final JsonRequestException ex)
                {
                    refusal = ex.getMessage();
                }
                assertEquals(problems.isEmpty(), refusal == null,
                    name + ": schema says " + problems + ", encoder says " + refusal + " for " + request);
                checked++;
            }
        }
        assertTrue(checked > 1000, "requests checked: " + checked);
    }

    @Test
    void answersAndEventsAsPrintedFitTheirSchemas() throws Exception
    {
        final Ir ir = RandomJsonMessages.schema();
        final MessageJson printer = new MessageJson();
        final Random random = new Random(7);
        int checked = 0;
        for (final List<Token> message : ir.messages())
        {
            final int id = message.get(0).id();
            final String name = message.get(0).name();
            if (id < 100 || id >= 200 && !name.equals("SnapshotTaken"))
            {
                continue;
            }
            for (int i = 0; i < 20; i++)
            {
                final ObjectNode json = mapper.createObjectNode();
                json.put("type", name);
                RandomJsonMessages.fill(GenerationUtil.getMessageBody(message), json, random);
                final byte[] bytes = encoder.encode(json.toString());
                final JsonNode printed = mapper.readTree(printer.toJson(new UnsafeBuffer(bytes), 0, bytes.length));
                final List<String> problems = new ArrayList<>();
                validate(document.at("/components/schemas/" + name), printed, "", problems);
                assertEquals(List.of(), problems, printed.toString());
                checked++;
            }
        }
        assertTrue(checked >= 400, "messages checked: " + checked);
    }

    /** Now and then breaks one rule the schema states, or leaves a member out (which is allowed). */
    private static void mutate(final ObjectNode request, final Random random)
    {
        final List<String> members = new ArrayList<>();
        request.fieldNames().forEachRemaining(members::add);
        members.remove("type");
        if (members.isEmpty() || random.nextInt(3) == 0)
        {
            return;
        }
        final String member = members.get(random.nextInt(members.size()));
        final JsonNode value = request.get(member);
        switch (random.nextInt(7))
        {
            case 6:
                // one past a bound now and then: the generator puts half the integers on their bounds
                if (value.isIntegralNumber())
                {
                    request.put(member, value.bigIntegerValue().add(random.nextBoolean() ? BigInteger.ONE : BigInteger.ONE.negate()));
                }
                break;
            case 0:
                request.put("unknown" + member, 1);
                break;
            case 1:
                request.remove(member);
                break;
            case 2:
                if (value.isIntegralNumber())
                {
                    request.put(member, value.bigIntegerValue().signum() >= 0 ? new BigInteger("18446744073709551616") : BigInteger.valueOf(-1L << 40));
                }
                else
                {
                    request.put(member, 3);
                }
                break;
            case 3:
                request.put(member, value.isTextual() ? "NOT_A_VALUE_OF_ANY_ENUM_" + "x".repeat(random.nextInt(300)) : "text");
                break;
            case 4:
                request.put(member, 1.5);
                break;
            default:
                if (value.isArray() && value.size() > 0)
                {
                    ((ObjectNode)value.get(0)).put("extra", true);
                }
                else
                {
                    request.putNull(member);
                }
        }
    }

    private static Set<String> refs(final JsonNode oneOf)
    {
        final Set<String> names = new TreeSet<>();
        oneOf.forEach(ref -> names.add(ref.get("$ref").asText().substring("#/components/schemas/".length())));
        return names;
    }

    /** The part of JSON Schema the document uses: type, const, enum, bounds, lengths, properties, required, additionalProperties. */
    private void validate(final JsonNode schema, final JsonNode value, final String path, final List<String> problems)
    {
        assertFalse(schema.isMissingNode(), "no schema for " + path);
        if (schema.has("$ref"))
        {
            validate(document.at(schema.get("$ref").asText().substring(1)), value, path, problems);
            return;
        }
        if (value == null || value.isNull())
        {
            // a member left out or null is zero: allowed wherever it is not required (checked by the object)
            return;
        }
        if (schema.has("const") && !schema.get("const").equals(value))
        {
            problems.add(path + " is not " + schema.get("const"));
        }
        switch (schema.path("type").asText())
        {
            case "object":
                if (!value.isObject())
                {
                    problems.add(path + " is not an object");
                    return;
                }
                for (final Iterator<String> names = value.fieldNames(); names.hasNext(); )
                {
                    final String name = names.next();
                    final JsonNode property = schema.path("properties").get(name);
                    if (property == null)
                    {
                        problems.add(path + "." + name + " is not a member");
                    }
                    else
                    {
                        validate(property, value.get(name), path + "." + name, problems);
                    }
                }
                schema.path("required").forEach(required ->
                {
                    if (!value.has(required.asText()) || value.get(required.asText()).isNull())
                    {
                        problems.add(path + "." + required.asText() + " is required");
                    }
                });
                break;
            case "array":
                if (!value.isArray())
                {
                    problems.add(path + " is not an array");
                    return;
                }
                if (schema.has("maxItems") && value.size() > schema.get("maxItems").asLong())
                {
                    problems.add(path + " has too many items");
                }
                for (int i = 0; i < value.size(); i++)
                {
                    validate(schema.get("items"), value.get(i), path + "[" + i + "]", problems);
                }
                break;
            case "string":
                if (!value.isTextual())
                {
                    problems.add(path + " is not a string");
                    return;
                }
                if (schema.has("enum"))
                {
                    final Set<String> values = new TreeSet<>();
                    schema.get("enum").forEach(v -> values.add(v.asText()));
                    if (!values.contains(value.asText()))
                    {
                        problems.add(path + " is not one of " + values);
                    }
                }
                if (schema.has("maxLength") && value.asText().length() > schema.get("maxLength").asInt())
                {
                    problems.add(path + " is too long");
                }
                if (schema.has("pattern") && !value.asText().matches(schema.get("pattern").asText()))
                {
                    problems.add(path + " does not match " + schema.get("pattern").asText());
                }
                break;
            case "integer":
                if (!value.isIntegralNumber())
                {
                    problems.add(path + " is not an integer");
                    return;
                }
                if (value.bigIntegerValue().compareTo(schema.get("minimum").bigIntegerValue()) < 0 ||
                    value.bigIntegerValue().compareTo(schema.get("maximum").bigIntegerValue()) > 0)
                {
                    problems.add(path + " is out of range");
                }
                break;
            default:
                if (!schema.has("const"))
                {
                    problems.add(path + ": schema without a type: " + schema);
                }
        }
    }
}
