package io.homenvr.operator.validation;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Secret;
import io.homenvr.api.v1alpha1.CameraMonitor;
import io.homenvr.api.v1alpha1.spec.AiFixSpec;
import io.homenvr.api.v1alpha1.spec.AlertsSpec;
import io.homenvr.api.v1alpha1.spec.CameraMonitorSpec;
import io.homenvr.api.v1alpha1.spec.CameraSpec;
import io.homenvr.api.v1alpha1.spec.CredentialsRef;
import io.homenvr.api.v1alpha1.spec.DetectSpec;
import io.homenvr.api.v1alpha1.spec.EscalationSpec;
import io.homenvr.api.v1alpha1.spec.HealthSpec;
import io.homenvr.api.v1alpha1.spec.Names;
import io.homenvr.api.v1alpha1.spec.PipelineSpec;
import io.homenvr.api.v1alpha1.spec.RecoverySpec;
import io.homenvr.api.v1alpha1.spec.RepositorySpec;
import io.homenvr.api.v1alpha1.spec.SecretKeyRef;
import io.homenvr.api.v1alpha1.spec.StorageSpec;
import io.homenvr.api.v1alpha1.spec.TelegramSpec;
import io.homenvr.api.v1alpha1.spec.VisionSpec;
import io.homenvr.operator.dependent.CameraMonitorResources;
import io.homenvr.operator.dependent.PipelineResources;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Checks a CameraMonitor before anything is created for it: everything its CRD schema and CEL rules
 * say (an API server enforces them, but the operator must not trust that it ran), and what no
 * schema can say: that referenced Secrets and keys exist, regular expressions compile, requests fit
 * in limits, and the object's name leaves room for its children's names.
 */
public final class SpecValidator {
  private static final Pattern DNS_LABEL = Pattern.compile(Names.DNS_LABEL);
  private static final Pattern DNS_1035_LABEL = Pattern.compile("^[a-z]([-a-z0-9]*[a-z0-9])?$");
  private static final Pattern DNS_SUBDOMAIN = Pattern.compile(Names.DNS_SUBDOMAIN);
  private static final Pattern SECRET_KEY = Pattern.compile(Names.SECRET_KEY);
  private static final Pattern QUANTITY = Pattern.compile(Names.QUANTITY);
  private static final Pattern RTSP_URL = Pattern.compile("^rtsps?://[^\\s/?#]+(/\\S*)?$");
  private static final Pattern RTSP_WITH_CREDENTIALS = Pattern.compile("^rtsps?://[^/?#]*@.*");
  private static final Pattern HTTP_URL = Pattern.compile("^https?://[^\\s/?#@]+(/\\S*)?$");
  private static final Pattern GIT_URL = Pattern.compile("^(https?://|ssh://|git@)\\S+$");
  private static final Pattern GIT_URL_WITH_CREDENTIALS = Pattern.compile("^https?://[^/?#]*@.*");
  private static final Pattern GIT_REF = Pattern.compile("^[A-Za-z0-9._/-]+$");
  private static final Pattern CHAT_ID = Pattern.compile("^(-?[0-9]+|@[A-Za-z][A-Za-z0-9_]{3,})$");
  private static final Pattern IMAGE = Pattern.compile("^\\S+$");
  private static final Set<String> PULL_POLICIES = Set.of("Always", "IfNotPresent", "Never");
  private static final int MAX_CAMERAS = 32;

  private SpecValidator() {}

  /** Every problem found, in field order; empty when the CameraMonitor can be run. */
  public static List<SpecError> validate(CameraMonitor monitor, SecretLookup secrets) {
    Checks checks = new Checks(monitor.getMetadata().getNamespace(), secrets);
    checkName(monitor.getMetadata().getName(), checks);
    CameraMonitorSpec spec = monitor.getSpec();
    if (spec == null) {
      checks.invalid("spec", "is missing; a CameraMonitor needs at least spec.cameras");
      return checks.errors;
    }
    checkCameras(spec.getCameras(), checks);
    if (spec.getVision() != null) {
      checkVision(spec.getVision(), checks);
    }
    if (checks.present("spec.alerts", spec.getAlerts())) {
      checkAlerts(spec.getAlerts(), checks);
    }
    if (checks.present("spec.health", spec.getHealth())) {
      checkHealth(spec.getHealth(), checks);
    }
    if (checks.present("spec.recovery", spec.getRecovery())) {
      checkRecovery(spec.getRecovery(), checks);
    }
    if (spec.getHealth() != null
        && spec.getRecovery() != null
        && spec.getHealth().getCheckIntervalSeconds() != null
        && spec.getRecovery().getRecoveryGraceSeconds() != null
        && spec.getRecovery().getRecoveryGraceSeconds()
            <= spec.getHealth().getCheckIntervalSeconds()) {
      checks.invalid(
          "spec.recovery.recoveryGraceSeconds",
          "must be greater than spec.health.checkIntervalSeconds ("
              + spec.getHealth().getCheckIntervalSeconds()
              + "): a restarted pipeline needs at least one check to prove itself");
    }
    if (checks.present("spec.escalation", spec.getEscalation())) {
      checkEscalation(spec.getEscalation(), checks);
    }
    if (checks.present("spec.pipeline", spec.getPipeline())) {
      checkPipeline(spec.getPipeline(), checks);
    }
    return checks.errors;
  }

  private static void checkName(String name, Checks checks) {
    if (name.length() > CameraMonitorResources.MAX_NAME_LENGTH
        || !DNS_1035_LABEL.matcher(name).matches()) {
      checks.invalid(
          "metadata.name",
          "must be a DNS label of at most "
              + CameraMonitorResources.MAX_NAME_LENGTH
              + " characters that starts with a letter, because the pipeline's Service is named"
              + " <name>-pipeline; recreate the CameraMonitor with a shorter name");
    }
  }

  private static void checkCameras(List<CameraSpec> cameras, Checks checks) {
    if (cameras == null || cameras.isEmpty()) {
      checks.invalid("spec.cameras", "must list at least one camera (name and url)");
      return;
    }
    if (cameras.size() > MAX_CAMERAS) {
      checks.invalid(
          "spec.cameras",
          "has " + cameras.size() + " cameras; at most " + MAX_CAMERAS + " fit in one pipeline");
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < cameras.size(); i++) {
      String at = "spec.cameras[" + i + "]";
      CameraSpec camera = cameras.get(i);
      if (camera == null) {
        checks.invalid(at, "is empty; give it a name and a url");
        continue;
      }
      String name = camera.getName();
      if (checks.text(at + ".name", name, 1, 40)) {
        if (!DNS_LABEL.matcher(name).matches()) {
          checks.invalid(
              at + ".name",
              "'" + name + "' is not a DNS label: use lower-case letters, digits and '-'");
        } else if (!seen.add(name)) {
          checks.invalid(
              at + ".name", "'" + name + "' is used by another camera; give each its own name");
        }
      }
      checkCameraUrl(at, camera.getUrl(), checks);
      if (camera.getCredentialsSecretRef() != null) {
        checkCredentials(at + ".credentialsSecretRef", camera.getCredentialsSecretRef(), checks);
      }
      if (checks.present(at + ".detect", camera.getDetect())) {
        DetectSpec detect = camera.getDetect();
        checks.range(at + ".detect.fps", detect.getFps(), 1, 30);
        checks.range(at + ".detect.width", detect.getWidth(), 160, 1920);
        checks.range(at + ".detect.minAreaPercent", detect.getMinAreaPercent(), 0.01, 100);
      }
    }
  }

  private static void checkCameraUrl(String at, String url, Checks checks) {
    String field = at + ".url";
    if (!checks.text(field, url, 8, 2048)) {
      return;
    }
    if (RTSP_WITH_CREDENTIALS.matcher(url).matches()) {
      checks.invalid(
          field,
          "must not contain credentials; store them in a Secret (keys username, password) and set "
              + at
              + ".credentialsSecretRef");
    } else if (!RTSP_URL.matcher(url).matches()) {
      checks.invalid(
          field,
          "'"
              + redactUserInfo(url)
              + "' is not an rtsp:// or rtsps:// URL, e.g. rtsp://192.168.0.50:554/stream1");
    }
  }

  private static void checkCredentials(String field, CredentialsRef ref, Checks checks) {
    if (!checks.secretName(field + ".name", ref.getName())) {
      return;
    }
    boolean keysValid =
        checks.secretKey(field + ".usernameKey", ref.getUsernameKey())
            & checks.secretKey(field + ".passwordKey", ref.getPasswordKey());
    if (keysValid) {
      checks.secretHasKeys(
          field, ref.getName(), List.of(ref.getUsernameKey(), ref.getPasswordKey()));
    }
  }

  private static void checkVision(VisionSpec vision, Checks checks) {
    checks.httpUrl("spec.vision.endpoint", vision.getEndpoint(), true);
    checks.present("spec.vision.api", vision.getApi());
    checks.text("spec.vision.model", vision.getModel(), 1, 256);
    checks.range("spec.vision.timeoutSeconds", vision.getTimeoutSeconds(), 1, 3600);
    checks.range("spec.vision.maxConcurrent", vision.getMaxConcurrent(), 1, 16);
    checks.range("spec.vision.queueSize", vision.getQueueSize(), 1, 256);
    if (vision.getApiKeySecretRef() != null) {
      checks.secretKeyRef("spec.vision.apiKeySecretRef", vision.getApiKeySecretRef());
    }
  }

  private static void checkAlerts(AlertsSpec alerts, Checks checks) {
    checks.range("spec.alerts.cooldownSeconds", alerts.getCooldownSeconds(), 0, 86400);
    if (alerts.getTelegram() != null) {
      checkTelegram("spec.alerts.telegram", alerts.getTelegram(), checks);
    }
  }

  private static void checkTelegram(String at, TelegramSpec telegram, Checks checks) {
    if (checks.present(at + ".botTokenSecretRef", telegram.getBotTokenSecretRef())) {
      checks.secretKeyRef(at + ".botTokenSecretRef", telegram.getBotTokenSecretRef());
    }
    if (checks.text(at + ".chatId", telegram.getChatId(), 1, 64)
        && !CHAT_ID.matcher(telegram.getChatId()).matches()) {
      checks.invalid(
          at + ".chatId",
          "'"
              + telegram.getChatId()
              + "' is neither a numeric chat id (groups are negative) nor @channelusername;"
              + " ask @userinfobot for yours");
    }
    checks.httpUrl(at + ".apiBaseUrl", telegram.getApiBaseUrl(), true);
  }

  private static void checkHealth(HealthSpec health, Checks checks) {
    checks.range("spec.health.checkIntervalSeconds", health.getCheckIntervalSeconds(), 1, 3600);
    checks.range("spec.health.frameStaleSeconds", health.getFrameStaleSeconds(), 1, 86400);
    checks.range("spec.health.logStaleSeconds", health.getLogStaleSeconds(), 1, 604800);
    checks.range("spec.health.cpuSpinMillicores", health.getCpuSpinMillicores(), 1, 1000000);
    checks.range("spec.health.minFreeDiskPercent", health.getMinFreeDiskPercent(), 0, 99);
    List<String> patterns = health.getTransientErrorPatterns();
    if (patterns == null) {
      return;
    }
    if (patterns.size() > 64) {
      checks.invalid("spec.health.transientErrorPatterns", "has more than 64 patterns");
    }
    for (int i = 0; i < patterns.size(); i++) {
      String field = "spec.health.transientErrorPatterns[" + i + "]";
      String pattern = patterns.get(i);
      if (pattern == null || pattern.isEmpty()) {
        checks.invalid(field, "is empty; remove it or write a regular expression");
        continue;
      }
      try {
        Pattern.compile(pattern);
      } catch (PatternSyntaxException e) {
        checks.invalid(
            field,
            "'"
                + pattern
                + "' is not a valid regular expression ("
                + e.getDescription()
                + "); escape special characters such as ( [ { with a backslash");
      }
    }
  }

  private static void checkRecovery(RecoverySpec recovery, Checks checks) {
    checks.range("spec.recovery.maxRestarts", recovery.getMaxRestarts(), 0, 20);
    checks.range("spec.recovery.recoveryGraceSeconds", recovery.getRecoveryGraceSeconds(), 1, 3600);
    checks.range("spec.recovery.backoffSeconds", recovery.getBackoffSeconds(), 0, 3600);
  }

  private static void checkEscalation(EscalationSpec escalation, Checks checks) {
    if (escalation.getAiFix() != null) {
      checkAiFix(escalation.getAiFix(), checks);
    }
    if (escalation.getTelegram() != null) {
      checkTelegram("spec.escalation.telegram", escalation.getTelegram(), checks);
    }
    if (escalation.getDeadMansSwitchUrl() != null) {
      checks.httpUrl("spec.escalation.deadMansSwitchUrl", escalation.getDeadMansSwitchUrl(), false);
    }
  }

  private static void checkAiFix(AiFixSpec aiFix, Checks checks) {
    String at = "spec.escalation.aiFix";
    checks.range(at + ".timeoutSeconds", aiFix.getTimeoutSeconds(), 60, 21600);
    checks.range(at + ".cooldownHours", aiFix.getCooldownHours(), 0, 8760);
    checks.range(at + ".verifySeconds", aiFix.getVerifySeconds(), 30, 86400);
    if (aiFix.getImage() != null && !IMAGE.matcher(aiFix.getImage()).matches()) {
      checks.invalid(at + ".image", "must be an image reference without spaces");
    }
    if (!Boolean.TRUE.equals(aiFix.getEnabled())) {
      return;
    }
    RepositorySpec repository = aiFix.getRepository();
    if (repository == null) {
      checks.invalid(
          at + ".repository",
          "is required when aiFix.enabled is true: set repository.url to the pipeline's git"
              + " repository");
    } else {
      checkRepository(at + ".repository", repository, checks);
    }
    if (aiFix.getApiKeySecretRef() == null) {
      checks.invalid(
          at + ".apiKeySecretRef",
          "is required when aiFix.enabled is true: point it at a Secret key holding the agent's"
              + " API key");
    } else {
      checks.secretKeyRef(at + ".apiKeySecretRef", aiFix.getApiKeySecretRef());
    }
  }

  private static void checkRepository(String at, RepositorySpec repository, Checks checks) {
    String url = repository.getUrl();
    if (checks.text(at + ".url", url, 1, 2048)) {
      if (GIT_URL_WITH_CREDENTIALS.matcher(url).matches()) {
        checks.invalid(
            at + ".url",
            "must not contain credentials; put a token in a Secret and set "
                + at
                + ".credentialsSecretRef");
      } else if (!GIT_URL.matcher(url).matches()) {
        checks.invalid(
            at + ".url",
            "'" + redactUserInfo(url) + "' is not an https://, ssh:// or git@host:repo clone URL");
      }
    }
    if (checks.text(at + ".ref", repository.getRef(), 1, 255)
        && !GIT_REF.matcher(repository.getRef()).matches()) {
      checks.invalid(at + ".ref", "'" + repository.getRef() + "' is not a branch name");
    }
    if (repository.getCredentialsSecretRef() != null) {
      checks.secretKeyRef(at + ".credentialsSecretRef", repository.getCredentialsSecretRef());
    }
  }

  private static void checkPipeline(PipelineSpec pipeline, Checks checks) {
    String image = pipeline.getImage();
    if (image != null
        && (image.length() > 512 || (!image.isEmpty() && !IMAGE.matcher(image).matches()))) {
      checks.invalid(
          "spec.pipeline.image", "must be an image reference without spaces, at most 512 chars");
    }
    if (!PULL_POLICIES.contains(String.valueOf(pipeline.getImagePullPolicy()))) {
      checks.invalid(
          "spec.pipeline.imagePullPolicy",
          "'" + pipeline.getImagePullPolicy() + "' is not one of Always, IfNotPresent, Never");
    }
    checkResources(pipeline.getResources(), checks);
    if (pipeline.getNodeSelector() != null) {
      pipeline
          .getNodeSelector()
          .forEach(
              (key, value) -> {
                if (key == null || key.isEmpty() || value == null || value.length() > 63) {
                  checks.invalid(
                      "spec.pipeline.nodeSelector",
                      "'" + key + "=" + value + "' is not a node label (values at most 63 chars)");
                }
              });
    }
    StorageSpec storage = pipeline.getStorage();
    if (storage != null) {
      String size = storage.getSize();
      if (checks.present("spec.pipeline.storage.size", size)) {
        if (!QUANTITY.matcher(size).matches()
            || Quantity.getAmountInBytes(new Quantity(size)).signum() <= 0) {
          checks.invalid(
              "spec.pipeline.storage.size", "'" + size + "' is not a positive size such as 20Gi");
        }
      }
      String storageClass = storage.getStorageClassName();
      if (storageClass != null
          && !storageClass.isEmpty()
          && (storageClass.length() > 253 || !DNS_SUBDOMAIN.matcher(storageClass).matches())) {
        checks.invalid(
            "spec.pipeline.storage.storageClassName",
            "'" + storageClass + "' is not a StorageClass name (kubectl get storageclass)");
      }
      checks.range("spec.pipeline.storage.retentionDays", storage.getRetentionDays(), 1, 3650);
      checks.range("spec.pipeline.storage.minFreePercent", storage.getMinFreePercent(), 1, 90);
    }
  }

  private static void checkResources(ResourceRequirements resources, Checks checks) {
    if (resources == null) {
      return;
    }
    boolean parsed =
        checks.quantities("spec.pipeline.resources.requests", resources.getRequests())
            & checks.quantities("spec.pipeline.resources.limits", resources.getLimits());
    if (!parsed) {
      return;
    }
    ResourceRequirements effective = PipelineResources.effective(resources);
    for (String resource : List.of("cpu", "memory")) {
      BigDecimal request = Quantity.getAmountInBytes(effective.getRequests().get(resource));
      BigDecimal limit = Quantity.getAmountInBytes(effective.getLimits().get(resource));
      if (request.compareTo(limit) > 0) {
        checks.invalid(
            "spec.pipeline.resources.requests." + resource,
            "("
                + effective.getRequests().get(resource)
                + ") is above its limit ("
                + effective.getLimits().get(resource)
                + "); raise spec.pipeline.resources.limits."
                + resource
                + " or lower the request");
      }
    }
  }

  /** The error list being built, and the small checks every field uses. */
  private static final class Checks {
    private final List<SpecError> errors = new ArrayList<>();
    private final String namespace;
    private final SecretLookup secrets;

    Checks(String namespace, SecretLookup secrets) {
      this.namespace = namespace;
      this.secrets = secrets;
    }

    void invalid(String field, String problem) {
      errors.add(SpecError.invalid(field, problem));
    }

    boolean present(String field, Object value) {
      if (value == null) {
        invalid(field, "must be set");
        return false;
      }
      return true;
    }

    boolean text(String field, String value, int min, int max) {
      if (value == null || value.isEmpty()) {
        if (min > 0) {
          invalid(field, "must be set");
        }
        return false;
      }
      if (value.length() < min || value.length() > max) {
        invalid(field, "must be " + min + " to " + max + " characters long");
        return false;
      }
      return true;
    }

    void range(String field, Number value, double min, double max) {
      if (value == null) {
        invalid(field, "must be set");
      } else if (value.doubleValue() < min || value.doubleValue() > max) {
        invalid(field, "is " + value + "; it must be between " + fmt(min) + " and " + fmt(max));
      }
    }

    void httpUrl(String field, String url, boolean required) {
      if (!text(field, url, required ? 1 : 0, 2048)) {
        return;
      }
      if (!HTTP_URL.matcher(url).matches()) {
        invalid(
            field,
            "'"
                + redactUserInfo(url)
                + "' is not an http:// or https:// URL without credentials, e.g."
                + " http://dgx.lan:11434");
      }
    }

    boolean quantities(String field, Map<String, Quantity> values) {
      if (values == null) {
        return true;
      }
      boolean ok = true;
      for (var entry : values.entrySet()) {
        Quantity quantity = entry.getValue();
        String text = quantity == null ? null : quantity.toString();
        if (text == null || !QUANTITY.matcher(text).matches()) {
          invalid(
              field + "." + entry.getKey(), "'" + text + "' is not a quantity such as 500m or 1Gi");
          ok = false;
        }
      }
      return ok;
    }

    boolean secretName(String field, String name) {
      if (name == null || name.isEmpty()) {
        invalid(field, "must name a Secret in namespace " + namespace);
        return false;
      }
      if (name.length() > 253 || !DNS_SUBDOMAIN.matcher(name).matches()) {
        invalid(field, "'" + name + "' is not a valid Secret name");
        return false;
      }
      return true;
    }

    boolean secretKey(String field, String key) {
      if (key == null || !SECRET_KEY.matcher(key).matches()) {
        invalid(field, "'" + key + "' is not a valid Secret key (letters, digits, '-', '_', '.')");
        return false;
      }
      return true;
    }

    void secretKeyRef(String field, SecretKeyRef ref) {
      if (secretName(field + ".name", ref.getName()) & secretKey(field + ".key", ref.getKey())) {
        secretHasKeys(field, ref.getName(), List.of(ref.getKey()));
      }
    }

    void secretHasKeys(String field, String name, List<String> keys) {
      Secret secret = secrets.find(namespace, name).orElse(null);
      if (secret == null) {
        errors.add(
            SpecError.secret(
                field,
                "Secret "
                    + name
                    + " does not exist in namespace "
                    + namespace
                    + "; create it (kubectl -n "
                    + namespace
                    + " create secret generic "
                    + name
                    + " "
                    + String.join(
                        " ", keys.stream().map(k -> "--from-literal=" + k + "=...").toList())
                    + ")"));
        return;
      }
      for (String key : keys) {
        boolean inData = secret.getData() != null && secret.getData().containsKey(key);
        boolean inStringData =
            secret.getStringData() != null && secret.getStringData().containsKey(key);
        if (!inData && !inStringData) {
          errors.add(
              SpecError.secret(
                  field,
                  "Secret "
                      + name
                      + " has no key '"
                      + key
                      + "'; add it to the Secret or point "
                      + field
                      + " at the key that holds it"));
        }
      }
    }

    private static String fmt(double value) {
      return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
    }
  }

  /** A bad URL is echoed back without the part that might be a password. */
  private static String redactUserInfo(String url) {
    return url.replaceFirst("^([A-Za-z][A-Za-z0-9+.-]*://)[^/?#@]*@", "$1***@");
  }
}
