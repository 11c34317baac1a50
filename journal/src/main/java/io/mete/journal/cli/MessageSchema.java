package io.mete.journal.cli;

import uk.co.real_logic.sbe.ir.Ir;
import uk.co.real_logic.sbe.xml.IrGenerator;
import uk.co.real_logic.sbe.xml.ParserOptions;
import uk.co.real_logic.sbe.xml.XmlSchemaParser;

import java.io.InputStream;

/**
 * The published message schema's intermediate representation, read once from the class path and
 * only read after: the JSON printer, the JSON request encoder and the OpenAPI document walk it.
 */
public final class MessageSchema
{
    private static final String SCHEMA = "/sbe/mete-schema.xml";
    private static volatile Ir ir;

    private MessageSchema()
    {
    }

    public static Ir ir()
    {
        Ir loaded = ir;
        if (loaded == null)
        {
            synchronized (MessageSchema.class)
            {
                loaded = ir;
                if (loaded == null)
                {
                    ir = loaded = load();
                }
            }
        }
        return loaded;
    }

    private static Ir load()
    {
        try (InputStream schema = MessageSchema.class.getResourceAsStream(SCHEMA))
        {
            if (schema == null)
            {
                throw new IllegalStateException(SCHEMA + " is not on the class path");
            }
            return new IrGenerator().generate(XmlSchemaParser.parse(schema, ParserOptions.DEFAULT));
        }
        catch (final Exception ex)
        {
            throw new IllegalStateException("cannot read the message schema: " + ex, ex);
        }
    }
}
