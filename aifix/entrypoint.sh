#!/usr/bin/env bash
# homenvr AI-fix Job: clone the pipeline's repository, let the agent (the Claude Code CLI) diagnose
# and work on the incident's prompt within turn, budget and time caps, push what it changed to a
# branch, and always leave a JSON termination message (≤ 4000 bytes; see aifix-report.cjs):
#   {"outcome":"fixed|no-fix|error","summary":"…","commit":"…","branch":"…","image":"…",
#    "diff":{"files":1,"insertions":3,"deletions":1,"paths":["…"]},
#    "agent":{"isError":false,"subtype":"success","turns":12,"costUsd":0.41,"deniedToolCalls":0},
#    "diagnosis":{"cause":"…","evidence":["…"],"confidence":"high"},"proposal":{…}}
# The agent runs with an environment of its API key and PATH/HOME basics only: git credentials stay
# with this script, which clones before and pushes after the agent. Secrets are never echoed.
set -euo pipefail

REPO_URL="${AIFIX_REPO_URL:?AIFIX_REPO_URL must name the repository to clone}"
BASE_REF="${AIFIX_REPO_REF:-main}"
PUSH_MODE="${AIFIX_PUSH_MODE:-branch}"
INCIDENT="${AIFIX_INCIDENT:-manual}"
BRANCH="${AIFIX_BRANCH:-homenvr/fix-${INCIDENT}}"
BUDGET="${AIFIX_TIMEOUT_SECONDS:-600}"
PROMPT_FILE="${AIFIX_PROMPT_FILE:-/etc/homenvr/prompt/prompt.md}"
WORKSPACE="${AIFIX_WORKSPACE:-/workspace}"
TERMINATION_LOG="${AIFIX_TERMINATION_LOG:-/dev/termination-log}"
AGENT="${AIFIX_AGENT:-claude}"
IMAGE_TEMPLATE="${AIFIX_IMAGE_TEMPLATE:-}"
MODEL="${AIFIX_MODEL:-sonnet}"
MAX_TURNS="${AIFIX_MAX_TURNS:-40}"
MAX_BUDGET_USD="${AIFIX_MAX_BUDGET_USD:-2}"
TEST_COMMAND="${AIFIX_TEST_COMMAND:-mvn -B -q test}"
# one tool rule per line, e.g. Read, Edit, Bash(gradle test)
ALLOWED_TOOLS="${AIFIX_ALLOWED_TOOLS:-$(printf '%s\n' Read Edit Write Glob Grep)}"
PREFLIGHT="${AIFIX_API_PREFLIGHT:-on}"
KNOWN_HOSTS="${AIFIX_SSH_KNOWN_HOSTS_FILE:-}"
# names of further variables the agent may see (the sandbox's stand-in agent reads one); never git's
AGENT_ENV_PASS="${AIFIX_AGENT_ENV_PASS:-}"
HELPER="${AIFIX_HELPER:-$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/aifix-report.cjs}"

# the token is kept in an unexported variable and handed to git commands only
git_token="${GIT_TOKEN:-}"
unset GIT_TOKEN

outcome="error"
summary="the AI-fix entrypoint stopped before it finished"
commit=""
pushed_branch=""
image=""
agent_report=""
diff_file=""
written=0

redact() {
  AIFIX_GIT_TOKEN="$git_token" node "$HELPER" redact
}

write_termination_message() {
  [ "$written" = 1 ] && return 0
  written=1
  AIFIX_GIT_TOKEN="$git_token" OUTCOME="$outcome" SUMMARY="$summary" COMMIT="$commit" \
    BRANCH_OUT="$pushed_branch" IMAGE="$image" AGENT_REPORT="$agent_report" DIFF_FILE="$diff_file" \
    node "$HELPER" message >"$TERMINATION_LOG"
  echo "homenvr-aifix: outcome ${outcome}"
}

fail() {
  outcome="error"
  summary="$1"
  echo "homenvr-aifix: $1" | redact >&2
  exit 1
}

trap write_termination_message EXIT

git_() {
  # the helper reads the token when git asks; it never reaches argv, URLs, logs or the agent. Hooks
  # and the repository's own credential helpers are off: the agent could have written either.
  GIT_TOKEN="$git_token" git -c credential.helper= \
    -c 'credential.helper=!f() { test "$1" = get && test -n "${GIT_TOKEN:-}" && echo username=x-access-token && echo "password=${GIT_TOKEN}"; }; f' \
    -c core.hooksPath=/dev/null -c user.name=homenvr-aifix -c user.email=aifix@homenvr.invalid "$@"
}

case "$REPO_URL" in
  http://* | https://* | file://* | /*) ;;
  *)
    # ssh: host keys come pinned from the spec (knownHostsRef), never accepted on first use
    [ -s "$KNOWN_HOSTS" ] || fail "the repository ${REPO_URL} is reached over ssh but no host keys are pinned: set spec.escalation.aiFix.repository.knownHostsRef to known_hosts lines of the git host"
    ssh_command="ssh -F /dev/null -o BatchMode=yes -o StrictHostKeyChecking=yes -o UserKnownHostsFile=${KNOWN_HOSTS} -o GlobalKnownHostsFile=/dev/null"
    if [ -n "${GIT_SSH_KEY_FILE:-}" ]; then
      ssh_command="${ssh_command} -o IdentitiesOnly=yes -i ${GIT_SSH_KEY_FILE}"
    fi
    export GIT_SSH_COMMAND="$ssh_command"
    ;;
esac
export GIT_TERMINAL_PROMPT=0

[ -r "$PROMPT_FILE" ] || fail "no prompt at ${PROMPT_FILE}"
if [ "$PREFLIGHT" = "on" ]; then
  # the CLI retries an unreachable API or a rejected key for minutes: find out in seconds
  unreachable="$(node "$HELPER" preflight)" || fail "the agent was not started: ${unreachable}"
fi
mkdir -p "$WORKSPACE" "${HOME:-$WORKSPACE/home}"
repo="${WORKSPACE}/repo"
rm -rf "$repo"
git_ clone --quiet --branch "$BASE_REF" "$REPO_URL" "$repo" 2>"${WORKSPACE}/clone.err" \
  || fail "cloning the repository at ref ${BASE_REF} failed: $(redact <"${WORKSPACE}/clone.err" | grep -v '^$' | tail -n 4)"
cd "$repo"
base_commit="$(git rev-parse HEAD)"
git_config_before="$(sha256sum .git/config)"
if [ "$PUSH_MODE" = "direct" ]; then
  target="$BASE_REF"
else
  target="$BRANCH"
  git checkout --quiet -b "$BRANCH"
fi

# the agent's tools: the file tools and rules allowed by the spec plus the test command; nothing else
allowed=()
tools=()
while IFS= read -r rule; do
  [ -n "$rule" ] || continue
  allowed+=("$rule")
  tools+=("${rule%%(*}")
done <<<"$ALLOWED_TOOLS"
allowed+=("Bash(${TEST_COMMAND})" "Bash(${TEST_COMMAND} *)")
tools+=(Bash)
tool_list="$(printf '%s\n' "${tools[@]}" | sort -u | paste -sd, -)"
agent_args=(
  -p --output-format json
  --model "$MODEL" --max-turns "$MAX_TURNS" --max-budget-usd "$MAX_BUDGET_USD"
  --tools "$tool_list"
  --allowedTools "${allowed[@]}"
  --disallowedTools WebFetch WebSearch
  --permission-mode dontAsk
  # only the (empty) user settings of the agent's fresh HOME: the repository's .claude/ settings,
  # hooks, CLAUDE.md, MCP servers and commands never load
  --setting-sources user --strict-mcp-config --disable-slash-commands
  --no-session-persistence
)

agent_home="${WORKSPACE}/agent-home"
rm -rf "$agent_home"
mkdir -p "$agent_home"
agent_env=(
  "PATH=${PATH}" "HOME=${agent_home}" "LANG=C.UTF-8" "TMPDIR=${TMPDIR:-/tmp}"
  "ANTHROPIC_API_KEY=${ANTHROPIC_API_KEY:-}"
  DISABLE_AUTOUPDATER=1 CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1 DISABLE_TELEMETRY=1
)
for name in ANTHROPIC_BASE_URL JAVA_HOME MAVEN_OPTS $AGENT_ENV_PASS; do
  case "$name" in GIT_* | *TOKEN* | *SSH* | *PASSWORD* | *SECRET*) continue ;; esac
  if [ -n "${!name:-}" ]; then agent_env+=("${name}=${!name}"); fi
done

agent_out="${WORKSPACE}/agent.json"
agent_err="${WORKSPACE}/agent.err"
set +e
# the prompt goes on stdin (it can be ~100 KiB, too close to the kernel's per-argument limit)
timeout --kill-after=10 "$BUDGET" env -i "${agent_env[@]}" "$AGENT" "${agent_args[@]}" \
  <"$PROMPT_FILE" >"$agent_out" 2>"$agent_err"
agent_status=$?
set -e
agent_report="${WORKSPACE}/agent-report.json"
AIFIX_GIT_TOKEN="$git_token" node "$HELPER" agent "$agent_out" "$agent_err" "$agent_status" \
  >"$agent_report" || agent_report=""
report_field() {
  [ -n "$agent_report" ] && node -e 'const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); process.stdout.write(String(r[process.argv[2]] ?? ""))' "$agent_report" "$1"
}
if [ "$agent_status" = 124 ] || [ "$agent_status" = 137 ]; then
  fail "the agent exceeded its time budget of ${BUDGET} s"
fi
summary="$(report_field summary || true)"
if [ "$(report_field ok || true)" != "true" ]; then
  fail "${summary:-the agent failed (exit ${agent_status})}"
fi

if [ "$(sha256sum .git/config)" != "$git_config_before" ]; then
  fail "the agent's run changed .git/config (remotes, helpers or filters); nothing was pushed"
fi
git add --all
if git diff --cached --quiet && [ "$(git rev-parse HEAD)" = "$base_commit" ]; then
  outcome="no-fix"
  [ -n "$summary" ] || summary="the agent changed nothing"
  exit 0
fi
if ! git diff --cached --quiet; then
  git_ commit --quiet --no-verify -m "homenvr: fix for incident ${INCIDENT}" \
    -m "$(printf '%s' "$summary" | redact | head -c 4000)"
fi
git_ push --quiet "$REPO_URL" "HEAD:refs/heads/${target}" 2>"${WORKSPACE}/push.err" \
  || fail "pushing to ${target} failed: $(redact <"${WORKSPACE}/push.err" | tail -n 3)"
commit="$(git rev-parse HEAD)"
pushed_branch="$target"
diff_file="${WORKSPACE}/diff.json"
git diff --numstat "$base_commit" "$commit" >"${WORKSPACE}/numstat"
node "$HELPER" diff "${WORKSPACE}/numstat" >"$diff_file" || diff_file=""
if [ -n "$IMAGE_TEMPLATE" ]; then
  image="${IMAGE_TEMPLATE//\{commit\}/$commit}"
fi
outcome="fixed"
