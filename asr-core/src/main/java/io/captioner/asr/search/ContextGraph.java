package io.captioner.asr.search;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Hotword biasing graph, like WeNet's context graph: a trie of phrases (as unit ids) with
 * Aho-Corasick failure links. Every unit that extends a match earns {@code boost}; when a match
 * breaks before its phrase is complete, the bonus earned beyond the longest suffix that still
 * matches is given back; a completed phrase keeps its bonus for good.
 *
 * <p>Differences from WeNet's FST-based version, on purpose: reaching the end of a phrase banks
 * its bonus even when a longer phrase continues it, and a broken match that falls back onto a
 * completed shorter phrase keeps exactly that phrase's bonus. Immutable and thread-safe: one graph
 * can serve many streams; change a stream's hotwords by giving its search a new graph.
 */
public final class ContextGraph {
    /** WeNet's default bonus per matched unit. */
    public static final double DEFAULT_BOOST = 3.0;
    /** The state before any match. */
    public static final int ROOT = 0;

    /** Result of consuming one unit: the next state and the score change. */
    public record Step(int state, double score) {}

    private final double boost;
    private final List<Map<Integer, Integer>> children = new ArrayList<>();
    private final List<Double> bonus = new ArrayList<>();
    private final List<Boolean> phraseEnd = new ArrayList<>();
    private final int[] fail;
    private final int phrases;

    private ContextGraph(List<int[]> phraseUnits, double boost) {
        if (!(boost > 0) || Double.isInfinite(boost)) {
            throw new IllegalArgumentException("hotword boost must be a positive number, got " + boost);
        }
        this.boost = boost;
        this.phrases = phraseUnits.size();
        addNode(0.0);
        for (int[] units : phraseUnits) {
            insert(units);
        }
        fail = linkFailures();
    }

    /**
     * Builds the graph of hotword phrases, tokenised with {@link SymbolTable#encodePhrase}.
     *
     * @throws IllegalArgumentException naming the phrase when a character has no unit
     */
    public static ContextGraph build(List<String> phrases, SymbolTable units, double boost) {
        List<int[]> encoded = new ArrayList<>();
        for (String phrase : phrases) {
            encoded.add(units.encodePhrase(phrase));
        }
        return new ContextGraph(encoded, boost);
    }

    /** Builds the graph from phrases already given as unit ids (none may be empty or blank). */
    public static ContextGraph ofUnits(List<int[]> phrases, double boost) {
        for (int i = 0; i < phrases.size(); i++) {
            int[] units = phrases.get(i);
            if (units.length == 0) {
                throw new IllegalArgumentException("hotword phrase " + i + " has no units");
            }
            for (int unit : units) {
                if (unit <= 0) {
                    throw new IllegalArgumentException(
                            "hotword phrase " + i + " contains unit id " + unit + " (blank or invalid)");
                }
            }
        }
        return new ContextGraph(phrases, boost);
    }

    /** Number of phrases the graph was built from. */
    public int phraseCount() {
        return phrases;
    }

    /** Bonus per matched unit. */
    public double boost() {
        return boost;
    }

    /** Consumes one unit from {@code state}. */
    public Step step(int state, int unit) {
        double score = 0;
        int node = state;
        while (true) {
            Integer child = children.get(node).get(unit);
            if (child != null) {
                score += boost;
                // a completed phrase that nothing continues: bank it and start over
                return new Step(children.get(child).isEmpty() ? ROOT : child, score);
            }
            if (node == ROOT) {
                return new Step(ROOT, score);
            }
            if (phraseEnd.get(node)) {
                node = ROOT;
            } else {
                score += bonus.get(fail[node]) - bonus.get(node);
                node = fail[node];
            }
        }
    }

    /**
     * The score change when the hypothesis ends in {@code state}: an unfinished match gives back the
     * bonus beyond the longest completed phrase it ends with.
     */
    public double finish(int state) {
        double score = 0;
        int node = state;
        while (node != ROOT && !phraseEnd.get(node)) {
            score += bonus.get(fail[node]) - bonus.get(node);
            node = fail[node];
        }
        return score;
    }

    private int addNode(double nodeBonus) {
        children.add(new HashMap<>());
        bonus.add(nodeBonus);
        phraseEnd.add(false);
        return children.size() - 1;
    }

    private void insert(int[] units) {
        int node = ROOT;
        for (int unit : units) {
            Integer child = children.get(node).get(unit);
            if (child == null) {
                child = addNode(bonus.get(node) + boost);
                children.get(node).put(unit, child);
            }
            node = child;
        }
        phraseEnd.set(node, true);
    }

    /** Breadth-first: each node's failure link is its longest proper suffix that is a trie node. */
    private int[] linkFailures() {
        int[] links = new int[children.size()];
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        for (int child : children.get(ROOT).values()) {
            links[child] = ROOT;
            queue.add(child);
        }
        while (!queue.isEmpty()) {
            int node = queue.poll();
            for (Map.Entry<Integer, Integer> edge : children.get(node).entrySet()) {
                int unit = edge.getKey();
                int child = edge.getValue();
                int candidate = links[node];
                while (candidate != ROOT && !children.get(candidate).containsKey(unit)) {
                    candidate = links[candidate];
                }
                Integer target = children.get(candidate).get(unit);
                links[child] = target != null && target != child ? target : ROOT;
                queue.add(child);
            }
        }
        return links;
    }
}
