#!/usr/bin/python3
"""Eco decode against the decode floor (issue 15): bench/run.sh --eco

Each round, one after the other on the same server: E (detect.mode eco, 1 camera on the still
1080p15 stream) beside ffmpeg decoding that same still stream, then F (detect.mode full, 1 camera
on the busy 1080p15 stream) beside ffmpeg decoding the busy one; CPU seconds over the same window
as in measure.py. BENCH_ROUNDS rounds (default 3); ratios are pipeline / floor within one window.
Results in bench/target/eco.md and eco.json.
"""
import argparse
import json
import os
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import measure  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    for name in ("--jar", "--ffmpeg", "--media", "--out"):
        parser.add_argument(name, type=Path, required=True)
    args = parser.parse_args()
    args.warmup = int(os.environ.get("BENCH_WARMUP", "10"))
    args.window = int(os.environ.get("BENCH_WINDOW", "20"))
    rounds = int(os.environ.get("BENCH_ROUNDS", "3"))
    server = measure.FileServer(args.media)
    results = []
    try:
        for n in range(rounds):
            for label, mount, decode in (("E", "still", "eco"), ("F", "1080p", "full")):
                r = measure.run_pipeline(args, server, f"{label}{n + 1}", mount, 1, args.window,
                                         with_floor=True, decode=decode)
                r["decode"] = decode
                r["ratio"] = round(r["pipelineCpuSeconds"] / r["ffmpegCpuSeconds"], 3)
                results.append(r)
    finally:
        server.close()
    (args.out / "eco.json").write_text(json.dumps(results, indent=1))
    lines = ["| run | decode | stream | pipeline CPU s | floor CPU s | ratio | decoded fps | other cores |",
             "|---|---|---|---|---|---|---|---|"]
    for r in results:
        lines.append(f"| {r['run']} | {r['decode']} | {r['mount']} | {r['pipelineCpuSeconds']} | "
                     f"{r['ffmpegCpuSeconds']} | {r['ratio']:.2f}× | {r['windowFpsPerCamera']} | "
                     f"{r['otherCores']} |")
    for decode in ("eco", "full"):
        ratios = [r["ratio"] for r in results if r["decode"] == decode]
        lines.append(f"\n{decode}: ratio median {statistics.median(ratios):.2f}×, "
                     f"range {min(ratios):.2f}–{max(ratios):.2f}× over {len(ratios)} rounds")
    text = "\n".join(lines) + "\n"
    (args.out / "eco.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
