package io.mete.gateway.json;

import uk.co.real_logic.sbe.ir.GenerationUtil;
import uk.co.real_logic.sbe.ir.Token;

import java.util.ArrayList;
import java.util.List;

/**
 * One block of a message in the schema's intermediate representation (the message body, or one
 * entry of a repeating group): its fixed fields, then its groups, then its variable-length data,
 * each list a run of tokens to step through by {@link Token#componentTokenCount()}.
 */
record MessageBlock(List<Token> fields, List<Token> groups, List<Token> varData)
{
    static MessageBlock of(final List<Token> tokens)
    {
        final List<Token> fields = new ArrayList<>();
        int index = GenerationUtil.collectFields(tokens, 0, fields);
        final List<Token> groups = new ArrayList<>();
        index = GenerationUtil.collectGroups(tokens, index, groups);
        final List<Token> varData = new ArrayList<>();
        GenerationUtil.collectVarData(tokens, index, varData);
        return new MessageBlock(fields, groups, varData);
    }

    /** The tokens of a group's entries: what lies between its dimension composite and its end. */
    static List<Token> groupBody(final List<Token> group)
    {
        return group.subList(1 + group.get(1).componentTokenCount(), group.size() - 1);
    }
}
