#!/usr/bin/python3
"""Camera-back time (issue 15): bench/run.sh --camera-back

One pipeline, one camera (the test server's /ball, 320x240 at 10 fps, a keyframe every 1.5 s).
Each round takes the camera away for BENCH_OUTAGE seconds (default 20: the reconnect backoff has
grown to 8-16 s by then) and brings it back, then measures from "back" to the first new decoded
frame in /status (polled every 50 ms), and whether the pipeline's log says the probe did it.
Two outages: refusal (the server killed, started again on the same port) and freeze (video
stopped, RTSP and RTCP alive, then thawed). BENCH_ROUNDS rounds of each (default 5).
Results in bench/target/camera-back.md and camera-back.json.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import measure  # noqa: E402


class TestServer:
    def __init__(self, port=0):
        self.process = subprocess.Popen(
            ["/usr/bin/python3", str(measure.RTSP_SERVER), "--port", str(port)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        ready = self.process.stdout.readline().split()
        if not ready or ready[0] != "READY":
            raise RuntimeError("test server did not start")
        self.port = int(ready[1])

    def command(self, line):
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()
        self.process.stdout.readline()

    def kill(self):
        self.process.kill()
        self.process.wait()


def frames(pipeline):
    camera = pipeline.status()["cameras"][0]
    return camera["framesTotal"], camera["state"]


def back_after(pipeline, deadline_s=60):
    """Seconds until frames flow again (a new decoded frame, state STREAMING)."""
    start = time.monotonic()
    before, _ = frames(pipeline)
    while time.monotonic() - start < deadline_s:
        count, state = frames(pipeline)
        if state == "STREAMING" and count > before:
            return time.monotonic() - start
        time.sleep(0.05)
    return None


def main():
    parser = argparse.ArgumentParser()
    for name in ("--jar", "--ffmpeg", "--media", "--out"):
        parser.add_argument(name, type=Path, required=True)
    args = parser.parse_args()
    outage = float(os.environ.get("BENCH_OUTAGE", "20"))
    rounds = int(os.environ.get("BENCH_ROUNDS", "5"))
    server = TestServer()
    url = f"rtsp://127.0.0.1:{server.port}/ball"
    pipeline = measure.Pipeline(args.jar, args.out, "camera-back", [url], record="off")
    results = []
    try:
        pipeline.await_streaming()
        for n in range(rounds):
            for outage_kind in ("refusal", "freeze"):
                time.sleep(3)  # streaming steadily again
                probes_before = pipeline.log.read_text().count("answers again")
                if outage_kind == "refusal":
                    server.kill()
                    time.sleep(outage)
                    server = TestServer(server.port)
                else:
                    server.command("freeze /ball")
                    time.sleep(outage)
                    server.command("thaw /ball")
                took = back_after(pipeline)
                by_probe = pipeline.log.read_text().count("answers again") > probes_before
                result = {"round": n + 1, "outage": outage_kind, "outageSeconds": outage,
                          "backAfterSeconds": None if took is None else round(took, 2),
                          "byProbe": by_probe}
                print(f"  {json.dumps(result)}", file=sys.stderr, flush=True)
                results.append(result)
    finally:
        pipeline.close()
        server.kill()
    (args.out / "camera-back.json").write_text(json.dumps(results, indent=1))
    lines = ["| outage | rounds | back after: median | range | by the probe |", "|---|---|---|---|---|"]
    for kind in ("refusal", "freeze"):
        times = [r["backAfterSeconds"] for r in results if r["outage"] == kind]
        ok = [t for t in times if t is not None]
        probe = sum(r["byProbe"] for r in results if r["outage"] == kind)
        lines.append(f"| {kind} ({outage:.0f} s) | {len(times)} | "
                     f"{statistics.median(ok):.2f} s | {min(ok):.2f}–{max(ok):.2f} s"
                     f"{'' if len(ok) == len(times) else f' ({len(times) - len(ok)} never)'} | "
                     f"{probe} of {len(times)} |")
    text = "\n".join(lines) + "\n"
    (args.out / "camera-back.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
