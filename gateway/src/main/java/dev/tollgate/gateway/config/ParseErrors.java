package dev.tollgate.gateway.config;

import com.fasterxml.jackson.core.JsonProcessingException;

/** What a problem message shows of a parser's exception: its first line, without location noise. */
final class ParseErrors {
  private ParseErrors() {}

  static String firstLine(Exception e) {
    String message =
        e instanceof JsonProcessingException json ? json.getOriginalMessage() : e.getMessage();
    if (message == null) {
      return e.getClass().getSimpleName();
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
