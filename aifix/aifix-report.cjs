#!/usr/bin/env node
// Helpers of the AI-fix entrypoint (entrypoint.sh), one subcommand each:
//   redact                         stdin to stdout with every secret value and token shape replaced
//   preflight                      is the agent's API reachable and does it accept the key?
//   agent <stdout> <stderr> <exit> the agent's output as JSON: summary, stats, diagnosis, proposal
//   diff <numstat-file>            `git diff --numstat` as {files, insertions, deletions, paths}
//   message                        the termination message from the environment, ≤ 4000 bytes
'use strict';
const fs = require('fs');

// Kubernetes keeps at most 4096 bytes of a termination message; leave room for nothing else
const MESSAGE_LIMIT = 4000;
const DIAGNOSIS_FENCE = /(`{3,}|~{3,})[ \t]*homenvr-diagnosis[ \t]*\n([\s\S]*?)\n[ \t]*\1[ \t]*(?:\n|$)/g;
const CONFIDENCE = new Set(['low', 'medium', 'high']);

function redact(text) {
  let out = String(text);
  for (const name of ['GIT_TOKEN', 'ANTHROPIC_API_KEY', 'AIFIX_GIT_TOKEN']) {
    const value = (process.env[name] || '').trim();
    if (value.length >= 4) out = out.split(value).join('[REDACTED]');
  }
  return out
    .replace(/sk-ant-[A-Za-z0-9_-]{10,}/g, '[REDACTED]')
    .replace(/\bgh[pousr]_[A-Za-z0-9]{20,}/g, '[REDACTED]')
    .replace(/\bgithub_pat_[A-Za-z0-9_]{20,}/g, '[REDACTED]')
    .replace(/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)/g, '[REDACTED]')
    .replace(/([a-z][a-z0-9+.-]*:\/\/)[^\/\s@]+@/gi, '$1[REDACTED]@');
}

function clip(text, limit) {
  const s = String(text);
  return s.length <= limit ? s : s.slice(0, Math.max(0, limit - 1)) + '…';
}

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    return null;
  }
}

async function preflight() {
  const key = (process.env.ANTHROPIC_API_KEY || '').trim();
  if (!key) {
    console.log('no API key: ANTHROPIC_API_KEY is empty (see spec.escalation.aiFix.apiKeySecretRef)');
    return 3;
  }
  const base = (process.env.ANTHROPIC_BASE_URL || 'https://api.anthropic.com').replace(/\/+$/, '');
  const seconds = Number(process.env.AIFIX_PREFLIGHT_TIMEOUT_SECONDS || 10);
  try {
    const response = await fetch(base + '/v1/models?limit=1', {
      headers: { 'x-api-key': key, 'anthropic-version': '2023-06-01' },
      signal: AbortSignal.timeout(seconds * 1000),
    });
    if (response.status === 401 || response.status === 403) {
      let detail = '';
      try {
        detail = (await response.json())?.error?.message || '';
      } catch (notJson) {}
      console.log(`the API at ${base} rejected the API key (HTTP ${response.status}${detail ? ': ' + clip(detail, 200) : ''})`);
      return 3;
    }
    return 0;
  } catch (e) {
    const cause = e.name === 'TimeoutError' ? `no answer within ${seconds} s`
      : (e.cause && (e.cause.code || e.cause.message)) || e.message;
    console.log(`the API at ${base} is unreachable (${cause})`);
    return 2;
  }
}

/** The last homenvr-diagnosis block of the agent's answer, kept to known fields and sizes. */
function diagnosisOf(text) {
  let last = null;
  for (const match of String(text).matchAll(DIAGNOSIS_FENCE)) last = match;
  if (!last) return { rest: text, note: 'the agent gave no homenvr-diagnosis block' };
  const rest = (text.slice(0, last.index) + text.slice(last.index + last[0].length)).trim();
  let block;
  try {
    block = JSON.parse(last[2]);
  } catch (e) {
    return { rest, note: 'the homenvr-diagnosis block is not JSON: ' + clip(e.message, 120) };
  }
  if (!block || typeof block !== 'object' || Array.isArray(block)) {
    return { rest, note: 'the homenvr-diagnosis block is not a JSON object' };
  }
  const out = { rest };
  const d = block.diagnosis;
  if (d && typeof d === 'object') {
    out.diagnosis = {};
    if (typeof d.cause === 'string') out.diagnosis.cause = clip(redact(d.cause), 600);
    if (Array.isArray(d.evidence)) {
      out.diagnosis.evidence = d.evidence.filter((line) => typeof line === 'string')
        .slice(0, 5).map((line) => clip(redact(line), 240));
    }
    if (CONFIDENCE.has(d.confidence)) out.diagnosis.confidence = d.confidence;
  } else {
    out.note = 'the homenvr-diagnosis block has no diagnosis object';
  }
  if (block.proposal !== undefined && block.proposal !== null) {
    // validated by the operator (ConfigChangeValidator); here only bounded in size
    const serialized = JSON.stringify(block.proposal);
    if (serialized.length <= 600) out.proposal = JSON.parse(redact(serialized));
    else out.note = `the proposal was dropped: ${serialized.length} bytes, more than 600`;
  }
  return out;
}

function agent(stdoutFile, stderrFile, exitStatus) {
  const raw = fs.existsSync(stdoutFile) ? fs.readFileSync(stdoutFile, 'utf8') : '';
  const err = fs.existsSync(stderrFile) ? fs.readFileSync(stderrFile, 'utf8') : '';
  let json = null;
  try {
    json = JSON.parse(raw);
  } catch (notJson) {
    // claude prints one JSON object; a stand-in agent may print its last line as JSON
    const lastLine = raw.trim().split('\n').pop() || '';
    try {
      json = JSON.parse(lastLine);
    } catch (neither) {}
  }
  if (Array.isArray(json)) json = json.filter((m) => m && m.type === 'result').pop() || null;
  const result = json && typeof json === 'object' ? json : null;
  const text = result ? String(result.result ?? result.summary ?? '') : raw.slice(-4000);
  const report = {};
  if (result) {
    report.agent = {};
    if (typeof result.is_error === 'boolean') report.agent.isError = result.is_error;
    if (typeof result.subtype === 'string') report.agent.subtype = clip(result.subtype, 40);
    if (Number.isFinite(result.num_turns)) report.agent.turns = result.num_turns;
    if (Number.isFinite(result.total_cost_usd)) report.agent.costUsd = Math.round(result.total_cost_usd * 10000) / 10000;
    if (Array.isArray(result.permission_denials)) report.agent.deniedToolCalls = result.permission_denials.length;
    if (typeof result.terminal_reason === 'string') report.agent.stopReason = clip(result.terminal_reason, 40);
    if (Object.keys(report.agent).length === 0) delete report.agent;
  }
  const { rest, diagnosis, proposal, note } = diagnosisOf(text);
  if (diagnosis) report.diagnosis = diagnosis;
  if (proposal !== undefined) report.proposal = proposal;
  if (note) report.diagnosisNote = note;
  const failed = exitStatus !== 0 || (result && result.is_error === true)
    || (result && typeof result.subtype === 'string' && result.subtype.startsWith('error'));
  report.ok = !failed;
  if (failed) {
    const reason = result && text ? text
      : result && result.subtype ? result.subtype
      : err.trim().split('\n').slice(-5).join('\n');
    const subtype = result && /^error/.test(result.subtype || '') ? ', ' + result.subtype : '';
    report.summary = `the agent failed (exit ${exitStatus}${subtype}): ${redact(reason).trim()}`;
  } else {
    report.summary = redact(rest).trim();
  }
  process.stdout.write(JSON.stringify(report));
  return 0;
}

function diff(numstatFile) {
  const lines = fs.readFileSync(numstatFile, 'utf8').split('\n').filter(Boolean);
  const out = { files: lines.length, insertions: 0, deletions: 0, paths: [] };
  for (const line of lines) {
    const [added, deleted, ...path] = line.split('\t');
    out.insertions += Number(added) || 0; // "-" for binary files
    out.deletions += Number(deleted) || 0;
    if (out.paths.length < 10) out.paths.push(clip(path.join('\t'), 120));
  }
  process.stdout.write(JSON.stringify(out));
  return 0;
}

function message() {
  const e = process.env;
  const report = e.AGENT_REPORT ? readJson(e.AGENT_REPORT) || {} : {};
  const out = { outcome: e.OUTCOME, summary: redact(e.SUMMARY || '') };
  if (e.COMMIT) out.commit = e.COMMIT;
  if (e.BRANCH_OUT) out.branch = e.BRANCH_OUT;
  if (e.IMAGE) out.image = e.IMAGE;
  if (e.DIFF_FILE) {
    const d = readJson(e.DIFF_FILE);
    if (d) out.diff = d;
  }
  for (const key of ['agent', 'diagnosis', 'proposal', 'diagnosisNote']) {
    if (report[key] !== undefined) out[key] = report[key];
  }
  // shrink the least useful parts first until it fits
  const steps = [
    () => out.summary.length > 1500 && (out.summary = clip(out.summary, 1500)),
    () => out.diff && out.diff.paths && out.diff.paths.length > 3 && (out.diff.paths = out.diff.paths.slice(0, 3)),
    () => out.diagnosis && out.diagnosis.evidence && out.diagnosis.evidence.length > 2 && (out.diagnosis.evidence = out.diagnosis.evidence.slice(0, 2)),
    () => out.summary.length > 500 && (out.summary = clip(out.summary, 500)),
    () => out.diagnosis && out.diagnosis.cause && out.diagnosis.cause.length > 300 && (out.diagnosis.cause = clip(out.diagnosis.cause, 300)),
    () => out.diff && delete out.diff.paths,
    () => out.diagnosis && delete out.diagnosis.evidence,
    () => out.proposal !== undefined && (delete out.proposal, out.diagnosisNote = 'the proposal was dropped to fit the termination message'),
    () => (out.summary = clip(out.summary, 100)),
  ];
  let text = JSON.stringify(out);
  for (const step of steps) {
    if (Buffer.byteLength(text) <= MESSAGE_LIMIT) break;
    step();
    text = JSON.stringify(out);
  }
  process.stdout.write(text);
  return 0;
}

async function main() {
  const [command, ...args] = process.argv.slice(2);
  switch (command) {
    case 'redact':
      process.stdout.write(redact(fs.readFileSync(0, 'utf8')));
      return 0;
    case 'preflight':
      return preflight();
    case 'agent':
      return agent(args[0], args[1], Number(args[2]));
    case 'diff':
      return diff(args[0]);
    case 'message':
      return message();
    default:
      console.error('usage: aifix-report.cjs redact|preflight|agent|diff|message');
      return 64;
  }
}

main().then((code) => process.exit(code));
