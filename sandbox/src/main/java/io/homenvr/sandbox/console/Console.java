package io.homenvr.sandbox.console;

import io.homenvr.sandbox.fakes.FakeTelegram;
import io.homenvr.sandbox.system.SandboxSystem;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Faults on demand from the keyboard, and the live view whenever it changes. */
public final class Console {
  public static final String HELP =
      """
      faults:   wedge | spin | deadlock <camera> | wedge-recorder <camera> | silence-logs |
                errors serious|transient
                | freeze <camera> | thaw <camera> | kill-camera <camera>
                | revive-camera <camera> | ollama-down | ollama-up | telegram ok|429|500|down
                | kill-operator | start-operator | restart-operator | fill-disk | free-disk
      ai agent: agent fixed|no-fix  (what the stub agent of the next AI-fix Job does)
      other:    status | page (the pipeline's page: playback) | help | quit
      """;

  private final SandboxSystem system;
  private final PrintStream out;
  private String lastView = "";

  public Console(SandboxSystem system, PrintStream out) {
    this.system = system;
    this.out = out;
  }

  /** Prints the view on change and runs commands until quit or end of input. */
  public void run() throws IOException {
    ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor();
    refresher.scheduleWithFixedDelay(this::refresh, 0, 2, TimeUnit.SECONDS);
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
      out.println(HELP);
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        String command = line.trim();
        if (command.equals("quit") || command.equals("exit")) {
          break;
        }
        if (!command.isEmpty()) {
          out.println("> " + execute(command));
        }
      }
    } finally {
      refresher.shutdownNow();
    }
  }

  private void refresh() {
    try {
      String view = LiveView.render(system);
      if (!Objects.equals(view, lastView)) {
        lastView = view;
        out.println("----\n" + view);
      }
    } catch (RuntimeException e) {
      out.println("(view: " + e.getMessage() + ")");
    }
  }

  String execute(String command) {
    String[] words = command.split("\\s+");
    try {
      if (words[0].endsWith("-operator") && system.operatorFromChart()) {
        return "the operator is the chart's pod here: kubectl -n "
            + SandboxSystem.HELM_NAMESPACE
            + " delete pod -l app.kubernetes.io/name=homenvr";
      }
      return switch (words[0]) {
        case "wedge" -> system.wedgePipeline();
        case "spin" -> system.spinPipeline();
        case "page" -> system.pipelinePage();
        case "deadlock" -> system.deadlockCamera(arg(words));
        case "wedge-recorder" -> system.wedgeRecorder(arg(words));
        case "silence-logs" -> system.silenceLogs();
        case "errors" -> system.errorStorm("serious".equals(arg(words)), 20, 200);
        case "freeze" -> {
          system.camera(arg(words)).freeze();
          yield "camera " + words[1] + " frozen (connected, no new video)";
        }
        case "thaw" -> {
          system.camera(arg(words)).thaw();
          yield "camera " + words[1] + " streaming again";
        }
        case "kill-camera" -> {
          system.camera(arg(words)).kill();
          yield "camera " + words[1] + " is down (connections refused)";
        }
        case "revive-camera" -> {
          system.camera(arg(words)).revive();
          yield "camera " + words[1] + " is back";
        }
        case "ollama-down" -> {
          system.ollama().down();
          yield "Ollama is down";
        }
        case "ollama-up" -> {
          system.ollama().up();
          yield "Ollama is up";
        }
        case "telegram" -> {
          FakeTelegram.Mode mode =
              switch (arg(words)) {
                case "ok" -> FakeTelegram.Mode.OK;
                case "429" -> FakeTelegram.Mode.RATE_LIMITED;
                case "500" -> FakeTelegram.Mode.SERVER_ERROR;
                case "down" -> FakeTelegram.Mode.DOWN;
                default -> throw new IllegalArgumentException("telegram ok|429|500|down");
              };
          system.telegram().mode(mode);
          yield "Telegram now answers " + mode;
        }
        case "kill-operator" -> {
          system.operator().kill();
          yield "operator killed (SIGKILL)";
        }
        case "start-operator" -> {
          system.operator().start();
          yield "operator started";
        }
        case "restart-operator" -> {
          system.operator().kill();
          system.operator().start();
          yield "operator killed and started again";
        }
        case "fill-disk" -> system.fillDataVolume();
        case "free-disk" -> system.freeDataVolume();
        case "agent" -> {
          system.setStubAgentOutcome(arg(words));
          yield "the next AI-fix Job's stub agent will report " + words[1];
        }
        case "status" -> LiveView.render(system);
        case "help" -> HELP;
        default -> "unknown command '" + words[0] + "'\n" + HELP;
      };
    } catch (Exception e) {
      return "failed: " + e.getMessage();
    }
  }

  private static String arg(String[] words) {
    if (words.length < 2) {
      throw new IllegalArgumentException(words[0] + " needs an argument (see help)");
    }
    return words[1];
  }
}
