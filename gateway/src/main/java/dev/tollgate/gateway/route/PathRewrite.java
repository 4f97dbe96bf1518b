package dev.tollgate.gateway.route;

/**
 * How the matched path is changed before the request goes upstream (or into a redirect's {@code
 * Location}): a Route's {@code rewrite.replacePrefix}, an HTTPRoute's URLRewrite or RequestRedirect
 * path ({@code ReplacePrefixMatch}, {@code ReplaceFullPath}).
 */
public sealed interface PathRewrite {
  PathRewrite NONE = new None();

  String apply(PathMatch match, String path);

  /** The path as matched. */
  record None() implements PathRewrite {
    @Override
    public String apply(PathMatch match, String path) {
      return path;
    }
  }

  /** Replaces the matched prefix ({@link PathMatch.Prefix#rewrite}); only with a prefix match. */
  record ReplacePrefix(String replacement) implements PathRewrite {
    @Override
    public String apply(PathMatch match, String path) {
      return match instanceof PathMatch.Prefix prefix ? prefix.replace(path, replacement) : path;
    }
  }

  /** Replaces the whole path. */
  record ReplaceFull(String path) implements PathRewrite {
    @Override
    public String apply(PathMatch match, String ignored) {
      return path;
    }
  }
}
