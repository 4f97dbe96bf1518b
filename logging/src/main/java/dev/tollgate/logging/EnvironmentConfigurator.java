package dev.tollgate.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * Logback's first configuration, from the process environment ({@value LogSettings#FORMAT}, {@value
 * LogSettings#LEVEL}), so that lines logged before {@code main} has read its flags already have
 * their final format. A wrong value falls back to the defaults here: the component's settings
 * refuse it a moment later with a message naming the variable. With {@code
 * -Dlogback.configurationFile=...} the given file is used instead.
 */
public final class EnvironmentConfigurator extends ContextAwareBase implements Configurator {
  @Override
  public ExecutionStatus configure(LoggerContext context) {
    if (System.getProperty("logback.configurationFile") != null) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    LogSettings settings;
    try {
      settings = LogSettings.from(System::getenv);
    } catch (IllegalArgumentException e) {
      settings = LogSettings.DEFAULT;
    }
    LogBackend.configure(context, settings, "System.out");
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }
}
