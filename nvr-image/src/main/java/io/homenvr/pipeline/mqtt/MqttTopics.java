package io.homenvr.pipeline.mqtt;

import java.util.Locale;

/**
 * Every topic the pipeline publishes, under one prefix, laid out as Frigate users know it: {@code
 * <prefix>/available}, {@code <prefix>/events}, {@code <prefix>/<camera>/<what>}.
 */
public record MqttTopics(String prefix) {

  public String availability() {
    return prefix + "/available";
  }

  public String events() {
    return prefix + "/events";
  }

  /** {@code streaming}, {@code connecting} or {@code down}. */
  public String state(String camera) {
    return prefix + "/" + camera + "/state";
  }

  public String fps(String camera) {
    return prefix + "/" + camera + "/fps";
  }

  /** {@code ON} while segments are being written. */
  public String recording(String camera) {
    return prefix + "/" + camera + "/recordings/state";
  }

  /** {@code ON} from a motion event until the camera has been quiet for a while. */
  public String motion(String camera) {
    return prefix + "/" + camera + "/motion";
  }

  /** How many of this object the last detection saw; 0 once motion is over. */
  public String object(String camera, String label) {
    return prefix + "/" + camera + "/" + label(label);
  }

  /** The last detection's picture, JPEG bytes. */
  public String snapshot(String camera) {
    return prefix + "/" + camera + "/snapshot";
  }

  /** An object label as a topic level: lower case, nothing but letters, digits and '_'. */
  static String label(String label) {
    String cleaned = label.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
    return cleaned.replaceAll("^_+|_+$", "");
  }
}
