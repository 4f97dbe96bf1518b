package dev.tollgate.gateway.ratelimit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict parser for the RFC 9651 List subset the rate-limit fields use: members whose bare item
 * is an sf-string and whose parameters are sf-integers. Anything else throws, so a test fails on
 * any syntax slip (missing quotes, spaces before ';', a decimal, a trailing comma).
 */
final class StructuredFieldList {
  record Member(String value, Map<String, Long> params) {}

  private final String input;
  private int pos;

  private StructuredFieldList(String input) {
    this.input = input;
  }

  static List<Member> parse(String field) {
    StructuredFieldList parser = new StructuredFieldList(field);
    List<Member> members = new ArrayList<>();
    parser.skipSpaces();
    while (parser.pos < field.length()) {
      members.add(parser.member());
      parser.skipOws();
      if (parser.pos == field.length()) {
        break;
      }
      parser.expect(',');
      parser.skipOws();
      if (parser.pos == field.length()) {
        throw new IllegalArgumentException("trailing comma in " + field);
      }
    }
    return members;
  }

  private Member member() {
    String value = string();
    Map<String, Long> params = new LinkedHashMap<>();
    while (pos < input.length() && input.charAt(pos) == ';') {
      pos++;
      String key = key();
      expect('=');
      params.put(key, integer());
    }
    return new Member(value, params);
  }

  private String string() {
    expect('"');
    StringBuilder out = new StringBuilder();
    while (true) {
      char c = next();
      if (c == '\\') {
        char escaped = next();
        if (escaped != '"' && escaped != '\\') {
          throw new IllegalArgumentException("bad escape at " + pos + " in " + input);
        }
        out.append(escaped);
      } else if (c == '"') {
        return out.toString();
      } else if (c < 0x20 || c > 0x7E) {
        throw new IllegalArgumentException("non-printable character in sf-string: " + input);
      } else {
        out.append(c);
      }
    }
  }

  private String key() {
    int start = pos;
    while (pos < input.length()
        && (Character.isLowerCase(input.charAt(pos))
            || Character.isDigit(input.charAt(pos))
            || "_-.*".indexOf(input.charAt(pos)) >= 0)) {
      pos++;
    }
    if (pos == start || !Character.isLowerCase(input.charAt(start))) {
      throw new IllegalArgumentException("bad key at " + start + " in " + input);
    }
    return input.substring(start, pos);
  }

  private long integer() {
    int start = pos;
    if (pos < input.length() && input.charAt(pos) == '-') {
      pos++;
    }
    while (pos < input.length() && Character.isDigit(input.charAt(pos))) {
      pos++;
    }
    String digits = input.substring(start, pos);
    if (digits.isEmpty() || digits.equals("-") || digits.length() > 15) {
      throw new IllegalArgumentException("bad sf-integer at " + start + " in " + input);
    }
    if (pos < input.length() && input.charAt(pos) == '.') {
      throw new IllegalArgumentException("decimal where an integer belongs in " + input);
    }
    return Long.parseLong(digits);
  }

  private void expect(char c) {
    if (next() != c) {
      throw new IllegalArgumentException("expected '" + c + "' at " + (pos - 1) + " in " + input);
    }
  }

  private char next() {
    if (pos >= input.length()) {
      throw new IllegalArgumentException("unexpected end of " + input);
    }
    return input.charAt(pos++);
  }

  private void skipSpaces() {
    while (pos < input.length() && input.charAt(pos) == ' ') {
      pos++;
    }
  }

  private void skipOws() {
    while (pos < input.length() && (input.charAt(pos) == ' ' || input.charAt(pos) == '\t')) {
      pos++;
    }
  }
}
