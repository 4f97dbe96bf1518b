package dev.tollgate.analytics;

import dev.tollgate.analytics.report.Report;
import dev.tollgate.analytics.report.ReportJson;
import dev.tollgate.analytics.report.ReportWindow;
import dev.tollgate.analytics.report.TableReport;
import dev.tollgate.analytics.settings.AnalyticsSettings;
import dev.tollgate.logging.LogBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Entry point of {@code tollgate-analytics.jar}:
 *
 * <pre>
 * java -jar tollgate-analytics.jar [--flag=value ...]                 run the service
 * java -jar tollgate-analytics.jar report [--window 24h] [--route ns/name] [--json] [--flag=value ...]
 * </pre>
 *
 * The {@code report} form reads the same Redis (settings from the same variables) and prints the
 * report as tables, or as the JSON the admin port serves.
 */
public final class AnalyticsMain {
  private AnalyticsMain() {}

  public static void main(String[] args) {
    List<String> rest = new ArrayList<>(List.of(args));
    boolean report = !rest.isEmpty() && rest.getFirst().equals("report");
    try {
      if (report) {
        rest.removeFirst();
        System.exit(report(rest));
      }
      AnalyticsSettings settings = AnalyticsSettings.from(System.getenv(), rest);
      LogBackend.apply(settings.log());
      AnalyticsService service = AnalyticsService.start(settings);
      Runtime.getRuntime()
          .addShutdownHook(Thread.ofPlatform().name("tollgate-shutdown").unstarted(service::close));
    } catch (IllegalArgumentException e) {
      System.err.println("tollgate-analytics: " + e.getMessage());
      System.exit(2);
    }
  }

  private static int report(List<String> args) {
    String window = ReportWindow.DEFAULT;
    Optional<String> route = Optional.empty();
    boolean json = false;
    List<String> settings = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
      switch (name) {
        case "--window", "--route" -> {
          String value;
          if (arg.contains("=")) {
            value = arg.substring(name.length() + 1);
          } else if (i + 1 < args.size()) {
            value = args.get(++i);
          } else {
            throw new IllegalArgumentException(name + " needs a value");
          }
          if (name.equals("--window")) {
            window = value;
          } else {
            route = Optional.of(value);
          }
        }
        case "--json" -> json = true;
        default -> settings.add(arg);
      }
    }
    AnalyticsSettings parsed = AnalyticsSettings.from(System.getenv(), settings);
    // stdout carries the report: the log goes to stderr
    LogBackend.applyOnStderr(parsed.log());
    Report report =
        AnalyticsService.report(
            parsed, new ReportWindow.Parser(parsed.retention()).of(window, route));
    if (json) {
      System.out.println(ReportJson.pretty(report));
    } else {
      System.out.print(TableReport.render(report));
    }
    return 0;
  }
}
