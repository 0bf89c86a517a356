package io.homenvr.pipeline.config;

/** A config the pipeline cannot run with; the message names the field and the fix. */
public final class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
