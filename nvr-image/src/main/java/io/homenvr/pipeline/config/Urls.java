package io.homenvr.pipeline.config;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Pattern;

/** Camera URLs: credentials are added only for FFmpeg and redacted everywhere else. */
public final class Urls {
  private static final Pattern USER_INFO = Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]*://)[^/@]*@");

  private Urls() {}

  /** The URL as it may appear in logs and status: any user-info replaced by {@code ***}. */
  public static String redact(String url) {
    return USER_INFO.matcher(url).replaceFirst("$1***@");
  }

  /** The URL FFmpeg opens: user-info from the secrets, percent-encoded. */
  public static String withCredentials(
      String url, Optional<String> username, Optional<String> password) {
    if (username.isEmpty() && password.isEmpty()) {
      return url;
    }
    int scheme = url.indexOf("://");
    String userInfo =
        encode(username.orElse("")) + password.map(p -> ":" + encode(p)).orElse("") + "@";
    String rest = USER_INFO.matcher(url).replaceFirst("$1").substring(scheme + 3);
    return url.substring(0, scheme + 3) + userInfo + rest;
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
