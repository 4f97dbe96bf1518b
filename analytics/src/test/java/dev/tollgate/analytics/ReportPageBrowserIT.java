package dev.tollgate.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.analytics.report.Report;
import dev.tollgate.analytics.settings.AnalyticsSettings;
import dev.tollgate.api.access.AccessRecord;
import dev.tollgate.testkit.TempDirs;
import dev.tollgate.testkit.redis.RedisServerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * The report page in a real browser: Debian's headless Chromium driven by Selenium loads {@code
 * /analytics/} from a running service, shows no console error, and shows the numbers the JSON
 * report has. The screenshot is kept in {@code target/report-page.png}.
 */
class ReportPageBrowserIT {
  @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  @Test
  void reportPageRendersTheFiguresWithoutConsoleErrors() throws Exception {
    assertThat(CHROMIUM).as("chromium (tools/provision.sh installs it)").isExecutable();
    assertThat(CHROMEDRIVER).as("chromium-driver (tools/provision.sh)").isExecutable();
    long now = System.currentTimeMillis();
    List<AccessRecord> records =
        TrafficGenerator.records(3, 4000, now - Duration.ofHours(20).toMillis(), now);
    AccessTally tally = new AccessTally();
    records.forEach(tally::add);
    Path profile = TempDirs.create("tollgate-chromium-profile");
    try (AccessStreamWriter writer = new AccessStreamWriter(REDIS.uri(), "shop-edge");
        AnalyticsService service =
            AnalyticsService.start(
                AnalyticsSettings.from(
                    Map.of(
                        "TOLLGATE_REDIS_URL", REDIS.uri(),
                        "TOLLGATE_GATEWAY_NAME", "shop-edge",
                        "TOLLGATE_BIND_ADDRESS", "127.0.0.1",
                        "TOLLGATE_ADMIN_PORT", "0"),
                    List.of()))) {
      writer.append(records);
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  ReportClient.fetch(service.adminPort(), "window=24h").totals().requests()
                      == records.size());
      Report report = ReportClient.fetch(service.adminPort(), "window=24h");

      ChromeDriver browser = browser(profile);
      try {
        browser.get("http://127.0.0.1:" + service.adminPort() + "/analytics/?window=24h");

        assertThat(browser.getTitle()).isEqualTo("Tollgate traffic report: shop-edge");
        assertThat(text(browser, "total-requests")).isEqualTo(Long.toString(tally.requests()));
        assertThat(text(browser, "total-limited"))
            .isEqualTo(Long.toString(report.totals().limited()));
        assertThat(text(browser, "peak-hour"))
            .isEqualTo(String.format("%02d:00", tally.peakHour()));
        List<WebElement> clientRows =
            browser.findElements(By.cssSelector("#limited-clients tr td:first-child"));
        assertThat(clientRows.subList(0, 5))
            .extracting(WebElement::getText)
            .containsExactlyElementsOf(
                tally.topLimitedClients(5).stream().map(Report.Count::name).toList());
        assertThat(browser.findElements(By.cssSelector("#hours rect"))).isNotEmpty();
        assertThat(browser.findElements(By.cssSelector("#timeline rect"))).isNotEmpty();
        List<LogEntry> errors =
            browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.WARNING.intValue())
                .toList();
        assertThat(errors).as("browser console").isEmpty();

        Path shot = browser.getScreenshotAs(OutputType.FILE).toPath();
        Path kept = Path.of("target", "report-page.png");
        Files.createDirectories(kept.getParent());
        Files.copy(shot, kept, StandardCopyOption.REPLACE_EXISTING);
        assertThat(Files.size(kept)).isPositive();
      } finally {
        browser.quit();
      }
    } finally {
      TempDirs.deleteRecursively(profile);
    }
  }

  private static String text(ChromeDriver browser, String id) {
    return browser.findElement(By.id(id)).getText();
  }

  /** Headless Chromium with nothing that phones home, on a fresh profile. */
  private static ChromeDriver browser(Path profile) {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1280,2200",
        "--user-data-dir=" + profile);
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .build();
    return new ChromeDriver(service, options);
  }
}
