package dev.tollgate.e2e.helm;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code helm install} or {@code helm upgrade} command as a Markdown file's code block gives it,
 * continuation lines joined, with the {@code --set} and {@code -f} options it passes. Shell
 * variables are replaced by sample values, so the command renders as a reader's would.
 */
record DocumentedHelmCommand(String source, String release, List<String> files, List<String> sets) {
  private static final Pattern COMMAND = Pattern.compile("^helm (install|upgrade) (\\S+) ");
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{?([A-Z_]+)}?");

  /** What the docs' shell variables stand for: a registry prefix and image tags. */
  private static final Map<String, String> SAMPLES =
      Map.of(
          "REGISTRY", "registry.example.com/platform/",
          "VERSION", "1.2.3",
          "NEW_VERSION", "1.2.4");

  /** Every helm install and upgrade command in a file of the repository. */
  static List<DocumentedHelmCommand> in(String relative) throws IOException {
    List<DocumentedHelmCommand> commands = new ArrayList<>();
    String joined = Files.readString(RepositoryPaths.root().resolve(relative)).replace("\\\n", " ");
    for (String line : joined.lines().map(String::strip).toList()) {
      Matcher command = COMMAND.matcher(line);
      if (command.find()) {
        commands.add(parse(relative + ": " + line, command.group(2), expand(line)));
      }
    }
    return commands;
  }

  private static DocumentedHelmCommand parse(String source, String release, String line) {
    List<String> files = new ArrayList<>();
    List<String> sets = new ArrayList<>();
    String[] words = line.split("\\s+");
    for (int i = 0; i < words.length - 1; i++) {
      switch (words[i]) {
        case "--set" -> sets.add(words[++i]);
        case "-f", "--values" -> files.add(words[++i]);
        default -> {}
      }
    }
    return new DocumentedHelmCommand(source, release, List.copyOf(files), List.copyOf(sets));
  }

  private static String expand(String line) {
    return VARIABLE
        .matcher(line)
        .replaceAll(
            variable -> {
              String sample = SAMPLES.get(variable.group(1));
              if (sample == null) {
                throw new IllegalStateException(
                    "no sample value for $" + variable.group(1) + " in " + line);
              }
              return Matcher.quoteReplacement(sample);
            });
  }

  /** The command's render of the chart in this repository. */
  TollgateChart.Render render() {
    TollgateChart.Render render = TollgateChart.render(release);
    for (String file : files) {
      render = render.withValuesFile(RepositoryPaths.root().resolve(file));
    }
    for (String set : sets) {
      int equals = set.indexOf('=');
      render = render.set(set.substring(0, equals), set.substring(equals + 1));
    }
    return render;
  }

  @Override
  public String toString() {
    return source;
  }
}
