package io.homenvr.api.v1alpha1.spec;

/** Patterns shared by the schema annotations and the operator's own checks. */
public final class Names {
  /** RFC 1123 label: what a camera name must be, since it ends up in object names and metrics. */
  public static final String DNS_LABEL = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";

  /** RFC 1123 subdomain: the names of Secrets and other objects. */
  public static final String DNS_SUBDOMAIN =
      "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

  /** What Kubernetes allows as a Secret data key. */
  public static final String SECRET_KEY = "^[-._a-zA-Z0-9]+$";

  /** A Kubernetes resource quantity such as 20Gi or 500m. */
  public static final String QUANTITY =
      "^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$";

  private Names() {}
}
