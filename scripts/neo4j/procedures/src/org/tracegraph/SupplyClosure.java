package org.tracegraph;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.neo4j.graphdb.Direction;
import org.neo4j.graphdb.Node;
import org.neo4j.graphdb.Relationship;
import org.neo4j.graphdb.RelationshipType;
import org.neo4j.graphdb.Result;
import org.neo4j.graphdb.Transaction;
import org.neo4j.procedure.Context;
import org.neo4j.procedure.Description;
import org.neo4j.procedure.Mode;
import org.neo4j.procedure.Name;
import org.neo4j.procedure.Procedure;

/**
 * The upstream walk's reads in one call: every sourcing row a walk from the given (buyer, item) keys
 * could ask for, found by following relationships instead of one index seek per key and tier.
 *
 * <p>This is a prefetch, not the walk: it asks, for every (item, facility) state it reaches, the same
 * two questions the walk asks ("does this facility buy the item itself?" and "who supplies its
 * components?") and follows every answer, a superset of what the walk follows. It returns the sourcing
 * rows with each facility, company and item once (rows point at them by index: a supplier site serving
 * many links would otherwise be sent and decoded once per link), plus the keys it asked, so the walk can
 * tell "asked, no rows" from "not asked" and fall back to the store for the latter. A second procedure
 * runs the same walk and answers with IDs only, for a client that already holds the records. The
 * verdict logic stays in one place: `app/trace/walk.py`.
 *
 * <p>Scoped by tenant: the start rows are looked up by (tenant, buyer_key, item_id); everything after
 * is reached through relationships, which only ever join nodes of one tenant.
 */
@SuppressWarnings("deprecation") // Node.getId(): a map key within one transaction, never stored
public class SupplyClosure {

    private static final RelationshipType DELIVERED_TO = RelationshipType.withName("DELIVERED_TO");
    private static final RelationshipType SUPPLIED_BY = RelationshipType.withName("SUPPLIED_BY");
    private static final RelationshipType OPERATES = RelationshipType.withName("OPERATES");
    private static final RelationshipType OF_ITEM = RelationshipType.withName("OF_ITEM");
    private static final RelationshipType HAS_COMPONENT = RelationshipType.withName("HAS_COMPONENT");

    private static final String START = "UNWIND $keys AS k "
            + "MATCH (s:Sourcing {tenant: $tenant, buyer_key: k[0], item_id: k[1]}) RETURN s";

    /** Properties every tenant-owned node carries for the store, not for the record (graph_model.node_props). */
    private static final Set<String> BOOKKEEPING = Set.of("tenant", "id");
    private static final Set<String> SOURCING_BOOKKEEPING = Set.of("tenant", "id", "buyer_key");

    @Context
    public Transaction tx;

    public static class Output {
        /**
         * [buyer_key, item_id, sourcing id, sourcing fields, supplier facility, operator, item] per
         * sourcing row; the last three are indexes into {@code nodes} (null when absent), so each node
         * travels once.
         */
        public List<List<Object>> rows;
        /** The facilities, companies and items the rows point at, each once, without bookkeeping keys. */
        public List<Map<String, Object>> nodes;
        /** [item index, [[component id, line properties], ...]] for every item among the nodes. */
        public List<List<Object>> boms;
        /** Every (buyer_key, item_id) key the closure asked, rows or not. */
        public List<List<String>> asked;

        public Output(
                List<List<Object>> rows,
                List<Map<String, Object>> nodes,
                List<List<Object>> boms,
                List<List<String>> asked) {
            this.rows = rows;
            this.nodes = nodes;
            this.boms = boms;
            this.asked = asked;
        }
    }

    public static class IdOutput {
        /** [sourcing id, supplier facility id, operator id, item id] per sourcing row (null when absent). */
        public List<List<String>> rows;
        /** Every (buyer_key, item_id) key the closure asked, rows or not. */
        public List<List<String>> asked;

        public IdOutput(List<List<String>> rows, List<List<String>> asked) {
            this.rows = rows;
            this.asked = asked;
        }
    }

    /** What the walk reports for each sourcing row it reaches; the two procedures differ only here. */
    private interface Visitor {
        /** Called once per sourcing row reached, with the nodes it points at and their IDs (null when absent). */
        void row(Node sourcing, Node facility, String fid, Node operator, String cid, Node item, String iid);

        /** Whether the visitor wants the line properties of bills of materials. */
        boolean wantsLines();

        /** The item's [component id, line properties] pairs, the first time the item is met. */
        void bom(Node item, List<Object> lines);
    }

    @Procedure(name = "tracegraph.upstreamClosure", mode = Mode.READ)
    @Description("tracegraph.upstreamClosure(tenant, keys) - every sourcing row upstream of the (buyer, item) keys")
    public Stream<Output> supplyClosure(@Name("tenant") String tenant, @Name("keys") List<List<String>> keys) {
        List<List<Object>> rows = new ArrayList<>();
        Map<Long, Long> nodeIndex = new HashMap<>();
        List<Map<String, Object>> nodes = new ArrayList<>();
        List<List<Object>> boms = new ArrayList<>();
        List<List<String>> asked = walk(tenant, keys, new Visitor() {
            public void row(Node s, Node facility, String fid, Node operator, String cid, Node item, String iid) {
                List<Object> row = new ArrayList<>(7);
                row.add(s.getProperty("buyer_key", ""));
                row.add(s.getProperty("item_id", ""));
                row.add(s.getProperty("id", ""));
                row.add(fields(s, SOURCING_BOOKKEEPING));
                row.add(index(facility, nodeIndex, nodes));
                row.add(index(operator, nodeIndex, nodes));
                row.add(index(item, nodeIndex, nodes));
                rows.add(row);
            }

            public boolean wantsLines() {
                return true;
            }

            public void bom(Node item, List<Object> lines) {
                boms.add(List.of(index(item, nodeIndex, nodes), lines));
            }
        });
        return Stream.of(new Output(rows, nodes, boms, asked));
    }

    /**
     * The same walk, answering with IDs only: for a client that already holds the records (decoded from
     * an earlier answer at the same data version), reading and sending every property again is most of
     * the cost of a deep closure.
     */
    @Procedure(name = "tracegraph.upstreamClosureIds", mode = Mode.READ)
    @Description("tracegraph.upstreamClosureIds(tenant, keys) - the IDs of every sourcing row upstream of the keys")
    public Stream<IdOutput> supplyClosureIds(@Name("tenant") String tenant, @Name("keys") List<List<String>> keys) {
        List<List<String>> rows = new ArrayList<>();
        List<List<String>> asked = walk(tenant, keys, new Visitor() {
            public void row(Node s, Node facility, String fid, Node operator, String cid, Node item, String iid) {
                rows.add(Arrays.asList((String) s.getProperty("id", ""), fid, cid, iid));
            }

            public boolean wantsLines() {
                return false;
            }

            public void bom(Node item, List<Object> lines) {}
        });
        return Stream.of(new IdOutput(rows, asked));
    }

    /** Breadth first over sourcing nodes from the start keys; returns every key asked. */
    private List<List<String>> walk(String tenant, List<List<String>> keys, Visitor visitor) {
        List<List<String>> asked = new ArrayList<>();
        Set<String> askedKeys = new HashSet<>();
        Set<String> states = new HashSet<>();
        ArrayDeque<Node> frontier = new ArrayDeque<>();
        Map<Long, Map<String, List<Node>>> buysByFacility = new HashMap<>();
        Map<Long, List<String>> componentsByItem = new HashMap<>();

        for (List<String> k : keys) {
            if (askedKeys.add(k.get(0) + "\u0000" + k.get(1))) {
                asked.add(List.of(k.get(0), k.get(1)));
            }
        }
        try (Result start = tx.execute(START, Map.of("tenant", tenant, "keys", keys))) {
            while (start.hasNext()) {
                Node s = (Node) start.next().get("s");
                frontier.add(s);
            }
        }
        // Each emitted row leads to the state (item, supplier). Facilities and items recur on many rows:
        // their IDs and operators are read once per node.
        Map<Long, String> ids = new HashMap<>();
        Map<Long, Node> operators = new HashMap<>();
        while (!frontier.isEmpty()) {
            Node s = frontier.poll();
            Relationship supplied = s.getSingleRelationship(SUPPLIED_BY, Direction.OUTGOING);
            Node facility = supplied == null ? null : supplied.getEndNode();
            Relationship ofItem = s.getSingleRelationship(OF_ITEM, Direction.OUTGOING);
            Node item = ofItem == null ? null : ofItem.getEndNode();
            Node operator = null;
            if (facility != null) {
                operator = operators.computeIfAbsent(facility.getId(), id -> {
                    Relationship op = facility.getSingleRelationship(OPERATES, Direction.INCOMING);
                    return op == null ? null : op.getStartNode();
                });
            }
            String fid = id(facility, ids);
            String iid = id(item, ids);
            visitor.row(s, facility, fid, operator, id(operator, ids), item, iid);
            // The bill of materials travels once per item, beside the item's node.
            List<String> components = List.of();
            if (item != null) {
                components = componentsByItem.get(item.getId());
                if (components == null) {
                    List<Object> lines = visitor.wantsLines() ? new ArrayList<>() : null;
                    components = components(item, lines);
                    componentsByItem.put(item.getId(), components);
                    if (lines != null) {
                        visitor.bom(item, lines);
                    }
                }
            }
            if (facility == null || item == null) {
                continue;
            }
            if (!states.add(iid + "\u0000" + fid)) {
                continue;
            }
            Map<String, List<Node>> buys = buysByFacility.computeIfAbsent(facility.getId(), id -> purchases(facility));
            List<String> wanted = new ArrayList<>(components.size() + 1);
            wanted.add(iid);
            wanted.addAll(components);
            for (String want : wanted) {
                if (askedKeys.add(fid + "\u0000" + want)) {
                    asked.add(List.of(fid, want));
                    frontier.addAll(buys.getOrDefault(want, List.of()));
                }
            }
        }
        return asked;
    }

    /** The node's `id` property, read once per node; null for no node. */
    private static String id(Node node, Map<Long, String> ids) {
        return node == null ? null : ids.computeIfAbsent(node.getId(), k -> (String) node.getProperty("id"));
    }

    /** A facility's purchases (sourcing rows delivered to it) by item, read once per facility. */
    private static Map<String, List<Node>> purchases(Node facility) {
        Map<String, List<Node>> out = new HashMap<>();
        for (Relationship r : facility.getRelationships(Direction.INCOMING, DELIVERED_TO)) {
            Node s = r.getStartNode();
            out.computeIfAbsent((String) s.getProperty("item_id", ""), k -> new ArrayList<>()).add(s);
        }
        return out;
    }

    /** The item's component IDs; fills `lines` (when given) with [component id, line properties] pairs. */
    private static List<String> components(Node item, List<Object> lines) {
        List<String> ids = new ArrayList<>();
        for (Relationship r : item.getRelationships(Direction.OUTGOING, HAS_COMPONENT)) {
            String cid = (String) r.getEndNode().getProperty("id");
            ids.add(cid);
            if (lines != null) {
                lines.add(List.of(cid, r.getAllProperties()));
            }
        }
        return ids;
    }

    /** The node's position in {@code nodes}, adding it (its fields only) on first sight; null for none. */
    private static Long index(Node node, Map<Long, Long> nodeIndex, List<Map<String, Object>> nodes) {
        if (node == null) {
            return null;
        }
        return nodeIndex.computeIfAbsent(node.getId(), id -> {
            nodes.add(fields(node, BOOKKEEPING));
            return (long) (nodes.size() - 1);
        });
    }

    /** The node's properties without the store's bookkeeping keys: exactly the record's fields. */
    private static Map<String, Object> fields(Node node, Set<String> bookkeeping) {
        Map<String, Object> props = new HashMap<>(node.getAllProperties());
        props.keySet().removeAll(bookkeeping);
        return props;
    }
}
