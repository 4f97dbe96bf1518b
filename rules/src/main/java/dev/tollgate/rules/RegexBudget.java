package dev.tollgate.rules;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The RE2 regular expressions of one resource (a Route's {@code pathRegex}, an HTTPRoute's path,
 * header and query parameter expressions), judged together: each must compile as RE2, the dialect
 * the gateway matches every regex with (linear time in the input's length, where java.util.regex
 * backtracks and a pattern such as {@code (a+)+$} took minutes on a 40-character path, for every
 * request of every route), and together their programs may hold at most {@link #MAX_SIZE}
 * instructions.
 *
 * <p>RE2 compiles a counted repetition by writing out its copies, so size grows with the product of
 * nested counts: {@code /((a{1000}){1000}){1000}}, 24 characters, stands for a billion
 * instructions, and compiling it ran out of memory (in the operator, and in every gateway, which
 * judge and compile each resource). The size is therefore estimated from the text first ({@link
 * #size}) and only a resource within the budget is compiled; the budget is per resource because an
 * HTTPRoute holds thousands of expressions, each of which could be large on its own.
 */
final class RegexBudget {
  /** About 6 MB of compiled programs; expressions people write stay in the hundreds. */
  static final long MAX_SIZE = 100_000;

  private long used;

  /** Adds a problem at {@code at} unless {@code regex} compiles within what is left. */
  void check(String regex, Problems at) {
    long size = size(regex, MAX_SIZE - used + 1);
    if (used + size > MAX_SIZE) {
      at.add(
          "",
          "too large: RE2 writes out every repetition, and this resource's regular expressions"
              + " would compile to more than "
              + MAX_SIZE
              + " instructions");
      return;
    }
    try {
      Pattern.compile(regex);
      used += size;
    } catch (PatternSyntaxException e) {
      at.add("", "invalid RE2 regular expression: " + e.getDescription());
    }
  }

  /**
   * An upper bound of the instructions RE2 compiles {@code regex} into, or {@code cap} when that is
   * more: each character, character class and group counts one (an escape or a class a little
   * more), {@code *}, {@code +} and {@code ?} one more, and a counted repetition {@code x{n,m}}
   * counts {@code x} {@code m} times ({@code x{n,}}: {@code n} times, {@code x{0}} once). Counts
   * never decrease, so once the cap is reached the result stays there. What is not valid RE2 is
   * counted somehow; compiling it then says what is wrong.
   */
  static long size(String regex, long cap) {
    Deque<Sizes> enclosing = new ArrayDeque<>();
    Sizes current = new Sizes(cap);
    int i = 0;
    while (i < regex.length()) {
      char c = regex.charAt(i);
      int next = i + 1;
      switch (c) {
        case '\\' -> {
          next = escapeEnd(regex, i);
          current.atom(next - i);
        }
        case '[' -> {
          next = classEnd(regex, i);
          current.atom(1);
        }
        case '(' -> {
          next = groupStart(regex, i);
          if (regex.charAt(next - 1) != ')') {
            enclosing.push(current);
            current = new Sizes(cap);
          }
        }
        case ')' -> {
          if (!enclosing.isEmpty()) {
            long group = current.total + 1;
            current = enclosing.pop();
            current.atom(group);
          }
        }
        case '*', '+', '?' -> current.grow(1);
        case '{' -> {
          int end = countsEnd(regex, i + 1);
          long times = end < 0 ? -1 : repetitions(regex.substring(i + 1, end));
          if (times < 0) {
            current.atom(1);
          } else {
            current.repeat(times);
            next = end + 1;
          }
        }
        default -> current.atom(1);
      }
      i = next;
    }
    while (!enclosing.isEmpty()) {
      long group = current.total + 1;
      current = enclosing.pop();
      current.atom(group);
    }
    return current.total;
  }

  /**
   * The sizes of one group's content so far: all of it, and its last atom (what a count repeats).
   */
  private static final class Sizes {
    private final long cap;
    private long total;
    private long last;

    Sizes(long cap) {
      this.cap = cap;
    }

    void atom(long size) {
      last = Math.min(cap, size);
      total = Math.min(cap, total + last);
    }

    void grow(long size) {
      last = Math.min(cap, last + size);
      total = Math.min(cap, total + size);
    }

    void repeat(long times) {
      long copies = Math.max(1, times);
      total = Math.min(cap, total + last * (copies - 1));
      last = Math.min(cap, last * copies);
    }
  }

  /**
   * The index of the {@code }} closing the digits and commas from {@code from} on, or -1: only
   * those can make a repetition, and scanning no further keeps the estimate linear in the length.
   */
  private static int countsEnd(String regex, int from) {
    int j = from;
    while (j < regex.length() && (Character.isDigit(regex.charAt(j)) || regex.charAt(j) == ',')) {
      j++;
    }
    return j < regex.length() && regex.charAt(j) == '}' ? j : -1;
  }

  /**
   * How many copies the body of {@code {n}}, {@code {n,}} or {@code {n,m}} writes out; -1 when it
   * is no repetition (RE2 reads the brace as a literal). Counts above 1000, which RE2 refuses, are
   * 1001.
   */
  private static long repetitions(String body) {
    int comma = body.indexOf(',');
    String min = comma < 0 ? body : body.substring(0, comma);
    String max = comma < 0 ? min : body.substring(comma + 1);
    if (!isCount(min) || !(max.isEmpty() || isCount(max))) {
      return -1;
    }
    return count(max.isEmpty() ? min : max);
  }

  private static boolean isCount(String digits) {
    return !digits.isEmpty() && digits.chars().allMatch(Character::isDigit);
  }

  private static long count(String digits) {
    return digits.length() > 4 ? 1001 : Math.min(1001, Long.parseLong(digits));
  }

  /**
   * Past the escape at {@code i}: {@code \Q...\E}, {@code \p{...}}, {@code \x{...}} whole, any
   * other as the backslash and one character.
   */
  private static int escapeEnd(String regex, int i) {
    if (i + 1 >= regex.length()) {
      return regex.length();
    }
    char kind = regex.charAt(i + 1);
    if (kind == 'Q') {
      int end = regex.indexOf("\\E", i + 2);
      return end < 0 ? regex.length() : end + 2;
    }
    if ((kind == 'p' || kind == 'P' || kind == 'x') && regex.startsWith("{", i + 2)) {
      int end = regex.indexOf('}', i + 3);
      return end < 0 ? regex.length() : end + 1;
    }
    return i + 2;
  }

  /** Past the character class at {@code i}: a {@code ]} first is a member, as are {@code [:x:]}. */
  private static int classEnd(String regex, int i) {
    int j = i + 1;
    if (regex.startsWith("^", j)) {
      j++;
    }
    if (regex.startsWith("]", j)) {
      j++;
    }
    while (j < regex.length()) {
      char c = regex.charAt(j);
      if (c == '\\') {
        j += 2;
      } else if (regex.startsWith("[:", j) && posixClassEnd(regex, j) > 0) {
        j = posixClassEnd(regex, j);
      } else if (c == ']') {
        return j + 1;
      } else {
        j++;
      }
    }
    return regex.length();
  }

  /** Past {@code [:name:]} at {@code i}, or -1 when there is none. */
  private static int posixClassEnd(String regex, int i) {
    int j = i + 2;
    while (j < regex.length() && Character.isLetter(regex.charAt(j))) {
      j++;
    }
    return regex.startsWith(":]", j) ? j + 2 : -1;
  }

  /**
   * Past the opening of the group at {@code i}: {@code (}, {@code (?:}, {@code (?i:}, {@code
   * (?P<name>}; for flags alone ({@code (?i)}), which open no group, past their {@code )}.
   */
  private static int groupStart(String regex, int i) {
    if (!regex.startsWith("?", i + 1)) {
      return i + 1;
    }
    for (int j = i + 2; j < regex.length(); j++) {
      char c = regex.charAt(j);
      if (c == ':' || c == ')' || c == '>') {
        return j + 1;
      }
    }
    return regex.length();
  }
}
