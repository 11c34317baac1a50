package io.mete.gateway.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.mete.journal.cli.MessageSchema;
import io.mete.schema.MessageHeaderEncoder;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import uk.co.real_logic.sbe.PrimitiveType;
import uk.co.real_logic.sbe.ir.Encoding;
import uk.co.real_logic.sbe.ir.GenerationUtil;
import uk.co.real_logic.sbe.ir.Ir;
import uk.co.real_logic.sbe.ir.Signal;
import uk.co.real_logic.sbe.ir.Token;

import java.math.BigInteger;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Mete message written as JSON, encoded to the SBE bytes the Java client would send. The JSON has
 * the shape {@code MessageJson} prints (what {@code journal inspect --json} and the event stream show):
 * <pre>
 * {"type":"PlaceOrder","priority":0,"service":"STANDARD","latitude":40712800,"longitude":-74006000,
 *  "lines":[{"quantity":1,"sku":"SKU00001"}],"orderId":"A-1","channel":"web"}
 * </pre>
 * The mapping walks the intermediate representation of the published schema, so every message
 * the schema holds is covered without code per message:
 * <ul>
 *   <li>integers must be JSON integers within the field's type; enums are given by name;</li>
 *   <li>strings (variable-length data) must be US-ASCII and at most the schema's length;</li>
 *   <li>a repeating group is an array of objects;</li>
 *   <li>a field left out (or {@code null}) is zero: the enum value encoded as 0, {@code FALSE},
 *       an empty string, an empty group; the schema uses 0 for "none" (no hold, no latest
 *       delivery day);</li>
 *   <li>a field the message does not have is an error, so a misspelt field never goes unnoticed.</li>
 * </ul>
 * Not for the hot path: it allocates per request.
 */
public final class JsonRequestEncoder
{
    private static final int HEADER = MessageHeaderEncoder.ENCODED_LENGTH;
    private static final String TYPE = "type";

    private final Ir ir;
    private final Map<String, List<Token>> messages = new HashMap<>();
    private final ObjectMapper mapper = JsonMapper.builder()
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .build();

    public JsonRequestEncoder()
    {
        ir = MessageSchema.ir();
        for (final List<Token> message : ir.messages())
        {
            messages.put(message.get(0).name(), message);
        }
    }

    /** The template id of a message name, or -1 when the schema has no such message. */
    public int templateId(final String type)
    {
        final List<Token> message = type == null ? null : messages.get(type);
        return message == null ? -1 : message.get(0).id();
    }

    /**
     * The template ids of event names ({@code OrderAllocated}, ...), for filtering an event stream;
     * throws {@link JsonRequestException} naming one that is not an event.
     */
    public java.util.BitSet eventTypes(final Iterable<String> names)
    {
        final java.util.BitSet types = new java.util.BitSet();
        for (final String name : names)
        {
            final int templateId = templateId(name.trim());
            if (!io.mete.gateway.protocol.Templates.isEvent(templateId))
            {
                throw new JsonRequestException("types: " + name.trim() + " is not an event");
            }
            types.set(templateId);
        }
        return types;
    }

    /** Parses a JSON document; throws {@link JsonRequestException} when it is not one JSON object. */
    public JsonNode parse(final String json)
    {
        final JsonNode node;
        try
        {
            node = mapper.readTree(json);
        }
        catch (final JsonProcessingException ex)
        {
            throw new JsonRequestException("not valid JSON: " + ex.getOriginalMessage());
        }
        if (node == null || !node.isObject())
        {
            throw new JsonRequestException("expected one JSON object");
        }
        return node;
    }

    /** Encodes {@code {"type": ..., fields...}}: the message with its SBE header, as bytes. */
    public byte[] encode(final String json)
    {
        final JsonNode node = parse(json);
        final JsonNode type = node.get(TYPE);
        if (type == null || !type.isTextual())
        {
            throw new JsonRequestException("\"type\" must name the message, e.g. \"PlaceOrder\"");
        }
        return encode(type.asText(), node);
    }

    /**
     * Encodes the fields of {@code fields} as message {@code type}. A {@code "type"} member, if
     * present, must name the same message.
     */
    public byte[] encode(final String type, final JsonNode fields)
    {
        final List<Token> tokens = messages.get(type);
        if (tokens == null)
        {
            throw new JsonRequestException("unknown message type \"" + type + "\"");
        }
        if (fields == null || !fields.isObject())
        {
            throw new JsonRequestException(type + ": expected a JSON object");
        }
        final JsonNode named = fields.get(TYPE);
        if (named != null && !(named.isTextual() && named.asText().equals(type)))
        {
            throw new JsonRequestException(type + ": \"type\" says " + named + ", not \"" + type + "\"");
        }
        final Token message = tokens.get(0);
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(256);
        new MessageHeaderEncoder().wrap(buffer, 0)
            .blockLength(message.encodedLength())
            .templateId(message.id())
            .schemaId(ir.id())
            .version(ir.version());
        final int length = encodeBlock(GenerationUtil.getMessageBody(tokens), fields, true, buffer, HEADER,
            HEADER + message.encodedLength(), type);
        return Arrays.copyOf(buffer.byteArray(), length);
    }

    /**
     * Writes one block (a message body or a group entry) starting at {@code blockStart}, then its
     * groups and variable-length data from {@code limit}; returns the new limit.
     */
    private int encodeBlock(
        final List<Token> tokens, final JsonNode json, final boolean topLevel, final MutableDirectBuffer buffer,
        final int blockStart, final int limit, final String path)
    {
        final Set<String> known = new HashSet<>();
        final MessageBlock block = MessageBlock.of(tokens);
        final List<Token> fields = block.fields();
        final List<Token> groups = block.groups();
        final List<Token> varData = block.varData();

        buffer.setMemory(blockStart, limit - blockStart, (byte)0);
        for (int i = 0; i < fields.size(); i += fields.get(i).componentTokenCount())
        {
            final Token field = fields.get(i);
            known.add(field.name());
            final JsonNode value = json.get(field.name());
            encodeField(field, fields.get(i + 1), fields, i + 1, value, buffer, blockStart + field.offset(), path + "." + field.name());
        }

        int at = limit;
        for (int i = 0; i < groups.size(); i += groups.get(i).componentTokenCount())
        {
            final Token group = groups.get(i);
            known.add(group.name());
            at = encodeGroup(groups.subList(i, i + group.componentTokenCount()), json.get(group.name()), buffer, at,
                path + "." + group.name());
        }

        for (int i = 0; i < varData.size(); i += varData.get(i).componentTokenCount())
        {
            final Token data = varData.get(i);
            known.add(data.name());
            at = encodeVarData(varData.subList(i, i + data.componentTokenCount()), json.get(data.name()), buffer, at,
                path + "." + data.name());
        }

        for (final Iterator<String> names = json.fieldNames(); names.hasNext(); )
        {
            final String name = names.next();
            if (!known.contains(name) && !(topLevel && TYPE.equals(name)))
            {
                throw new JsonRequestException(path + ": no field \"" + name + "\"; fields are " + describe(fields, groups, varData));
            }
        }
        return at;
    }

    private void encodeField(
        final Token field, final Token type, final List<Token> tokens, final int typeIndex, final JsonNode value,
        final MutableDirectBuffer buffer, final int at, final String path)
    {
        final boolean missing = value == null || value.isNull();
        switch (type.signal())
        {
            case ENCODING:
                if (type.isConstantEncoding())
                {
                    return;
                }
                if (type.arrayLength() != 1)
                {
                    throw new JsonRequestException(path + ": fixed-length arrays are not supported in JSON");
                }
                if (missing)
                {
                    if (type.isOptionalEncoding())
                    {
                        putNumber(buffer, at, type.encoding(), BigInteger.valueOf(type.encoding().applicableNullValue().longValue()));
                    }
                    return;
                }
                putNumber(buffer, at, type.encoding(), integer(value, type.encoding(), path));
                return;
            case BEGIN_ENUM:
            {
                final List<String> names = new ArrayList<>();
                for (int i = typeIndex + 1; tokens.get(i).signal() == Signal.VALID_VALUE; i++)
                {
                    final Token valid = tokens.get(i);
                    names.add(valid.name());
                    if (!missing && value.isTextual() && valid.name().equals(value.asText()))
                    {
                        putNumber(buffer, at, type.encoding(), BigInteger.valueOf(valid.encoding().constValue().longValue()));
                        return;
                    }
                    if (missing && valid.encoding().constValue().longValue() == 0)
                    {
                        return;
                    }
                }
                throw new JsonRequestException(path + (missing ? " is required" : ": " + value) + "; one of " + String.join(", ", names));
            }
            default:
                throw new JsonRequestException(path + ": " + type.signal() + " fields are not supported in JSON");
        }
    }

    private int encodeGroup(final List<Token> tokens, final JsonNode value, final MutableDirectBuffer buffer, final int limit, final String path)
    {
        final Token group = tokens.get(0);
        final Token dimension = tokens.get(1);
        final List<Token> dimensionTokens = tokens.subList(1, 1 + dimension.componentTokenCount());
        final Token blockLength = find(dimensionTokens, "blockLength");
        final Token numInGroup = find(dimensionTokens, "numInGroup");
        final int count;
        if (value == null || value.isNull())
        {
            count = 0;
        }
        else if (!value.isArray())
        {
            throw new JsonRequestException(path + ": expected an array of objects, not " + value);
        }
        else
        {
            count = value.size();
        }
        final long maxCount = numInGroup.encoding().applicableMaxValue().longValue();
        if (count > maxCount)
        {
            throw new JsonRequestException(path + ": at most " + maxCount + " entries, not " + count);
        }
        putNumber(buffer, limit + blockLength.offset(), blockLength.encoding(), BigInteger.valueOf(group.encodedLength()));
        putNumber(buffer, limit + numInGroup.offset(), numInGroup.encoding(), BigInteger.valueOf(count));
        int at = limit + dimension.encodedLength();
        final List<Token> body = MessageBlock.groupBody(tokens);
        for (int i = 0; i < count; i++)
        {
            final JsonNode entry = value.get(i);
            final String entryPath = path + "[" + i + "]";
            if (!entry.isObject())
            {
                throw new JsonRequestException(entryPath + ": expected an object, not " + entry);
            }
            final int entryStart = at;
            at = encodeBlock(body, entry, false, buffer, entryStart, entryStart + group.encodedLength(), entryPath);
        }
        return at;
    }

    private static int encodeVarData(final List<Token> tokens, final JsonNode value, final MutableDirectBuffer buffer, final int limit, final String path)
    {
        final Token length = find(tokens, "length");
        final Token data = find(tokens, "varData");
        if (data.encoding().characterEncoding() == null)
        {
            throw new JsonRequestException(path + ": binary data is not supported in JSON");
        }
        final byte[] bytes;
        if (value == null || value.isNull())
        {
            bytes = new byte[0];
        }
        else if (!value.isTextual())
        {
            throw new JsonRequestException(path + ": expected a string, not " + value);
        }
        else
        {
            final String text = value.asText();
            if (!StandardCharsets.US_ASCII.newEncoder().canEncode(text))
            {
                throw new JsonRequestException(path + ": must be US-ASCII");
            }
            bytes = text.getBytes(StandardCharsets.US_ASCII);
        }
        final long max = length.encoding().applicableMaxValue().longValue();
        if (bytes.length > max)
        {
            throw new JsonRequestException(path + ": at most " + max + " characters, not " + bytes.length);
        }
        putNumber(buffer, limit, length.encoding(), BigInteger.valueOf(bytes.length));
        buffer.putBytes(limit + length.encodedLength(), bytes);
        return limit + length.encodedLength() + bytes.length;
    }

    private static BigInteger integer(final JsonNode value, final Encoding encoding, final String path)
    {
        final BigInteger min = bound(encoding.applicableMinValue().longValue(), encoding.primitiveType());
        final BigInteger max = bound(encoding.applicableMaxValue().longValue(), encoding.primitiveType());
        if (!value.isIntegralNumber())
        {
            throw new JsonRequestException(path + ": expected an integer in " + min + ".." + max + ", not " + value);
        }
        final BigInteger number = value.bigIntegerValue();
        if (number.compareTo(min) < 0 || number.compareTo(max) > 0)
        {
            throw new JsonRequestException(path + ": " + number + " is outside " + min + ".." + max);
        }
        return number;
    }

    /** The IR keeps uint64 bounds as signed longs: read them back as unsigned. */
    private static BigInteger bound(final long value, final PrimitiveType type)
    {
        if (type == PrimitiveType.UINT64 && value < 0)
        {
            return new BigInteger(Long.toUnsignedString(value));
        }
        return BigInteger.valueOf(value);
    }

    private static void putNumber(final MutableDirectBuffer buffer, final int at, final Encoding encoding, final BigInteger value)
    {
        final ByteOrder order = encoding.byteOrder();
        final long bits = value.longValue();
        switch (encoding.primitiveType())
        {
            case CHAR:
            case INT8:
            case UINT8:
                buffer.putByte(at, (byte)bits);
                break;
            case INT16:
            case UINT16:
                buffer.putShort(at, (short)bits, order);
                break;
            case INT32:
            case UINT32:
                buffer.putInt(at, (int)bits, order);
                break;
            case INT64:
            case UINT64:
                buffer.putLong(at, bits, order);
                break;
            default:
                throw new JsonRequestException("floating point fields are not supported in JSON");
        }
    }

    private static Token find(final List<Token> tokens, final String name)
    {
        for (final Token token : tokens)
        {
            if (token.signal() == Signal.ENCODING && token.name().equals(name))
            {
                return token;
            }
        }
        throw new IllegalStateException("schema: no " + name + " in " + tokens.get(0).name());
    }

    private static String describe(final List<Token> fields, final List<Token> groups, final List<Token> varData)
    {
        final List<String> names = new ArrayList<>();
        for (final List<Token> tokens : List.of(fields, groups, varData))
        {
            for (int i = 0; i < tokens.size(); i += tokens.get(i).componentTokenCount())
            {
                names.add(tokens.get(i).name());
            }
        }
        return String.join(", ", names);
    }
}
