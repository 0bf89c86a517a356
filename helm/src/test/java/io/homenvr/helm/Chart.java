package io.homenvr.helm;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;

/** helm/homenvr rendered by the real Helm (helm-java), parsed into fabric8 objects. */
public final class Chart {
  public static final Path DIR = Path.of("homenvr").toAbsolutePath();
  public static final Path REPO = DIR.getParent().getParent();
  public static final String RELEASE = "homenvr";
  public static final String NAMESPACE = "homenvr-system";

  /** A current k3s release; the chart needs Pod Security admission (1.25+). */
  public static final String KUBE_VERSION = "v1.33.5+k3s1";

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private Chart() {}

  /** The rendered manifest text, with {@code --set}-style values. */
  public static String template(Map<String, Object> values) {
    return template(
        command -> {
          values.forEach(command::set);
          return command;
        });
  }

  public static String template(UnaryOperator<TemplateCommand> options) {
    TemplateCommand command =
        new Helm(DIR)
            .template()
            .withName(RELEASE)
            .withNamespace(NAMESPACE)
            .withKubeVersion(KUBE_VERSION);
    return options.apply(command).call();
  }

  /** Every object of the rendered manifest; kinds fabric8 has no class for come back generic. */
  public static List<HasMetadata> render(Map<String, Object> values) {
    return parse(template(values));
  }

  public static List<HasMetadata> parse(String manifest) {
    Object parsed =
        SERIALIZATION.unmarshal(
            new ByteArrayInputStream(manifest.getBytes(StandardCharsets.UTF_8)));
    List<?> items = parsed instanceof List<?> list ? list : List.of(parsed);
    return items.stream().filter(Objects::nonNull).map(HasMetadata.class::cast).toList();
  }

  /**
   * Every object of a YAML file as the API server would take it: generic, so unknown fields stay (a
   * typed model would drop them before the server could refuse them).
   */
  public static List<GenericKubernetesResource> parseGeneric(Path file) throws IOException {
    return parseGeneric(Files.readString(file));
  }

  public static List<GenericKubernetesResource> parseGeneric(String manifest) {
    return Arrays.stream(manifest.split("(?m)^---\\s*$"))
        .filter(document -> document.lines().anyMatch(l -> !l.isBlank() && !l.startsWith("#")))
        .map(document -> SERIALIZATION.unmarshal(document, GenericKubernetesResource.class))
        .filter(Objects::nonNull)
        .toList();
  }

  /** The CameraMonitor CRD as the chart ships it (crds/). */
  public static CustomResourceDefinition crd() {
    try (InputStream in =
        Files.newInputStream(DIR.resolve("crds/cameramonitors.homenvr.io-v1.yml"))) {
      return SERIALIZATION.unmarshal(in, CustomResourceDefinition.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static <T extends HasMetadata> List<T> ofType(List<HasMetadata> objects, Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).toList();
  }
}
