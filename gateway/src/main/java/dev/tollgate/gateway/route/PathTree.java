package dev.tollgate.gateway.route;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The routes of one host pattern, indexed by path so that a lookup costs the length of the request
 * path, not the number of routes: a radix tree (a trie whose single-child chains are merged into
 * one edge) holding each exact path, each path prefix and the literal start of each regex (see
 * {@link PathMatch.Regex#literalPrefix()}). A lookup walks the request path once; only the routes
 * stored on that walk are candidates, and the caller's remaining predicates (method, and anything
 * else a route matches on) decide among them.
 *
 * <p>Candidates come in precedence order: the exact path first, then prefixes longest first, then
 * regexes. Within one node, entries keep the order they were added in, which is the table's
 * precedence order, so ties are broken exactly as {@link RouteTable} documents.
 *
 * @param <E> what a route is stored as
 */
final class PathTree<E> {
  /** Decides among the candidates the path selected: the route's remaining predicates. */
  interface Candidates<E> {
    boolean admits(E entry);

    /** Position in the table's precedence order; lower wins. */
    int rank(E entry);
  }

  private final Node<E> root = new Node<>("", 0);
  private boolean hasRegex;

  private static final class Node<E> {
    private String label;
    private final int depth;
    private Node<E> parent;
    private char[] firsts = new char[0];
    private List<Node<E>> children = new ArrayList<>();
    private final List<E> exact = new ArrayList<>();
    private final List<E> prefix = new ArrayList<>();
    private final List<E> regex = new ArrayList<>();

    Node(String label, int depth) {
      this.label = label;
      this.depth = depth;
    }

    int indexOf(char first) {
      return Arrays.binarySearch(firsts, first);
    }

    void addChild(Node<E> child) {
      int at = -indexOf(child.label.charAt(0)) - 1;
      char[] grown = new char[firsts.length + 1];
      System.arraycopy(firsts, 0, grown, 0, at);
      grown[at] = child.label.charAt(0);
      System.arraycopy(firsts, at, grown, at + 1, firsts.length - at);
      firsts = grown;
      children.add(at, child);
      child.parent = this;
    }

    /** The child whose whole edge continues {@code path} at this node's depth, or null. */
    Node<E> childAlong(String path) {
      if (depth >= path.length()) {
        return null;
      }
      int at = indexOf(path.charAt(depth));
      if (at < 0) {
        return null;
      }
      Node<E> child = children.get(at);
      return path.startsWith(child.label, depth) ? child : null;
    }
  }

  void addExact(String path, E entry) {
    node(path).exact.add(entry);
  }

  void addPrefix(String prefix, E entry) {
    node(prefix).prefix.add(entry);
  }

  void addRegex(String literalPrefix, E entry) {
    node(literalPrefix).regex.add(entry);
    hasRegex = true;
  }

  /** The first candidate for {@code path} in precedence order that {@code rest} admits, or null. */
  E find(String path, Candidates<E> rest) {
    Node<E> deepest = root;
    for (Node<E> next = root.childAlong(path); next != null; next = next.childAlong(path)) {
      deepest = next;
    }
    if (deepest.depth == path.length()) {
      E found = first(deepest.exact, rest);
      if (found != null) {
        return found;
      }
    }
    // back up towards the root: the longest prefix first
    for (Node<E> node = deepest; node != null; node = node.parent) {
      E found = first(node.prefix, rest);
      if (found != null) {
        return found;
      }
    }
    return hasRegex ? firstRegex(path, rest) : null;
  }

  /** Regexes on the walk, in precedence order across nodes: the lowest-ranked one admitted. */
  private E firstRegex(String path, Candidates<E> rest) {
    E best = null;
    for (Node<E> node = root; node != null; node = node.childAlong(path)) {
      for (E entry : node.regex) {
        if (best != null && rest.rank(entry) >= rest.rank(best)) {
          break;
        }
        if (rest.admits(entry)) {
          best = entry;
          break;
        }
      }
    }
    return best;
  }

  private static <E> E first(List<E> entries, Candidates<E> rest) {
    for (int i = 0; i < entries.size(); i++) {
      E entry = entries.get(i);
      if (rest.admits(entry)) {
        return entry;
      }
    }
    return null;
  }

  /** The node whose key is exactly {@code key}, splitting an edge or adding a leaf as needed. */
  private Node<E> node(String key) {
    Node<E> node = root;
    int depth = 0;
    while (depth < key.length()) {
      int at = node.indexOf(key.charAt(depth));
      if (at < 0) {
        Node<E> leaf = new Node<>(key.substring(depth), key.length());
        node.addChild(leaf);
        return leaf;
      }
      Node<E> child = node.children.get(at);
      int common = commonLength(child.label, key, depth);
      if (common < child.label.length()) {
        Node<E> middle = new Node<>(child.label.substring(0, common), depth + common);
        child.label = child.label.substring(common);
        middle.addChild(child);
        node.children.set(at, middle);
        middle.parent = node;
        child = middle;
      }
      node = child;
      depth += common;
    }
    return node;
  }

  private static int commonLength(String label, String key, int offset) {
    int max = Math.min(label.length(), key.length() - offset);
    int i = 0;
    while (i < max && label.charAt(i) == key.charAt(offset + i)) {
      i++;
    }
    return i;
  }
}
