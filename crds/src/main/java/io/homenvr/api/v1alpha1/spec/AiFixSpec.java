package io.homenvr.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;

/**
 * Tier 2: let an AI agent diagnose the pipeline and fix its code or, within bounds, its
 * configuration.
 */
@ValidationRule(
    value = "!self.enabled || (has(self.repository) && has(self.apiKeySecretRef))",
    message =
        "aiFix.enabled needs aiFix.repository (the pipeline's git repository) and"
            + " aiFix.apiKeySecretRef (the agent's API key)")
public class AiFixSpec {
  /** Where the agent's commit goes. */
  public enum PushMode {
    @JsonProperty("branch")
    BRANCH,
    @JsonProperty("direct")
    DIRECT
  }

  /** The agent's file tools; the test command is allowed besides. */
  public static final List<String> DEFAULT_ALLOWED_TOOLS =
      List.of("Read", "Edit", "Write", "Glob", "Grep");

  @Default("false")
  @JsonPropertyDescription("Run the AI fix tier at all. Off by default.")
  private Boolean enabled = false;

  @JsonPropertyDescription("The pipeline's source repository the agent works on.")
  private RepositorySpec repository;

  @JsonPropertyDescription("Secret key with the agent's API key (ANTHROPIC_API_KEY).")
  private SecretKeyRef apiKeySecretRef;

  @Size(max = 512)
  @Pattern(Names.IMAGE)
  @JsonPropertyDescription(
      "Image of the AI-fix Job; defaults to the operator's homenvr-aifix image.")
  private String image;

  @Pattern("^[^\\s]*\\{commit\\}[^\\s]*$")
  @Size(max = 512)
  @JsonPropertyDescription(
      "How your CI names the pipeline image it builds from a commit, with {commit} for the"
          + " commit's full SHA, e.g. registry.lan/homenvr-pipeline:{commit}. When set, a fix the"
          + " agent commits is rolled out as that image; when not, the fix waits for a human to"
          + " build and deploy it (the pipeline is only restarted).")
  private String imageTemplate;

  @Default("900")
  @Min(60)
  @Max(21600)
  @JsonPropertyDescription("Hard limit, in seconds, for the whole Job (activeDeadlineSeconds).")
  private Integer timeoutSeconds = 900;

  @Default("branch")
  @JsonPropertyDescription(
      "branch: push to homenvr/fix-<incident> for review (default); direct: push to the base"
          + " branch.")
  private PushMode push = PushMode.BRANCH;

  @Default("24")
  @Min(0)
  @Max(8760)
  @JsonPropertyDescription("At most one AI fix per this many hours.")
  private Integer cooldownHours = 24;

  @Default("300")
  @Min(30)
  @Max(86400)
  @JsonPropertyDescription(
      "Seconds a rolled-out fix must stay healthy before it counts as having held.")
  private Integer verifySeconds = 300;

  @Default("sonnet")
  @Size(min = 1, max = 100)
  @Pattern("^[A-Za-z0-9][A-Za-z0-9._:\\[\\]-]*$")
  @JsonPropertyDescription(
      "Model the agent uses (claude --model): an alias such as sonnet or opus, or a full model"
          + " name.")
  private String model = "sonnet";

  @Default("40")
  @Min(1)
  @Max(500)
  @JsonPropertyDescription("Most agentic turns the agent may take (claude --max-turns).")
  private Integer maxTurns = 40;

  @Default("2.0")
  @Min(0.01)
  @Max(100)
  @JsonPropertyDescription(
      "Most US dollars of API calls one AI-fix Job may spend (claude --max-budget-usd).")
  private Double maxBudgetUsd = 2.0;

  @Default("mvn -B -q test")
  @Size(min = 1, max = 200)
  @Pattern("^[A-Za-z0-9_./][A-Za-z0-9 _./=:@+,-]*$")
  @JsonPropertyDescription(
      "The repository's build/test command, the only shell command the agent may run (with"
          + " extra arguments, e.g. -Dtest=…). Letters, digits, spaces and ._/=:@+,- only: no"
          + " shell operators.")
  private String testCommand = "mvn -B -q test";

  @Size(max = 32)
  @JsonPropertyDescription(
      "Tools the agent may use besides the test command (claude --allowedTools); default Read,"
          + " Edit, Write, Glob, Grep. A rule such as Bash(gradle test) adds another command."
          + " Everything else is denied.")
  private List<@Pattern("^[A-Za-z][A-Za-z0-9_]*(\\([^()\\n]{1,200}\\))?$") String> allowedTools =
      new ArrayList<>(DEFAULT_ALLOWED_TOOLS);

  @Default("{}")
  @JsonPropertyDescription(
      "Configuration changes the agent may propose and the operator may apply as a revertible"
          + " override.")
  private ConfigFixesSpec configFixes = new ConfigFixesSpec();

  public String getImageTemplate() {
    return imageTemplate;
  }

  public void setImageTemplate(String imageTemplate) {
    this.imageTemplate = imageTemplate;
  }

  public Boolean getEnabled() {
    return enabled;
  }

  public void setEnabled(Boolean enabled) {
    this.enabled = enabled;
  }

  public RepositorySpec getRepository() {
    return repository;
  }

  public void setRepository(RepositorySpec repository) {
    this.repository = repository;
  }

  public SecretKeyRef getApiKeySecretRef() {
    return apiKeySecretRef;
  }

  public void setApiKeySecretRef(SecretKeyRef apiKeySecretRef) {
    this.apiKeySecretRef = apiKeySecretRef;
  }

  public String getImage() {
    return image;
  }

  public void setImage(String image) {
    this.image = image;
  }

  public Integer getTimeoutSeconds() {
    return timeoutSeconds;
  }

  public void setTimeoutSeconds(Integer timeoutSeconds) {
    this.timeoutSeconds = timeoutSeconds;
  }

  public PushMode getPush() {
    return push;
  }

  public void setPush(PushMode push) {
    this.push = push;
  }

  public Integer getCooldownHours() {
    return cooldownHours;
  }

  public void setCooldownHours(Integer cooldownHours) {
    this.cooldownHours = cooldownHours;
  }

  public Integer getVerifySeconds() {
    return verifySeconds;
  }

  public void setVerifySeconds(Integer verifySeconds) {
    this.verifySeconds = verifySeconds;
  }

  public String getModel() {
    return model;
  }

  public void setModel(String model) {
    this.model = model;
  }

  public Integer getMaxTurns() {
    return maxTurns;
  }

  public void setMaxTurns(Integer maxTurns) {
    this.maxTurns = maxTurns;
  }

  public Double getMaxBudgetUsd() {
    return maxBudgetUsd;
  }

  public void setMaxBudgetUsd(Double maxBudgetUsd) {
    this.maxBudgetUsd = maxBudgetUsd;
  }

  public String getTestCommand() {
    return testCommand;
  }

  public void setTestCommand(String testCommand) {
    this.testCommand = testCommand;
  }

  public List<String> getAllowedTools() {
    return allowedTools;
  }

  public void setAllowedTools(List<String> allowedTools) {
    this.allowedTools = allowedTools;
  }

  public ConfigFixesSpec getConfigFixes() {
    return configFixes;
  }

  public void setConfigFixes(ConfigFixesSpec configFixes) {
    this.configFixes = configFixes;
  }
}
