package io.mete.gateway.cli;

import io.mete.gateway.client.MeteClient;
import io.mete.gateway.client.MeteClientException;
import io.mete.gateway.client.Reply;
import io.mete.gateway.json.JsonRequestEncoder;
import io.mete.gateway.json.JsonRequestException;
import io.mete.gateway.protocol.Templates;
import io.mete.journal.cli.MessageJson;
import io.mete.schema.AdjustReason;
import io.mete.schema.ServiceLevel;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code mete client ...}: one request to a running server, for operators and scripts. */
@Command(name = "client", mixinStandardHelpOptions = true,
    description = {"Send one request to a running Mete server and print the answer.",
        "Exit status: 0 accepted, 1 rejected by the engine, 2 refused by the gateway or unreachable."},
    subcommands = {
        ClientCommand.PlaceOrder.class, ClientCommand.CancelOrder.class, ClientCommand.CancelLine.class, ClientCommand.ReleaseHold.class,
        ClientCommand.ChangeDelivery.class, ClientCommand.Ship.class, ClientCommand.Deliver.class, ClientCommand.RejectAllocation.class,
        ClientCommand.Adjust.class, ClientCommand.SetOnHand.class, ClientCommand.SafetyStock.class,
        ClientCommand.NodeStatus.class, ClientCommand.NodeCutoff.class, ClientCommand.NodeLoad.class, ClientCommand.OrderRetention.class,
        ClientCommand.ChannelCap.class, ClientCommand.ChannelFence.class,
        ClientCommand.Promise.class, ClientCommand.Explain.class, ClientCommand.ExplainOrder.class, ClientCommand.Availability.class, ClientCommand.Order.class, ClientCommand.Totals.class,
        ClientCommand.StateHash.class, ClientCommand.Snapshot.class, ClientCommand.Events.class, ClientCommand.Send.class,
        CommandLine.HelpCommand.class})
public final class ClientCommand implements Runnable
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    Connection connection;

    @Override
    public void run()
    {
        spec.commandLine().usage(System.out);
    }

    /** Connection options every client subcommand takes. */
    static final class Connection
    {
        @Option(scope = CommandLine.ScopeType.INHERIT, names = "--host", defaultValue = "127.0.0.1", description = "server address (default: ${DEFAULT-VALUE})")
        String host;

        @Option(scope = CommandLine.ScopeType.INHERIT, names = "--port", defaultValue = "7070", description = "server port (default: ${DEFAULT-VALUE})")
        int port;

        @Option(scope = CommandLine.ScopeType.INHERIT, names = "--client-id", defaultValue = "1", description = "client id from the server's config (default: ${DEFAULT-VALUE})")
        int clientId;

        @Option(scope = CommandLine.ScopeType.INHERIT, names = "--secret", description = "client secret (default: $METE_SECRET, else the default ADMIN secret mete-admin)")
        String secret;

        @Option(scope = CommandLine.ScopeType.INHERIT, names = "--json", description = "print the answer as one JSON object")
        boolean json;

        MeteClient connect() throws java.io.IOException
        {
            final String env = System.getenv("METE_SECRET");
            final MeteClient.Options options = new MeteClient.Options(host, port, clientId,
                secret != null ? secret : env != null ? env : "mete-admin");
            options.reconnectTimeoutMs = 5_000;
            return MeteClient.connect(options);
        }
    }

    /** Connects, runs the request, prints the reply; the exit status says how it went. */
    abstract static class Request implements Callable<Integer>
    {
        @CommandLine.ParentCommand
        ClientCommand parent;

        Connection connection;

        abstract Reply send(MeteClient client);

        /** Optional second reply printed after the first (place-order prints the order's state). */
        Reply followUp(final MeteClient client, final Reply first)
        {
            return null;
        }

        @Override
        public Integer call()
        {
            connection = parent.connection;
            try (MeteClient client = connection.connect())
            {
                final Reply reply = send(client);
                print(reply);
                final Reply more = reply.isAccepted() ? followUp(client, reply) : null;
                if (more != null)
                {
                    print(more);
                }
                return reply.isAccepted() ? 0 : 1;
            }
            catch (final MeteClientException | java.io.IOException ex)
            {
                if (connection.json)
                {
                    System.out.println("{\"type\":\"Error\",\"text\":\"" + String.valueOf(ex.getMessage()).replace("\"", "'") + "\"}");
                }
                else
                {
                    System.err.println("mete client: " + ex.getMessage());
                }
                return 2;
            }
        }

        private void print(final Reply reply)
        {
            System.out.println(connection.json ? ReplyJson.of(reply) : text(reply));
        }

        /** The reply for a person to read; the decoded message unless a command has something better. */
        String text(final Reply reply)
        {
            return reply.toString();
        }
    }

    @Command(name = "place-order", mixinStandardHelpOptions = true, description = "Place an order (ORDERS or ADMIN).")
    static final class PlaceOrder extends Request
    {
        @Option(names = "--order", required = true, description = "order id")
        String orderId;

        @Option(names = "--channel", defaultValue = "web", description = "channel (default: ${DEFAULT-VALUE})")
        String channel;

        @Option(names = "--line", required = true, paramLabel = "SKU:QTY", description = "a line; repeat for more")
        List<String> lines;

        @Option(names = "--lat", defaultValue = "40.7", description = "ship-to latitude (default: ${DEFAULT-VALUE})")
        double latitude;

        @Option(names = "--lon", defaultValue = "-74.0", description = "ship-to longitude (default: ${DEFAULT-VALUE})")
        double longitude;

        @Option(names = "--service", defaultValue = "STANDARD", description = "STANDARD, EXPEDITED or NEXT_DAY")
        ServiceLevel service;

        @Override
        Reply send(final MeteClient client)
        {
            final String[] skus = new String[lines.size()];
            final int[] quantities = new int[lines.size()];
            parseLines(lines, skus, quantities);
            return client.placeOrder(orderId, channel, skus, quantities, latitude, longitude, service);
        }

        @Override
        Reply followUp(final MeteClient client, final Reply first)
        {
            return client.queryOrder(orderId);
        }
    }

    @Command(name = "cancel-order", mixinStandardHelpOptions = true, description = "Cancel everything of an order not yet shipped (ORDERS or ADMIN).")
    static final class CancelOrder extends Request
    {
        @Parameters(paramLabel = "ORDER-ID")
        String orderId;

        @Override
        Reply send(final MeteClient client)
        {
            return client.cancelOrder(orderId);
        }
    }

    @Command(name = "cancel-line", mixinStandardHelpOptions = true,
        description = "Cancel part of a line: backordered units first, then unshipped allocations (ORDERS or ADMIN).")
    static final class CancelLine extends Request
    {
        @Parameters(index = "0", paramLabel = "ORDER-ID")
        String orderId;

        @Option(names = "--line", required = true, description = "line number, from 0 in the order placed")
        int line;

        @Option(names = "--quantity", required = true)
        int quantity;

        @Override
        Reply send(final MeteClient client)
        {
            return client.cancelLine(orderId, line, quantity);
        }
    }

    @Command(name = "release-hold", mixinStandardHelpOptions = true, description = "Release an order's hold: its reservations go to the nodes (ORDERS or ADMIN).")
    static final class ReleaseHold extends Request
    {
        @Parameters(paramLabel = "ORDER-ID")
        String orderId;

        @Override
        Reply send(final MeteClient client)
        {
            return client.releaseHold(orderId);
        }
    }

    @Command(name = "change-delivery", mixinStandardHelpOptions = true,
        description = {"New address, service level or delivery date for an open order (ORDERS or ADMIN).",
            "What is not yet picked is sourced again for it; picked and shipped units stay where they are."})
    static final class ChangeDelivery extends Request
    {
        @Parameters(index = "0", paramLabel = "ORDER-ID")
        String orderId;

        @Option(names = "--lat", required = true, description = "new ship-to latitude")
        double latitude;

        @Option(names = "--lon", required = true, description = "new ship-to longitude")
        double longitude;

        @Option(names = "--service", defaultValue = "STANDARD", description = "STANDARD, EXPEDITED or NEXT_DAY (default: ${DEFAULT-VALUE})")
        ServiceLevel service;

        @Option(names = "--by", paramLabel = "YYYY-MM-DD", description = "latest delivery date (UTC); none when left out")
        java.time.LocalDate by;

        @Override
        Reply send(final MeteClient client)
        {
            return client.changeDelivery(orderId, service, latitude, longitude, by == null ? 0 : (int)by.toEpochDay());
        }

        @Override
        Reply followUp(final MeteClient client, final Reply first)
        {
            return client.queryOrder(orderId);
        }
    }

    @Command(name = "ship", mixinStandardHelpOptions = true,
        description = "Confirm the shipment of everything released or picked for an order at a node (ORDERS or ADMIN).")
    static final class Ship extends Request
    {
        @Parameters(index = "0", paramLabel = "ORDER-ID")
        String orderId;

        @Option(names = "--node", required = true)
        String node;

        @Option(names = "--tracking", defaultValue = "", description = "carrier tracking id")
        String tracking;

        @Override
        Reply send(final MeteClient client)
        {
            return client.confirmShipment(orderId, node, tracking);
        }
    }

    @Command(name = "deliver", mixinStandardHelpOptions = true, description = "Confirm delivery of what an order shipped from a node (ORDERS or ADMIN).")
    static final class Deliver extends Request
    {
        @Parameters(index = "0", paramLabel = "ORDER-ID")
        String orderId;

        @Option(names = "--node", required = true)
        String node;

        @Override
        Reply send(final MeteClient client)
        {
            return client.confirmDelivery(orderId, node);
        }
    }

    @Command(name = "reject-allocation", mixinStandardHelpOptions = true,
        description = "The node declines the order's allocation: it is sourced elsewhere, never at that node again (ORDERS or ADMIN).")
    static final class RejectAllocation extends Request
    {
        @Parameters(index = "0", paramLabel = "ORDER-ID")
        String orderId;

        @Option(names = "--node", required = true)
        String node;

        @Override
        Reply send(final MeteClient client)
        {
            return client.rejectAllocation(orderId, node);
        }
    }

    @Command(name = "safety-stock", mixinStandardHelpOptions = true, description = "Units held back from sale at a position (INVENTORY or ADMIN).")
    static final class SafetyStock extends Request
    {
        @Option(names = "--node", required = true)
        String node;

        @Option(names = "--sku", required = true)
        String sku;

        @Option(names = "--quantity", required = true)
        int quantity;

        @Override
        Reply send(final MeteClient client)
        {
            return client.setSafetyStock(node, sku, quantity);
        }
    }

    @Command(name = "node-status", mixinStandardHelpOptions = true,
        description = {"Take a node offline (no new allocations there; what it holds stays) or bring it back online (ADMIN).",
            "Back online, waiting backorders are served from its stock."})
    static final class NodeStatus extends Request
    {
        @Parameters(index = "0", paramLabel = "NODE")
        String node;

        @CommandLine.ArgGroup(multiplicity = "1")
        State state;

        static final class State
        {
            @Option(names = "--online", required = true)
            boolean online;

            @Option(names = "--offline", required = true)
            boolean offline;
        }

        @Override
        Reply send(final MeteClient client)
        {
            return client.setNodeStatus(node, state.online);
        }
    }

    @Command(name = "node-cutoff", mixinStandardHelpOptions = true,
        description = {"Set a node's daily order cutoff (ADMIN): what sourcing gives the node from that time of day (UTC) on leaves it",
            "the next day, so its promised delivery day is a day later. --none removes it."})
    static final class NodeCutoff extends Request
    {
        @Parameters(index = "0", paramLabel = "NODE")
        String node;

        @CommandLine.ArgGroup(multiplicity = "1")
        When when;

        static final class When
        {
            @Option(names = "--at", required = true, paramLabel = "HH:MM", description = "time of day, UTC")
            java.time.LocalTime at;

            @Option(names = "--none", required = true, description = "no cutoff")
            boolean none;
        }

        @Override
        Reply send(final MeteClient client)
        {
            if (!when.none && when.at.toSecondOfDay() / 60 == 0)
            {
                throw new CommandLine.ParameterException(new CommandLine(this), "--at 00:00 is no cutoff at all: use --none");
            }
            return client.setNodeCutoff(node, when.none ? 0 : when.at.toSecondOfDay() / 60);
        }
    }

    /** A request about one channel's share of one SKU. */
    abstract static class ChannelSkuRequest extends Request
    {
        @Parameters(index = "0", paramLabel = "CHANNEL")
        String channel;

        @Parameters(index = "1", paramLabel = "SKU")
        String sku;
    }

    @Command(name = "channel-cap", mixinStandardHelpOptions = true,
        description = {"Cap what a channel may hold reserved of a SKU (ADMIN); --none removes the cap.",
            "Lowering a cap takes nothing back: it only stops new reservations."})
    static final class ChannelCap extends ChannelSkuRequest
    {
        @CommandLine.ArgGroup(multiplicity = "1")
        Limit limit;

        static final class Limit
        {
            @Option(names = "--max", required = true, paramLabel = "UNITS", description = "units the channel may hold reserved")
            int max = -1;

            @Option(names = "--none", required = true, description = "no cap")
            boolean none;
        }

        @Override
        Reply send(final MeteClient client)
        {
            if (!limit.none && limit.max < 0)
            {
                throw new CommandLine.ParameterException(new CommandLine(this), "--max must not be negative: use --none to remove the cap");
            }
            return client.setChannelCap(channel, sku, limit.none ? -1 : limit.max);
        }
    }

    @Command(name = "channel-fence", mixinStandardHelpOptions = true,
        description = {"Keep units of a SKU for one channel (ADMIN): the other channels may not reserve what the fence still",
            "protects of the SKU's ATP at enabled, online nodes. --none lifts the fence (backorders it held back fill)."})
    static final class ChannelFence extends ChannelSkuRequest
    {
        @CommandLine.ArgGroup(multiplicity = "1")
        Fence fence;

        static final class Fence
        {
            @Option(names = "--units", required = true, paramLabel = "UNITS", description = "units kept for the channel")
            int units;

            @Option(names = "--none", required = true, description = "no fence")
            boolean none;
        }

        @Override
        Reply send(final MeteClient client)
        {
            return client.setChannelFence(channel, sku, fence.none ? 0 : fence.units);
        }
    }

    @Command(name = "node-load", mixinStandardHelpOptions = true,
        description = "A node's status, daily capacity and shipments today, open shipments, reserved units and positions.")
    static final class NodeLoad extends Request
    {
        @Parameters(paramLabel = "NODE")
        String node;

        @Override
        Reply send(final MeteClient client)
        {
            return client.queryNodeLoad(node);
        }
    }

    @Command(name = "adjust", mixinStandardHelpOptions = true, description = "Change on-hand by a delta (INVENTORY or ADMIN).")
    static final class Adjust extends Request
    {
        @Option(names = "--node", required = true)
        String node;

        @Option(names = "--sku", required = true)
        String sku;

        @Option(names = "--delta", required = true, description = "signed change, e.g. --delta=-3")
        int delta;

        @Option(names = "--reason", defaultValue = "CORRECTION", description = "RECEIPT, CYCLE_COUNT, DAMAGE, CORRECTION or TRANSFER")
        AdjustReason reason;

        @Override
        Reply send(final MeteClient client)
        {
            return client.adjust(node, sku, delta, reason);
        }
    }

    @Command(name = "set-on-hand", mixinStandardHelpOptions = true, description = "Set absolute on-hand (INVENTORY or ADMIN).")
    static final class SetOnHand extends Request
    {
        @Option(names = "--node", required = true)
        String node;

        @Option(names = "--sku", required = true)
        String sku;

        @Option(names = "--quantity", required = true)
        int quantity;

        @Override
        Reply send(final MeteClient client)
        {
            return client.setOnHand(node, sku, quantity);
        }
    }

    @Command(name = "order-retention", mixinStandardHelpOptions = true,
        description = "How long closed orders are kept after their last change before they are retired (ADMIN).")
    static final class OrderRetention extends Request
    {
        @CommandLine.ArgGroup(multiplicity = "1")
        Period period;

        static final class Period
        {
            @Option(names = "--days", description = "days; fractions allowed, e.g. 0.5")
            Double days;

            @Option(names = "--millis", description = "milliseconds")
            Long millis;

            @Option(names = "--forever", description = "never retire closed orders (the initial setting)")
            boolean forever;
        }

        @Override
        Reply send(final MeteClient client)
        {
            final long millis = period.forever ? -1 : period.millis != null ? period.millis : Math.round(period.days * 86_400_000d);
            return client.setOrderRetention(millis);
        }
    }

    @Command(name = "promise", mixinStandardHelpOptions = true,
        description = {"Where and when an order would ship if placed now: shipments, promised days, cost, short units.",
            "Nothing is reserved; placing the same order next makes the same shipments."})
    static class Promise extends Request
    {
        @Option(names = "--channel", defaultValue = "web", description = "channel (default: ${DEFAULT-VALUE})")
        String channel;

        @Option(names = "--line", required = true, paramLabel = "SKU:QTY", description = "a line; repeat for more")
        List<String> lines;

        @Option(names = "--lat", defaultValue = "40.7", description = "ship-to latitude (default: ${DEFAULT-VALUE})")
        double latitude;

        @Option(names = "--lon", defaultValue = "-74.0", description = "ship-to longitude (default: ${DEFAULT-VALUE})")
        double longitude;

        @Option(names = "--service", defaultValue = "STANDARD", description = "STANDARD, EXPEDITED or NEXT_DAY")
        ServiceLevel service;

        @Option(names = "--by", paramLabel = "YYYY-MM-DD", description = "latest delivery date (UTC); nodes that cannot deliver by then are left out")
        java.time.LocalDate by;

        @Override
        Reply send(final MeteClient client)
        {
            final String[] skus = new String[lines.size()];
            final int[] quantities = new int[lines.size()];
            parseLines(lines, skus, quantities);
            return client.queryPromise(channel, skus, quantities, latitude, longitude, service, by == null ? 0 : (int)by.toEpochDay());
        }

        /** One line for the whole promise, then one per shipment with its lines by SKU. */
        @Override
        String text(final Reply reply)
        {
            if (reply.templateId() != io.mete.schema.PromiseDecoder.TEMPLATE_ID)
            {
                return reply.toString();
            }
            final String[] skus = new String[lines.size()];
            parseLines(lines, skus, new int[lines.size()]);
            final io.mete.schema.PromiseDecoder p = reply.wrap(new io.mete.schema.PromiseDecoder());
            final java.time.LocalDate today = java.time.LocalDate.ofEpochDay(p.today());
            final int deliveryDay = p.deliveryDay();
            final long totalCost = p.totalCost();
            final long unitsShort = p.unitsShort();
            final io.mete.schema.ShortfallAction action = p.shortfallAction();
            final java.util.List<StringBuilder> shipments = new java.util.ArrayList<>();
            for (final io.mete.schema.PromiseDecoder.ShipmentsDecoder shipment : p.shipments())
            {
                final int cost = shipment.cost();
                final int day = shipment.promisedDay();
                shipments.add(new StringBuilder(String.format("  %-16s by %s  %8.2f ", shipment.node(), java.time.LocalDate.ofEpochDay(day),
                    cost / 100.0)));
            }
            final String[] separator = new String[shipments.size()];
            java.util.Arrays.fill(separator, " ");
            for (final io.mete.schema.PromiseDecoder.LinesDecoder line : p.lines())
            {
                final int s = line.shipment();
                shipments.get(s).append(separator[s]).append(skus[line.lineNumber()]).append(" x").append(line.quantity());
                separator[s] = ", ";
            }
            final StringBuilder shortText = new StringBuilder();
            for (final io.mete.schema.PromiseDecoder.ShortLinesDecoder line : p.shortLines())
            {
                shortText.append(shortText.length() == 0 ? "" : ", ").append(skus[line.lineNumber()]).append(" x").append(line.quantity());
            }
            final StringBuilder out = new StringBuilder(String.format("promise: %d shipment%s, %s, cost %.2f, %s (today %s, %s)",
                shipments.size(), shipments.size() == 1 ? "" : "s",
                deliveryDay == 0 ? "nothing can ship" : "delivered by " + java.time.LocalDate.ofEpochDay(deliveryDay),
                totalCost / 100.0,
                unitsShort == 0 ? "nothing short" : unitsShort + " units short (" + shortText + "): placing it would " +
                    (action == io.mete.schema.ShortfallAction.REJECT ? "be rejected" : "backorder them"),
                today, service));
            for (final StringBuilder shipment : shipments)
            {
                out.append('\n').append(shipment);
            }
            return out.toString();
        }
    }

    @Command(name = "explain", mixinStandardHelpOptions = true,
        description = {"The promise's workings: every node holding one of the lines, whether it may ship the order and which rule",
            "rules it out (DISABLED, OFFLINE, CHANNEL_NOT_SERVED, STORES_EXCLUDED, CAPACITY_FULL, OUT_OF_RANGE, NO_RATE, TOO_LATE),",
            "its distance, zone, cost and promised date, its stock of each line (ATP/planned) and the shipment the plan makes there.",
            "Nothing is reserved."})
    static final class Explain extends Promise
    {
        @Override
        Reply send(final MeteClient client)
        {
            final String[] skus = new String[lines.size()];
            final int[] quantities = new int[lines.size()];
            parseLines(lines, skus, quantities);
            return client.explainSourcing(channel, skus, quantities, latitude, longitude, service, by == null ? 0 : (int)by.toEpochDay());
        }

        @Override
        String text(final Reply reply)
        {
            return explanationText(reply);
        }
    }

    @Command(name = "explain-order", mixinStandardHelpOptions = true,
        description = {"Why an order waits: its backordered units planned now as a backorder fill would plan them (its destination,",
            "service, delivery date, channel and excluded nodes), node by node as explain shows them. An order with nothing",
            "backordered is planned in full, as if placed again now. Nothing is reserved."})
    static final class ExplainOrder extends Request
    {
        @Parameters(paramLabel = "ORDER")
        String orderId;

        @Override
        Reply send(final MeteClient client)
        {
            return client.explainOrder(orderId);
        }

        @Override
        String text(final Reply reply)
        {
            return explanationText(reply);
        }
    }

    /** A summary line, then a table: one row per node, a column per line with its ATP and what the plan takes. */
    static String explanationText(final Reply reply)
    {
        if (reply.templateId() != io.mete.schema.SourcingExplanationDecoder.TEMPLATE_ID)
        {
            return reply.toString();
        }
        // first pass: the lines' SKUs, for the columns
        final java.util.TreeMap<Integer, String> columns = new java.util.TreeMap<>();
        final io.mete.schema.SourcingExplanationDecoder first = reply.wrap(new io.mete.schema.SourcingExplanationDecoder());
        for (final io.mete.schema.SourcingExplanationDecoder.NodesDecoder node : first.nodes())
        {
            for (final io.mete.schema.SourcingExplanationDecoder.NodesDecoder.LinesDecoder line : node.lines())
            {
                final int lineNumber = line.lineNumber();
                columns.put(lineNumber, line.sku());
            }
            node.node();
        }
        final io.mete.schema.SourcingExplanationDecoder e = reply.wrap(new io.mete.schema.SourcingExplanationDecoder());
        final io.mete.schema.ServiceLevel service = e.service();
        final int today = e.today();
        final int deliveryDay = e.deliveryDay();
        final long totalCost = e.totalCost();
        final long unitsShort = e.unitsShort();
        final int leftOut = e.nodesLeftOut();
        final StringBuilder table = new StringBuilder(String.format("  %-16s %-18s %7s %4s %8s  %-10s %4s", "node", "verdict", "km", "zone",
            "cost", "promised", "plan"));
        for (final java.util.Map.Entry<Integer, String> column : columns.entrySet())
        {
            table.append(String.format("  %-12s", "#" + column.getKey() + " " + column.getValue()));
        }
        int shipments = 0;
        int nodes = 0;
        for (final io.mete.schema.SourcingExplanationDecoder.NodesDecoder node : e.nodes())
        {
            nodes++;
            final io.mete.schema.NodeVerdict verdict = node.verdict();
            final int distance = node.distanceKm();
            final int zone = node.zone();
            final int cost = node.cost();
            final int promised = node.promisedDay();
            final int shipment = node.shipment();
            shipments += shipment >= 0 ? 1 : 0;
            final java.util.TreeMap<Integer, String> cells = new java.util.TreeMap<>();
            for (final io.mete.schema.SourcingExplanationDecoder.NodesDecoder.LinesDecoder line : node.lines())
            {
                final int lineNumber = line.lineNumber();
                cells.put(lineNumber, line.atp() + "/" + line.planned());
                line.sku();   // var data is read in order, before the next line
            }
            table.append('\n').append(String.format("  %-16s %-18s %7d %4s %8s  %-10s %4s", node.node(), verdict, distance,
                zone < 0 ? "-" : String.valueOf(zone), cost < 0 ? "-" : String.format("%.2f", cost / 100.0),
                promised == 0 ? "-" : java.time.LocalDate.ofEpochDay(promised).toString(), shipment < 0 ? "-" : "#" + shipment));
            for (final Integer lineNumber : columns.keySet())
            {
                table.append(String.format("  %-12s", cells.getOrDefault(lineNumber, "-")));
            }
        }
        // the lines the channel's cap or the other channels' fences hold back
        final StringBuilder room = new StringBuilder();
        for (final io.mete.schema.SourcingExplanationDecoder.LinesDecoder line : e.lines())
        {
            final int lineNumber = line.lineNumber();
            final int quantity = line.quantity();
            final int capRoom = line.capRoom();
            final long fenceRoom = line.fenceRoom();
            final String sku = line.sku();
            if (capRoom >= 0 && capRoom < quantity)
            {
                room.append(String.format("%n  #%d %s: the channel's cap leaves room for %d of %d", lineNumber, sku, capRoom, quantity));
            }
            if (fenceRoom >= 0 && fenceRoom < quantity)
            {
                room.append(String.format("%n  #%d %s: other channels' fences leave %d of %d", lineNumber, sku, fenceRoom, quantity));
            }
        }
        table.append(room);
        return String.format("explain: plan %d shipment%s, %s, cost %.2f, %s (today %s, %s); %d node%s hold the lines%s (cells: ATP/planned)%n",
            shipments, shipments == 1 ? "" : "s",
            deliveryDay == 0 ? "nothing can ship" : "delivered by " + java.time.LocalDate.ofEpochDay(deliveryDay),
            totalCost / 100.0, unitsShort == 0 ? "nothing short" : unitsShort + " units short", java.time.LocalDate.ofEpochDay(today),
            service, nodes, nodes == 1 ? "" : "s", leftOut > 0 ? " (" + leftOut + " more not listed)" : "") + table;
    }

    /** {@code SKU:QTY} (or {@code SKU} for 1) into the two arrays. */
    static void parseLines(final List<String> lines, final String[] skus, final int[] quantities)
    {
        for (int i = 0; i < skus.length; i++)
        {
            final String line = lines.get(i);
            final int colon = line.lastIndexOf(':');
            skus[i] = colon < 0 ? line : line.substring(0, colon);
            quantities[i] = colon < 0 ? 1 : Integer.parseInt(line.substring(colon + 1));
        }
    }

    @Command(name = "availability", mixinStandardHelpOptions = true, description = "Stock of a SKU per node and channel.")
    static final class Availability extends Request
    {
        @Parameters(paramLabel = "SKU")
        String sku;

        @Override
        Reply send(final MeteClient client)
        {
            return client.queryAvailability(sku);
        }
    }

    @Command(name = "order", mixinStandardHelpOptions = true, description = "An order's lines and allocations.")
    static final class Order extends Request
    {
        @Parameters(paramLabel = "ORDER-ID")
        String orderId;

        @Override
        Reply send(final MeteClient client)
        {
            return client.queryOrder(orderId);
        }
    }

    @Command(name = "totals", aliases = "stats", mixinStandardHelpOptions = true, description = "Engine-wide counters (orders, fill, cost, backorders).")
    static final class Totals extends Request
    {
        @Override
        Reply send(final MeteClient client)
        {
            return client.totals();
        }
    }

    @Command(name = "state-hash", mixinStandardHelpOptions = true, description = "The state hash and the last applied sequence.")
    static final class StateHash extends Request
    {
        @Override
        Reply send(final MeteClient client)
        {
            return client.stateHash();
        }
    }

    @Command(name = "snapshot", mixinStandardHelpOptions = true, description = "Write a snapshot now (ADMIN).")
    static final class Snapshot extends Request
    {
        @Override
        Reply send(final MeteClient client)
        {
            return client.snapshot();
        }
    }

    @Command(name = "send", mixinStandardHelpOptions = true,
        description = {"Send any command or query written as JSON, in the shape journal inspect --json prints:",
            "  {\"type\":\"SetSafetyStock\",\"quantity\":5,\"node\":\"N001\",\"sku\":\"SKU00001\"}",
            "A left-out field is 0 (the enum value 0, an empty string, an empty group); an unknown one is an error.",
            "With - the requests are read from standard input, one JSON object a line, sent pipelined and answered in order.",
            "A journal entry as journal inspect --json prints it sends its message: journal inspect DIR --json --order A-1 | mete client send -",
            "Exit status: 0 all accepted, 1 any rejected, 2 a request that is not valid JSON for its message, or no server."})
    static final class Send implements Callable<Integer>
    {
        @CommandLine.ParentCommand
        ClientCommand parent;

        @Parameters(arity = "1..*", paramLabel = "JSON", description = "one request a parameter, or - for standard input")
        List<String> requests;

        @Override
        public Integer call() throws java.io.IOException
        {
            final Connection connection = parent.connection;
            final JsonRequestEncoder encoder = new JsonRequestEncoder();
            final List<byte[]> messages = new java.util.ArrayList<>();
            int number = 0;
            for (final String request : requests.size() == 1 && "-".equals(requests.get(0)) ? standardInput() : requests)
            {
                number++;
                if (request.isBlank())
                {
                    continue;
                }
                try
                {
                    messages.add(encode(encoder, request));
                }
                catch (final JsonRequestException ex)
                {
                    System.err.println("mete client send: request " + number + ": " + ex.getMessage());
                    return 2;
                }
            }
            final MessageJson json = new MessageJson();
            try (MeteClient client = connection.connect())
            {
                for (int i = 0; i < messages.size(); i++)
                {
                    // the gateway closes a session that sends outside its role: say so before sending any
                    final int templateId = new org.agrona.concurrent.UnsafeBuffer(messages.get(i)).getShort(2, java.nio.ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
                    if (!Templates.permits(client.role(), templateId) ||
                        !Templates.isRelayedRequest(templateId))
                    {
                        System.err.println("mete client send: request " + (i + 1) + ": a " + client.role() + " client may not send template " + templateId);
                        return 2;
                    }
                }
                final List<java.util.concurrent.CompletableFuture<Reply>> replies = new java.util.ArrayList<>();
                for (final byte[] message : messages)
                {
                    replies.add(client.send(new org.agrona.concurrent.UnsafeBuffer(message), 0, message.length));
                }
                boolean allAccepted = true;
                for (final java.util.concurrent.CompletableFuture<Reply> future : replies)
                {
                    final Reply reply = client.await(future);
                    allAccepted &= reply.isAccepted();
                    final byte[] bytes = reply.bytes();
                    System.out.println(connection.json ? json.toJson(new org.agrona.concurrent.UnsafeBuffer(bytes), 0, bytes.length) : reply.toString());
                }
                return allAccepted ? 0 : 1;
            }
            catch (final MeteClientException | java.io.IOException ex)
            {
                System.err.println("mete client: " + ex.getMessage());
                return 2;
            }
        }

        /** A message, or a journal entry as inspect --json prints it ({"sequence":...,"message":{...}}): its message. */
        private static byte[] encode(final JsonRequestEncoder encoder, final String request)
        {
            final com.fasterxml.jackson.databind.JsonNode json = encoder.parse(request);
            final com.fasterxml.jackson.databind.JsonNode message = json.has("type") ? json : json.get("message");
            if (message == null || !message.isObject() || !message.path("type").isTextual())
            {
                throw new JsonRequestException("\"type\" must name the message, e.g. \"PlaceOrder\" (or give a journal entry with \"message\")");
            }
            return encoder.encode(message.get("type").asText(), message);
        }

        private static List<String> standardInput() throws java.io.IOException
        {
            final java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(System.in, java.nio.charset.StandardCharsets.UTF_8));
            return in.lines().collect(java.util.stream.Collectors.toList());
        }
    }

    @Command(name = "events", mixinStandardHelpOptions = true,
        description = {"Print the event stream: from an event sequence (the server's event journal first, then live), one event a line.",
            "Runs until --count events were printed, no event came for --idle seconds, or Ctrl-C.",
            "Stopped by --count or --idle, its last line is next-sequence: N, the --from that continues where it left off."})
    static final class Events implements Callable<Integer>
    {
        @CommandLine.ParentCommand
        ClientCommand parent;

        @Option(names = "--from", paramLabel = "SEQ", defaultValue = "-1",
            description = "first event sequence (default: -1, only events from now on)")
        long from;

        @Option(names = "--count", paramLabel = "N", defaultValue = "0", description = "stop after N events (default: 0, no limit)")
        long count;

        @Option(names = "--idle", paramLabel = "SECONDS", defaultValue = "0",
            description = "stop when no event came for this long, e.g. once the journal is read up to now (default: 0, never)")
        double idleSeconds;

        @Option(names = "--types", paramLabel = "T,U", split = ",",
            description = "print only these events, e.g. OrderAllocated,Shipped (--count counts them; next-sequence still covers every event)")
        List<String> types;

        @Override
        public Integer call() throws Exception
        {
            final Connection connection = parent.connection;
            final java.io.PrintStream out = System.out;
            final java.util.BitSet wanted;
            try
            {
                wanted = types == null ? null : new JsonRequestEncoder().eventTypes(types);
            }
            catch (final JsonRequestException ex)
            {
                System.err.println("mete client events: " + ex.getMessage());
                return 2;
            }
            final io.mete.engine.command.MessageFormatter formatter = new io.mete.engine.command.MessageFormatter();
            final io.mete.journal.cli.MessageJson json = connection.json ? new io.mete.journal.cli.MessageJson() : null;
            // events arrive on the client's reader thread; this thread waits for the end and prints the last line
            final java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
            final java.util.concurrent.atomic.AtomicLong printed = new java.util.concurrent.atomic.AtomicLong();
            final java.util.concurrent.atomic.AtomicLong next = new java.util.concurrent.atomic.AtomicLong(from);
            final java.util.concurrent.atomic.AtomicLong lastEventNs = new java.util.concurrent.atomic.AtomicLong(System.nanoTime());
            try (MeteClient client = connection.connect())
            {
                final boolean[] stopped = new boolean[1];
                final Reply started = client.subscribe(from, (eventSequence, commandSequence, clientId, buffer, offset, length) ->
                {
                    synchronized (out)
                    {
                        if (stopped[0])
                        {
                            return;
                        }
                        if (wanted != null && !wanted.get(buffer.getShort(offset + 2, java.nio.ByteOrder.LITTLE_ENDIAN) & 0xFFFF))
                        {
                            // not printed, but read: resuming from next-sequence skips nothing that was asked for
                            next.set(eventSequence + 1);
                            lastEventNs.set(System.nanoTime());
                            return;
                        }
                        if (json != null)
                        {
                            out.println("{\"eventSequence\":" + eventSequence + ",\"commandSequence\":" + commandSequence + ",\"clientId\":" +
                                clientId + ",\"message\":" + json.toJson(buffer, offset, length) + "}");
                        }
                        else
                        {
                            out.println(eventSequence + " cmd=" + commandSequence + " client=" + clientId + " " +
                                formatter.format(buffer, offset, length));
                        }
                        out.flush();
                        next.set(eventSequence + 1);
                        lastEventNs.set(System.nanoTime());
                        if (printed.incrementAndGet() >= count && count > 0)
                        {
                            stopped[0] = true;
                            done.countDown();
                        }
                    }
                });
                if (started.isRejected())
                {
                    System.err.println("mete client: " + started);
                    return 1;
                }
                final long first = started.wrap(new io.mete.schema.SubscriptionStartedDecoder()).nextSequence();
                synchronized (out)
                {
                    if (printed.get() == 0 && first >= 0)
                    {
                        next.set(first);
                    }
                }
                final long idleNs = (long)(idleSeconds * 1e9);
                while (!done.await(50, java.util.concurrent.TimeUnit.MILLISECONDS))
                {
                    if (idleNs > 0 && System.nanoTime() - lastEventNs.get() > idleNs)
                    {
                        done.countDown();
                    }
                }
                synchronized (out)
                {
                    stopped[0] = true;
                }
            }
            catch (final MeteClientException | java.io.IOException ex)
            {
                System.err.println("mete client: " + ex.getMessage());
                return 2;
            }
            final long continueFrom = next.get();
            out.println(connection.json ? "{\"next-sequence\":" + continueFrom + "}" : "next-sequence: " + continueFrom);
            return 0;
        }
    }
}
