package io.homenvr.api.v1alpha1.spec;

/** Patterns and CEL rules shared by the schema annotations of several fields. */
public final class Names {
  /** RFC 1123 label: what a camera name must be, since it ends up in object names and metrics. */
  public static final String DNS_LABEL = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";

  /** RFC 1123 subdomain: the names of Secrets and other objects. */
  public static final String DNS_SUBDOMAIN =
      "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

  /** What Kubernetes allows as a Secret data key. */
  public static final String SECRET_KEY = "^[-._a-zA-Z0-9]+$";

  /** An image reference: no whitespace (the registry judges the rest when the pod pulls it). */
  public static final String IMAGE = "^\\S+$";

  /**
   * A label key: an optional DNS-subdomain prefix and '/', then a name of at most 63 characters
   * (the prefix's 253-character limit is {@link #NODE_SELECTOR_KEYS}' second half).
   */
  public static final String LABEL_KEY =
      "^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?"
          + "[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$";

  /**
   * A label value: empty, or at most 63 letters, digits, '-', '_', '.' starting and ending alike.
   */
  public static final String LABEL_VALUE = "^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$";

  /** CEL, on a map of labels: every key is a label key. */
  public static final String NODE_SELECTOR_KEYS =
      "self.all(k, k.matches(r'" + LABEL_KEY + "') && (!k.contains('/') || k.indexOf('/') <= 253))";

  /**
   * CEL, on a URL string: Kubernetes' URL parser accepts it, and a port, when given, is 1-65535
   * (the parser itself only checks that a port is digits).
   */
  public static final String URL_WITH_VALID_PORT =
      "isURL(self) && (url(self).getPort() == '' || (url(self).getPort().size() <= 5"
          + " && int(url(self).getPort()) >= 1 && int(url(self).getPort()) <= 65535))";

  /** The message of {@link #URL_WITH_VALID_PORT}. */
  public static final String URL_WITH_VALID_PORT_MESSAGE =
      "must be a URL whose port, when given, is between 1 and 65535";

  private Names() {}
}
