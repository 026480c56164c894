package org.tracegraph;

import java.util.ArrayDeque;
import java.util.ArrayList;
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
 * components?") and follows every answer, a superset of what the walk follows. It returns the rows in
 * the shape of the store's per-tier supply query, plus the keys it asked, so the walk can tell "asked,
 * no rows" from "not asked" and fall back to the store for the latter. The verdict logic stays in one
 * place: `app/trace/walk.py`.
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

    @Context
    public Transaction tx;

    public static class Output {
        /** [buyer_key, item_id, sourcing, supplier facility, operator, item, bom] per sourcing row. */
        public List<List<Object>> rows;
        /** Every (buyer_key, item_id) key the closure asked, rows or not. */
        public List<List<String>> asked;

        public Output(List<List<Object>> rows, List<List<String>> asked) {
            this.rows = rows;
            this.asked = asked;
        }
    }

    @Procedure(name = "tracegraph.supplyClosure", mode = Mode.READ)
    @Description("tracegraph.supplyClosure(tenant, keys) - every sourcing row upstream of the (buyer, item) keys")
    public Stream<Output> supplyClosure(@Name("tenant") String tenant, @Name("keys") List<List<String>> keys) {
        List<List<Object>> rows = new ArrayList<>();
        List<List<String>> asked = new ArrayList<>();
        Set<String> askedKeys = new HashSet<>();
        Set<String> states = new HashSet<>();
        ArrayDeque<Node> frontier = new ArrayDeque<>();
        Map<Long, Map<String, List<Node>>> buysByFacility = new HashMap<>();
        Map<Long, List<String>> componentsByItem = new HashMap<>();
        Map<Long, Map<String, Object>> propsCache = new HashMap<>();

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
        // Breadth first over sourcing nodes: each emitted row leads to the state (item, supplier).
        while (!frontier.isEmpty()) {
            Node s = frontier.poll();
            Relationship supplied = s.getSingleRelationship(SUPPLIED_BY, Direction.OUTGOING);
            Node facility = supplied == null ? null : supplied.getEndNode();
            Relationship ofItem = s.getSingleRelationship(OF_ITEM, Direction.OUTGOING);
            Node item = ofItem == null ? null : ofItem.getEndNode();
            Node operator = null;
            if (facility != null) {
                Relationship op = facility.getSingleRelationship(OPERATES, Direction.INCOMING);
                operator = op == null ? null : op.getStartNode();
            }
            // The bill of materials travels once per item, with the item's first row (as the store's
            // per-tier reader keeps the first one it sees).
            List<Object> bom = new ArrayList<>();
            List<String> components = List.of();
            if (item != null) {
                components = componentsByItem.get(item.getId());
                if (components == null) {
                    components = components(item, bom);
                    componentsByItem.put(item.getId(), components);
                }
            }
            List<Object> row = new ArrayList<>(7);
            row.add(s.getProperty("buyer_key", ""));
            row.add(s.getProperty("item_id", ""));
            row.add(s.getAllProperties());
            row.add(props(facility, propsCache));
            row.add(props(operator, propsCache));
            row.add(props(item, propsCache));
            row.add(bom);
            rows.add(row);

            if (facility == null || item == null) {
                continue;
            }
            String fid = (String) facility.getProperty("id");
            String iid = (String) item.getProperty("id");
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
        return Stream.of(new Output(rows, asked));
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

    /** The item's component IDs; fills `bom` with [component id, line properties] pairs. */
    private static List<String> components(Node item, List<Object> bom) {
        List<String> ids = new ArrayList<>();
        for (Relationship r : item.getRelationships(Direction.OUTGOING, HAS_COMPONENT)) {
            String cid = (String) r.getEndNode().getProperty("id");
            ids.add(cid);
            bom.add(List.of(cid, r.getAllProperties()));
        }
        return ids;
    }

    private static Map<String, Object> props(Node node, Map<Long, Map<String, Object>> cache) {
        if (node == null) {
            return null;
        }
        return cache.computeIfAbsent(node.getId(), id -> node.getAllProperties());
    }
}
