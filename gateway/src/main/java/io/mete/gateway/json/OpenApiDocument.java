package io.mete.gateway.json;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mete.gateway.protocol.Templates;
import io.mete.journal.cli.MessageSchema;
import uk.co.real_logic.sbe.PrimitiveType;
import uk.co.real_logic.sbe.ir.Encoding;
import uk.co.real_logic.sbe.ir.GenerationUtil;
import uk.co.real_logic.sbe.ir.Ir;
import uk.co.real_logic.sbe.ir.Signal;
import uk.co.real_logic.sbe.ir.Token;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * The HTTP/JSON API as an OpenAPI 3.1 document, made from the message schema: a JSON Schema per
 * message with the rules {@link JsonRequestEncoder} applies (integer ranges, enum names, string
 * lengths, no members beyond the message's), the paths of {@code HttpGateway}, and HTTP Basic as
 * the security scheme. An OMS in any language can generate a typed client from it.
 */
public final class OpenApiDocument
{
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final String REF = "#/components/schemas/";

    private OpenApiDocument()
    {
    }

    /** The document for the schema {@link JsonRequestEncoder} reads. */
    public static ObjectNode create(final String version)
    {
        final Ir ir = MessageSchema.ir();
        final ObjectNode document = JSON.objectNode();
        document.put("openapi", "3.1.0");
        final ObjectNode info = document.putObject("info");
        info.put("title", "Mete HTTP/JSON API");
        info.put("version", version);
        info.put("description", "Commands and queries of the Mete allocation engine as JSON, and its event stream as Server-Sent " +
            "Events. Every message is the SBE schema's (id " + ir.id() + ", version " + ir.version() + "): members by field name, " +
            "groups as arrays, enums by name, strings US-ASCII. A member left out of a request is zero. See gateway/PROTOCOL.md, section 10.");
        document.putArray("security").addObject().putArray("basic");

        final ObjectNode components = document.putObject("components");
        final ObjectNode security = components.putObject("securitySchemes").putObject("basic");
        security.put("type", "http");
        security.put("scheme", "basic");
        security.put("description", "The client id as user name, its secret as password");
        final ObjectNode schemas = components.putObject("schemas");

        final List<String> requests = new ArrayList<>();
        final List<String> answers = new ArrayList<>();
        final List<String> events = new ArrayList<>();
        for (final List<Token> message : ir.messages())
        {
            final Token head = message.get(0);
            final int templateId = head.id();
            final boolean request = Templates.isRelayedRequest(templateId);
            final boolean answer = templateId == 100 || templateId == 101 || Templates.isQueryResult(templateId) ||
                "SnapshotTaken".equals(head.name());
            final boolean event = templateId >= 100 && templateId < 200 && !Templates.isQueryResult(templateId);
            if (!request && !answer && !event)
            {
                continue;
            }
            final ObjectNode schema = block(GenerationUtil.getMessageBody(message), !request);
            // "type" first: it names the message, and is the one member a request must have
            final ObjectNode properties = JSON.objectNode();
            properties.putObject("type").put("const", head.name());
            properties.setAll((ObjectNode)schema.get("properties"));
            schema.set("properties", properties);
            ((ArrayNode)schema.get("required")).insert(0, "type");
            schema.put("title", head.name());
            final String description = head.description();
            schema.put("description", (description == null || description.isEmpty() ? head.name() : description) +
                " (template " + templateId + ")");
            schemas.set(head.name(), schema);
            if (request)
            {
                requests.add(head.name());
            }
            if (answer)
            {
                answers.add(head.name());
            }
            if (event)
            {
                events.add(head.name());
            }
        }
        schemas.set("Request", oneOf(requests));
        schemas.set("Answer", oneOf(answers));
        schemas.set("Event", oneOf(events));
        schemas.set("EventEnvelope", envelope());
        schemas.set("Error", error());

        final ObjectNode paths = document.putObject("paths");
        final ObjectNode post = paths.putObject("/v1/messages").putObject("post");
        post.put("summary", "Send any command or query; the body names it in \"type\"");
        sequenceHeader(post.putArray("parameters"));
        post.putObject("requestBody").put("required", true).putObject("content").putObject("application/json")
            .putObject("schema").put("$ref", REF + "Request");
        answers(post.putObject("responses"));

        final ObjectNode typed = paths.putObject("/v1/messages/{type}").putObject("post");
        typed.put("summary", "Send a command or query, its type in the path (the body need not repeat it)");
        final ArrayNode typedParameters = typed.putArray("parameters");
        sequenceHeader(typedParameters);
        final ObjectNode typeParameter = typedParameters.addObject();
        typeParameter.put("name", "type").put("in", "path").put("required", true);
        final ArrayNode names = typeParameter.putObject("schema").put("type", "string").putArray("enum");
        requests.forEach(names::add);
        typed.putObject("requestBody").put("required", true).putObject("content").putObject("application/json")
            .putObject("schema").put("type", "object");
        answers(typed.putObject("responses"));

        query(paths, "/v1/orders/{orderId}", "QueryOrder", "OrderStatus", "orderId");
        query(paths, "/v1/availability/{sku}", "QueryAvailability", "Availability", "sku");
        query(paths, "/v1/nodes/{node}/load", "QueryNodeLoad", "NodeLoad", "node");
        query(paths, "/v1/totals", "QueryTotals", "Totals", null);
        query(paths, "/v1/state-hash", "QueryStateHash", "StateHash", null);

        final ObjectNode stream = paths.putObject("/v1/events").putObject("get");
        stream.put("summary", "The event stream as Server-Sent Events: id is the event sequence, event the message type, " +
            "data an EventEnvelope. Read from the event journal, then live.");
        final ArrayNode parameters = stream.putArray("parameters");
        parameters.addObject().put("name", "from").put("in", "query").put("description",
            "first event sequence (default: the next event from now)").putObject("schema").put("type", "integer").put("minimum", 0);
        parameters.addObject().put("name", "types").put("in", "query").put("description",
            "only these events, names separated by commas").putObject("schema").put("type", "string");
        parameters.addObject().put("name", "Last-Event-ID").put("in", "header").put("description",
            "resume after this event sequence (takes precedence over from)").putObject("schema").put("type", "integer");
        final ObjectNode streamResponses = stream.putObject("responses");
        streamResponses.putObject("200").put("description", "text/event-stream of EventEnvelope data lines")
            .putObject("content").putObject("text/event-stream").putObject("schema").put("$ref", REF + "EventEnvelope");
        errors(streamResponses, "400", "401", "503");

        paths.putObject("/v1/openapi.json").putObject("get").put("summary", "This document").putArray("security").addObject();
        ((ObjectNode)paths.get("/v1/openapi.json").get("get")).putObject("responses").putObject("200").put("description", "OpenAPI 3.1");
        return document;
    }

    /** A block's fields, groups and strings as an object schema; {@code allRequired} for what the server sends. */
    private static ObjectNode block(final List<Token> tokens, final boolean allRequired)
    {
        final ObjectNode schema = JSON.objectNode();
        schema.put("type", "object");
        schema.put("additionalProperties", false);
        final ObjectNode properties = schema.putObject("properties");
        final ArrayNode required = schema.putArray("required");
        final MessageBlock block = MessageBlock.of(tokens);
        final List<Token> fields = block.fields();
        final List<Token> groups = block.groups();
        final List<Token> varData = block.varData();

        for (int i = 0; i < fields.size(); i += fields.get(i).componentTokenCount())
        {
            final Token field = fields.get(i);
            final Token type = fields.get(i + 1);
            final ObjectNode property = properties.putObject(field.name());
            if (type.signal() == Signal.BEGIN_ENUM)
            {
                property.put("type", "string");
                final ArrayNode values = property.putArray("enum");
                for (int v = i + 2; fields.get(v).signal() == Signal.VALID_VALUE; v++)
                {
                    values.add(fields.get(v).name());
                }
            }
            else
            {
                property.put("type", "integer");
                property.put("minimum", bound(type.encoding(), type.encoding().applicableMinValue().longValue()));
                property.put("maximum", bound(type.encoding(), type.encoding().applicableMaxValue().longValue()));
            }
            describe(property, field);
            required.add(field.name());
        }
        for (int i = 0; i < groups.size(); i += groups.get(i).componentTokenCount())
        {
            final Token group = groups.get(i);
            final List<Token> groupTokens = groups.subList(i, i + group.componentTokenCount());
            final List<Token> dimension = groupTokens.subList(1, 1 + groupTokens.get(1).componentTokenCount());
            final ObjectNode property = properties.putObject(group.name());
            property.put("type", "array");
            for (final Token token : dimension)
            {
                if (token.signal() == Signal.ENCODING && token.name().equals("numInGroup"))
                {
                    property.put("maxItems", token.encoding().applicableMaxValue().longValue());
                }
            }
            property.set("items", block(MessageBlock.groupBody(groupTokens), allRequired));
            describe(property, group);
            required.add(group.name());
        }
        for (int i = 0; i < varData.size(); i += varData.get(i).componentTokenCount())
        {
            final Token data = varData.get(i);
            final ObjectNode property = properties.putObject(data.name());
            property.put("type", "string");
            for (final Token token : varData.subList(i, i + data.componentTokenCount()))
            {
                if (token.signal() == Signal.ENCODING && token.name().equals("length"))
                {
                    property.put("maxLength", token.encoding().applicableMaxValue().longValue());
                }
            }
            property.put("pattern", "^[\\x00-\\x7F]*$");
            describe(property, data);
            required.add(data.name());
        }
        if (!allRequired)
        {
            required.removeAll();
        }
        return schema;
    }

    private static BigInteger bound(final Encoding encoding, final long value)
    {
        return encoding.primitiveType() == PrimitiveType.UINT64 && value < 0
            ? new BigInteger(Long.toUnsignedString(value)) : BigInteger.valueOf(value);
    }

    private static void describe(final ObjectNode property, final Token token)
    {
        if (token.description() != null && !token.description().isEmpty())
        {
            property.put("description", token.description());
        }
    }

    private static ObjectNode oneOf(final List<String> names)
    {
        final ObjectNode schema = JSON.objectNode();
        final ArrayNode oneOf = schema.putArray("oneOf");
        final ObjectNode mapping = JSON.objectNode();
        for (final String name : names)
        {
            oneOf.addObject().put("$ref", REF + name);
            mapping.put(name, REF + name);
        }
        final ObjectNode discriminator = schema.putObject("discriminator");
        discriminator.put("propertyName", "type");
        discriminator.set("mapping", mapping);
        return schema;
    }

    private static void sequenceHeader(final ArrayNode parameters)
    {
        parameters.addObject().put("name", "Mete-Client-Sequence").put("in", "header").put("description",
            "on a command: the caller's own number for it, strictly increasing per client id; a retry with the same number is " +
            "answered with the original result (duplicate TRUE) and applied once").putObject("schema").put("type", "integer").put("minimum", 0);
    }

    private static ObjectNode envelope()
    {
        final ObjectNode schema = JSON.objectNode();
        schema.put("type", "object");
        final ObjectNode properties = schema.putObject("properties");
        properties.putObject("eventSequence").put("type", "integer");
        properties.putObject("commandSequence").put("type", "integer");
        properties.putObject("clientId").put("type", "integer").put("description", "the client whose command caused it; 0 for time-driven work");
        properties.putObject("message").put("$ref", REF + "Event");
        schema.putArray("required").add("eventSequence").add("commandSequence").add("clientId").add("message");
        return schema;
    }

    private static ObjectNode error()
    {
        final ObjectNode schema = JSON.objectNode();
        schema.put("type", "object");
        final ObjectNode properties = schema.putObject("properties");
        properties.putObject("error").put("type", "string").put("description",
            "BAD_REQUEST, UNAUTHORIZED, FORBIDDEN, NOT_FOUND, METHOD_NOT_ALLOWED, TOO_LARGE, UNAVAILABLE, TOO_MANY_STREAMS, TIMEOUT, INTERNAL");
        properties.putObject("status").put("type", "integer");
        properties.putObject("text").put("type", "string").put("description", "why, naming the member at fault");
        schema.putArray("required").add("error").add("status").add("text");
        return schema;
    }

    private static void answers(final ObjectNode responses)
    {
        responses.putObject("200").put("description", "accepted (CommandAccepted) or answered (the query's result)")
            .putObject("content").putObject("application/json").putObject("schema").put("$ref", REF + "Answer");
        responses.putObject("422").put("description", "rejected by the engine: reason and text")
            .putObject("content").putObject("application/json").putObject("schema").put("$ref", REF + "CommandRejected");
        errors(responses, "400", "401", "403", "413", "503", "504");
    }

    private static void query(final ObjectNode paths, final String path, final String query, final String result, final String parameter)
    {
        final ObjectNode get = paths.putObject(path).putObject("get");
        get.put("summary", query);
        if (parameter != null)
        {
            get.putArray("parameters").addObject().put("name", parameter).put("in", "path").put("required", true)
                .putObject("schema").put("type", "string");
        }
        final ObjectNode responses = get.putObject("responses");
        responses.putObject("200").put("description", result).putObject("content").putObject("application/json")
            .putObject("schema").put("$ref", REF + result);
        errors(responses, "400", "401", "503", "504");
    }

    private static void errors(final ObjectNode responses, final String... statuses)
    {
        for (final String status : statuses)
        {
            responses.putObject(status).put("description", "see Error.error").putObject("content").putObject("application/json")
                .putObject("schema").put("$ref", REF + "Error");
        }
    }
}
