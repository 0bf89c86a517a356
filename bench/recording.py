#!/usr/bin/python3
"""The recording benchmark (issue 11), on the same media and RTSP server as measure.py.

Usage: recording.py --jar homenvr-pipeline.jar --ffmpeg DIR --media DIR --out DIR
Three parts:
  cost        ROUNDS rounds (default 3); in each, three pipelines play the 1080p15 stream at the
              same time, one camera each, each its own RTSP session: "off" (record off), "on"
              (recording the stream it detects on) and "main" (record off on url, and the same
              stream as recordUrl, recorded by the demux-only reader: what a record-only camera
              costs on top of detection). CPU seconds of each over the same window after a
              warm-up, RSS at its end. Recording's cost = on - off; record-only = main - off.
  continuity  one pipeline records CONTINUITY seconds (default 600) with 10 s segments; then the
              segments' summed durations against the wall time they span, the largest hole
              between consecutive segments, and ffprobe on every segment
  kill        SIGKILL mid-segment, restart: no .part file left, every indexed file exists and
              passes ffprobe, and the footage lost before the kill
Environment: BENCH_WARMUP (default 10), BENCH_WINDOW (default 20), BENCH_ROUNDS, BENCH_CONTINUITY,
BENCH_JAVA_OPTS (run.sh's container flags by default).
"""
import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from measure import FileServer, Pipeline, cpu_seconds, load_average, rss_mib  # noqa: E402


def ffprobe_errors(ffprobe, file):
    result = subprocess.run(
        [ffprobe, "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", str(file)],
        capture_output=True, text=True, timeout=60)
    lines = [l for l in (result.stdout + result.stderr).splitlines() if l.strip()]
    return [l for l in lines if not l.replace(".", "").isdigit()]


def segments(data, camera="cam1"):
    """(start ms, duration ms, path) of every indexed segment, in time order."""
    found = []
    for index in sorted((data / "recordings" / camera).glob("*/index.tsv")):
        for line in index.read_text().splitlines():
            name, start, duration, _ = line.split("\t")
            found.append((int(start), int(duration), index.parent / name))
    return sorted(found)


def part_files(data):
    return sorted(p for p in (data / "recordings").rglob("*.part"))


def cost(args, server):
    rounds = []
    for i in range(args.rounds):
        url = server.url("1080p")
        pipelines = {
            "off": Pipeline(args.jar, args.out, f"rec-off-{i}", [url], record="off"),
            "on": Pipeline(args.jar, args.out, f"rec-on-{i}", [url]),
            "main": Pipeline(args.jar, args.out, f"rec-main-{i}", [url], record=url),
        }
        try:
            for p in pipelines.values():
                p.await_streaming()
            time.sleep(args.warmup)
            cpu0 = {k: cpu_seconds(p.pid) for k, p in pipelines.items()}
            t0 = time.monotonic()
            time.sleep(args.window)
            cpu1 = {k: cpu_seconds(p.pid) for k, p in pipelines.items()}
            elapsed = time.monotonic() - t0
            rss = {k: rss_mib(p.pid) for k, p in pipelines.items()}
            status = pipelines["on"].status()["cameras"][0]["recording"]
            result = {k: {"cpuPercent": round(100 * (cpu1[k] - cpu0[k]) / elapsed, 2),
                          "rssMiB": round(rss[k], 1)} for k in pipelines}
            result["recordingState"] = status["state"]
            result["load"] = load_average()
            print(f"  cost round {i + 1}: {json.dumps(result)}", file=sys.stderr, flush=True)
            rounds.append(result)
        finally:
            for p in pipelines.values():
                p.close()
    return rounds


def continuity(args, server):
    pipeline = Pipeline(args.jar, args.out, "rec-continuity", [server.url("1080p")])
    try:
        pipeline.await_streaming()
        time.sleep(args.continuity)
    finally:
        pipeline.close()  # SIGTERM: the open segment is finished and indexed
    found = segments(pipeline.data)
    wall = found[-1][0] + found[-1][1] - found[0][0]
    summed = sum(d for _, d, _ in found)
    holes = [found[i + 1][0] - (found[i][0] + found[i][1]) for i in range(len(found) - 1)]
    bad = {str(p): e for _, _, p in found if (e := ffprobe_errors(args.ffprobe, p))}
    result = {"segments": len(found), "wallMs": wall, "summedMs": summed,
              "differencePercent": round(100 * abs(wall - summed) / wall, 3),
              "largestHoleMs": max(holes, default=0), "smallestHoleMs": min(holes, default=0),
              "durationsMs": [min(d for _, d, _ in found), max(d for _, d, _ in found)],
              "ffprobeFailures": bad}
    print(f"  continuity: {json.dumps(result)}", file=sys.stderr, flush=True)
    return result


def kill(args, server):
    url = server.url("1080p")
    pipeline = Pipeline(args.jar, args.out, "rec-kill", [url])
    data = pipeline.data
    try:
        pipeline.await_streaming()
        deadline = time.monotonic() + 60
        while len(segments(data)) < 2 and time.monotonic() < deadline:
            time.sleep(0.5)
        time.sleep(5)  # mid-segment (10 s segments)
        killed_at = time.time() * 1000
        os.kill(pipeline.pid, signal.SIGKILL)
        pipeline.process.wait()
        left_by_kill = part_files(data)
    finally:
        pipeline.close()
    # restart on the same volume (Pipeline() would clear it: start the JVM the same way by hand)
    restarted = Pipeline.__new__(Pipeline)
    restarted.__dict__.update(pipeline.__dict__)
    log = open(args.out / "run" / "pipeline-rec-kill-restart.log", "w")
    restarted.process = subprocess.Popen(pipeline.process.args, stdout=log, stderr=subprocess.STDOUT)
    restarted.pid = restarted.process.pid
    try:
        restarted.await_streaming()
        before_kill = [s for s in segments(data) if s[0] < killed_at]
        last_end = max(s[0] + s[1] for s in before_kill)
        listed_missing = [str(p) for _, _, p in segments(data) if not p.exists()]
        bad = {str(p): e for _, _, p in segments(data) if (e := ffprobe_errors(args.ffprobe, p))}
        result = {"partFilesAfterKill": len(left_by_kill),
                  "leftoversAfterRestart": len([p for p in left_by_kill if p.exists()]),
                  "lostBeforeKillMs": round(killed_at - last_end), "listedButMissing": listed_missing,
                  "ffprobeFailures": bad}
        print(f"  kill: {json.dumps(result)}", file=sys.stderr, flush=True)
        return result
    finally:
        restarted.close()
        log.close()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--jar", type=Path, required=True)
    parser.add_argument("--ffmpeg", type=Path, required=True)
    parser.add_argument("--media", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    args.warmup = int(os.environ.get("BENCH_WARMUP", "10"))
    args.window = int(os.environ.get("BENCH_WINDOW", "20"))
    args.rounds = int(os.environ.get("BENCH_ROUNDS", "3"))
    args.continuity = int(os.environ.get("BENCH_CONTINUITY", "600"))
    args.ffprobe = "/usr/bin/ffprobe" if Path("/usr/bin/ffprobe").exists() else str(args.ffmpeg / "ffprobe")
    server = FileServer(args.media)
    try:
        rounds = cost(args, server)
        kept = kill(args, server)
        lasting = continuity(args, server)
    finally:
        server.close()

    def spread(values):
        return f"{statistics.median(values):.2f} ({min(values):.2f}–{max(values):.2f})"

    rec = [r["on"]["cpuPercent"] - r["off"]["cpuPercent"] for r in rounds]
    main_only = [r["main"]["cpuPercent"] - r["off"]["cpuPercent"] for r in rounds]
    rss = [r["on"]["rssMiB"] - r["off"]["rssMiB"] for r in rounds]
    lines = [
        f"Recording benchmark — {time.strftime('%Y-%m-%d %H:%M:%S %Z')}, {os.cpu_count()} cores, "
        f"{args.rounds} rounds of {args.window} s after {args.warmup} s, 1080p15 4 Mbit/s",
        "",
        "| measure | median (min–max) | target |",
        "|---|---|---|",
        f"| CPU recording adds to a detecting camera (on − off), % of one core | {spread(rec)} | ≤ 2 |",
        f"| CPU of recording a second stream by the demux-only reader (main − off), % of one core "
        f"| {spread(main_only)} | ≤ 3 (record-only) |",
        f"| RSS recording adds (on − off), MiB | {spread(rss)} | ≤ 10 |",
        f"| pipeline without recording, CPU % of one core | "
        f"{spread([r['off']['cpuPercent'] for r in rounds])} | — |",
        "",
        f"Continuity over {args.continuity} s: {lasting['segments']} segments, summed durations "
        f"{lasting['summedMs']} ms vs {lasting['wallMs']} ms spanned ({lasting['differencePercent']} %"
        f" apart; target ≤ 0.5 %), holes between segments {lasting['smallestHoleMs']}…"
        f"{lasting['largestHoleMs']} ms (one frame: 67 ms), segment lengths {lasting['durationsMs']} "
        f"ms, ffprobe failures: {len(lasting['ffprobeFailures'])}.",
        f"SIGKILL mid-segment: {kept['partFilesAfterKill']} unfinished segment left by the kill, "
        f"{kept['leftoversAfterRestart']} of them left after the restart, "
        f"{len(kept['listedButMissing'])} listed "
        f"but missing, ffprobe failures {len(kept['ffprobeFailures'])}, footage lost before the "
        f"kill {kept['lostBeforeKillMs']} ms (one segment: 10000 ms).",
    ]
    text = "\n".join(lines) + "\n"
    (args.out / "recording.md").write_text(text)
    (args.out / "recording.json").write_text(
        json.dumps({"cost": rounds, "continuity": lasting, "kill": kept}, indent=2) + "\n")
    print(text)


if __name__ == "__main__":
    main()
