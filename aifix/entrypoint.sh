#!/usr/bin/env bash
# homenvr AI-fix Job: clone the pipeline's repository, let the agent work on the incident's prompt
# within a time budget, push what it changed, and always leave a JSON termination message:
#   {"outcome":"fixed|no-fix|error","summary":"…","commit":"…","branch":"…","image":"…"}
# Secrets come only from the environment (GIT_TOKEN, ANTHROPIC_API_KEY) or a key file and are
# never echoed: git reads the token through a credential helper, not from the URL or argv.
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
# Kubernetes keeps at most 4096 bytes of a termination message
SUMMARY_LIMIT=2000

outcome="error"
summary="the AI-fix entrypoint stopped before it finished"
commit=""
pushed_branch=""
image=""
written=0

redact() {
  # replace every known secret value, then anything shaped like a token
  node -e '
    let text = require("fs").readFileSync(0, "utf8");
    for (const name of ["GIT_TOKEN", "ANTHROPIC_API_KEY"]) {
      const value = (process.env[name] || "").trim();
      if (value.length >= 4) text = text.split(value).join("[REDACTED]");
    }
    text = text.replace(/sk-ant-[A-Za-z0-9_-]{10,}/g, "[REDACTED]")
               .replace(/\bgh[pousr]_[A-Za-z0-9]{20,}/g, "[REDACTED]")
               .replace(/([a-z][a-z0-9+.-]*:\/\/)[^\/\s@]+@/gi, "$1[REDACTED]@");
    process.stdout.write(text);'
}

write_termination_message() {
  [ "$written" = 1 ] && return 0
  written=1
  local safe_summary
  safe_summary="$(printf '%s' "$summary" | redact | head -c "$SUMMARY_LIMIT")"
  OUTCOME="$outcome" SUMMARY="$safe_summary" COMMIT="$commit" BRANCH_OUT="$pushed_branch" \
    IMAGE="$image" node -e '
      const e = process.env, out = {outcome: e.OUTCOME, summary: e.SUMMARY};
      if (e.COMMIT) out.commit = e.COMMIT;
      if (e.BRANCH_OUT) out.branch = e.BRANCH_OUT;
      if (e.IMAGE) out.image = e.IMAGE;
      process.stdout.write(JSON.stringify(out));' >"$TERMINATION_LOG"
  echo "homenvr-aifix: outcome ${outcome}"
}

fail() {
  outcome="error"
  summary="$1"
  echo "homenvr-aifix: $1" >&2
  exit 1
}

trap write_termination_message EXIT

git_() {
  # the helper reads GIT_TOKEN when git asks; the token never reaches argv, URLs or logs
  git -c credential.helper= \
    -c 'credential.helper=!f() { test "$1" = get && test -n "${GIT_TOKEN:-}" && echo username=x-access-token && echo "password=${GIT_TOKEN}"; }; f' \
    -c user.name=homenvr-aifix -c user.email=aifix@homenvr.invalid "$@"
}

if [ -n "${GIT_SSH_KEY_FILE:-}" ]; then
  export GIT_SSH_COMMAND="ssh -i ${GIT_SSH_KEY_FILE} -o IdentitiesOnly=yes -o StrictHostKeyChecking=accept-new -o UserKnownHostsFile=${WORKSPACE}/known_hosts"
fi
export GIT_TERMINAL_PROMPT=0

[ -r "$PROMPT_FILE" ] || fail "no prompt at ${PROMPT_FILE}"
mkdir -p "$WORKSPACE" "${HOME:-$WORKSPACE/home}"
repo="${WORKSPACE}/repo"
rm -rf "$repo"
git_ clone --quiet --branch "$BASE_REF" "$REPO_URL" "$repo" 2>"${WORKSPACE}/clone.err" \
  || fail "cloning the repository at ref ${BASE_REF} failed: $(redact <"${WORKSPACE}/clone.err" | tail -n 3)"
cd "$repo"
base_commit="$(git rev-parse HEAD)"
if [ "$PUSH_MODE" = "direct" ]; then
  target="$BASE_REF"
else
  target="$BRANCH"
  git checkout --quiet -b "$BRANCH"
fi

agent_out="${WORKSPACE}/agent.json"
set +e
timeout --kill-after=10 "$BUDGET" "$AGENT" -p "$(cat "$PROMPT_FILE")" --output-format json \
  --permission-mode acceptEdits >"$agent_out" 2>"${WORKSPACE}/agent.err" </dev/null
agent_status=$?
set -e
if [ "$agent_status" = 124 ] || [ "$agent_status" = 137 ]; then
  fail "the agent exceeded its time budget of ${BUDGET} s"
elif [ "$agent_status" != 0 ]; then
  fail "the agent failed (exit ${agent_status}): $(redact <"${WORKSPACE}/agent.err" | tail -n 5)"
fi

# claude --output-format json prints {"result": "<final answer>", ...}; other agents print text
summary="$(node -e '
  const raw = require("fs").readFileSync(process.argv[1], "utf8");
  try { const j = JSON.parse(raw); process.stdout.write(String(j.result ?? j.summary ?? raw)); }
  catch (notJson) { process.stdout.write(raw.slice(-4000)); }' "$agent_out")"

git add --all
if git diff --cached --quiet && [ "$(git rev-parse HEAD)" = "$base_commit" ]; then
  outcome="no-fix"
  [ -n "$summary" ] || summary="the agent changed nothing"
  exit 0
fi
if ! git diff --cached --quiet; then
  git_ commit --quiet -m "homenvr: fix for incident ${INCIDENT}" -m "$(printf '%s' "$summary" | redact | head -c 4000)"
fi
git_ push --quiet origin "HEAD:refs/heads/${target}" 2>"${WORKSPACE}/push.err" \
  || fail "pushing to ${target} failed: $(redact <"${WORKSPACE}/push.err" | tail -n 3)"
commit="$(git rev-parse HEAD)"
pushed_branch="$target"
if [ -n "$IMAGE_TEMPLATE" ]; then
  image="${IMAGE_TEMPLATE//\{commit\}/$commit}"
fi
outcome="fixed"
