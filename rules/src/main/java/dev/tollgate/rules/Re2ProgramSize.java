package dev.tollgate.rules;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * How large a program RE2 compiles a regular expression into, and the most the rules allow. RE2
 * matches in time linear in the input, but it expands every counted repetition: {@code a{1000}} is
 * a thousand instructions, and the counts of nested repetitions multiply, so {@code
 * (a{1000}){1000}} (15 characters) became a program of a million instructions (about 90 MB) and
 * {@code ((a{1000}){1000}){1000}} exhausted a 384 MB heap while compiling, in every gateway and in
 * the operator alike. Hence the bound, and a first look at the text that refuses such a pattern
 * without compiling it. Written here because RE2J, unlike C++ RE2 (its {@code max_mem}), has no
 * bound of its own on the program it builds, and its parser is not public.
 */
final class Re2ProgramSize {
  /**
   * Most instructions a regex may compile into: about 1 MB of program. Real paths and header values
   * need a few hundred at most ({@code /api/v[0-9]+/[a-z0-9-]{1,64}} is 138).
   */
  static final int MAX_INSTRUCTIONS = 10_000;

  /**
   * Above this estimate a pattern is refused without compiling it. The estimate stays within a few
   * instructions per group of the compiled size, so the margin only spares the compiler a pattern
   * that is surely too large; compiling one just below it costs a few MB once.
   */
  static final long MAX_ESTIMATE = 10L * MAX_INSTRUCTIONS;

  /** Larger than any bound; keeps the arithmetic of a pattern like (((a{1000}){1000})...) exact. */
  private static final long CAP = 1L << 40;

  private Re2ProgramSize() {}

  /** The sum over alternatives of one group level, and the size of its last atom. */
  private static final class Level {
    long alternatives;
    long sequence;
    long lastAtom;

    void atom(long size) {
      sequence = Math.min(CAP, sequence + size);
      lastAtom = size;
    }

    long total() {
      return Math.min(CAP, alternatives + sequence);
    }
  }

  /**
   * The size of {@code regex}'s program, estimated from its text: one instruction per literal,
   * class or escape, two per group, one per repetition operator, and a counted repetition repeats
   * its atom up to its larger count. A pattern that does not parse gets some estimate; compiling it
   * then names the syntax error.
   */
  static long estimate(String regex) {
    Deque<Level> open = new ArrayDeque<>();
    Level level = new Level();
    int i = 0;
    while (i < regex.length()) {
      char c = regex.charAt(i);
      switch (c) {
        case '\\' -> {
          if (regex.startsWith("Q", i + 1)) {
            int end = regex.indexOf("\\E", i + 2);
            int stop = end < 0 ? regex.length() : end;
            level.atom(Math.max(1, stop - (i + 2)));
            i = end < 0 ? stop : end + 2;
            continue;
          }
          i = escapeEnd(regex, i);
          level.atom(1);
          continue;
        }
        case '[' -> {
          i = classEnd(regex, i);
          level.atom(1);
          continue;
        }
        case '(' -> {
          open.push(level);
          level = new Level();
        }
        case ')' -> {
          if (open.isEmpty()) {
            level.atom(1);
          } else {
            long group = Math.min(CAP, level.total() + 2);
            level = open.pop();
            level.atom(group);
          }
        }
        case '|' -> {
          level.alternatives = level.total();
          level.sequence = 0;
          level.lastAtom = 0;
        }
        case '*', '+', '?' -> level.sequence = Math.min(CAP, level.sequence + 1);
        case '{' -> {
          int end = regex.indexOf('}', i);
          long count = end < 0 ? -1 : largestCount(regex.substring(i + 1, end));
          if (count >= 0) {
            long repeated = Math.min(CAP, level.lastAtom * Math.max(count, 1));
            level.sequence = Math.min(CAP, level.sequence - level.lastAtom + repeated + 1);
            level.lastAtom = repeated;
            i = end + 1;
            continue;
          }
          level.atom(1);
        }
        default -> level.atom(1);
      }
      i++;
    }
    long total = level.total();
    while (!open.isEmpty()) {
      Level outer = open.pop();
      outer.atom(total);
      total = outer.total();
    }
    return total;
  }

  /**
   * The larger count of a repetition's {@code n}, {@code n,} or {@code n,m} (for {@code n,}: one
   * more than {@code n}, its star comes after n copies); -1 when the braces hold anything else, as
   * RE2 then reads the brace as a literal.
   */
  private static long largestCount(String counts) {
    if (!counts.matches("[0-9]{1,9}(,[0-9]{0,9})?")) {
      return -1;
    }
    int comma = counts.indexOf(',');
    if (comma < 0) {
      return Long.parseLong(counts);
    }
    long min = Long.parseLong(counts.substring(0, comma));
    return comma == counts.length() - 1
        ? min + 1
        : Math.max(min, Long.parseLong(counts.substring(comma + 1)));
  }

  /** Past an escape: {@code \p{Greek}} and {@code \x{263a}} take their braces along. */
  private static int escapeEnd(String regex, int backslash) {
    int next = backslash + 2;
    if (next <= regex.length()
        && "pPx".indexOf(regex.charAt(backslash + 1)) >= 0
        && regex.startsWith("{", next)) {
      int close = regex.indexOf('}', next);
      return close < 0 ? regex.length() : close + 1;
    }
    return Math.min(next, regex.length());
  }

  /**
   * Past a character class: a {@code ]} first (or after {@code ^}) is a member, escapes and {@code
   * [:alpha:]} classes inside are skipped whole.
   */
  private static int classEnd(String regex, int open) {
    int i = open + 1;
    if (regex.startsWith("^", i)) {
      i++;
    }
    if (regex.startsWith("]", i)) {
      i++;
    }
    while (i < regex.length()) {
      char c = regex.charAt(i);
      if (c == '\\') {
        i = escapeEnd(regex, i);
      } else if (regex.startsWith("[:", i) && regex.indexOf(":]", i + 2) > 0) {
        i = regex.indexOf(":]", i + 2) + 2;
      } else if (c == ']') {
        return i + 1;
      } else {
        i++;
      }
    }
    return i;
  }
}
