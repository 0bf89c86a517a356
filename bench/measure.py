#!/usr/bin/python3
"""The pipeline benchmark of issue 3, against testing/src/main/python/rtsp_server.py on loopback.

Usage: measure.py --jar homenvr-pipeline.jar --ffmpeg DIR --media DIR --out DIR
  DIR of --ffmpeg holds the ffmpeg binary and its libraries (bytedeco's, the same libavcodec the
  pipeline links). --media holds busy-1080p15.mp4 and busy-720p15.mp4.
Runs, one after the other, each with a warm-up before its measuring window:
  A  ffmpeg (the decode floor) and the pipeline with 1 camera, at the same time on the 1080p15
     stream: CPU seconds of each over the same window, and their ratio
  B  the pipeline with 2 and 4 cameras on the 1080p15 stream (A gives the 1-camera point):
     RSS and CPU per added camera, as least-squares slopes
  C  the pipeline with 8 cameras on the 720p15 stream for the loss window
Frames lost (every run): at the end the server stops sending to the pipeline's sessions, lets
them drain until framesTotal stops growing, and compares the frames it sent them since the
pipeline started with the frames the pipeline decoded (the sum of framesTotal in /status), less
one frame per session: FFmpeg's RTP/H.264 parser only completes a frame when the next one begins,
so the last frame sent is never decoded (ffmpeg itself holds back 3: that one plus its 2 decoder
threads). ffmpeg plays its own mount of the same file, so its frames are counted apart.
CPU is utime+stime from /proc/<pid>/stat, RSS is VmRSS from /proc/<pid>/status. The machine's
load and the CPU other processes used in each window are printed too: compare within one run.
Environment: BENCH_WARMUP (s, default 10), BENCH_WINDOW (s, default 20), BENCH_LOSS_WINDOW (s,
default 60), BENCH_JAVA_OPTS (JVM options; run.sh sets the container's by default),
BENCH_DETECT_FPS (detect.fps of every camera, default 5: lower it to see what motion costs).
"""
import argparse
import json
import os
import shlex
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK")
FPS = 15  # the benchmark media's frame rate


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK  # utime, stime (fields 14 and 15)


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for pid {pid}")


def machine_busy_seconds():
    """CPU seconds all cores spent not idle since boot (for 'what else ran' in a window)."""
    with open("/proc/stat") as f:
        values = [int(v) for v in f.readline().split()[1:]]
    idle = values[3] + values[4]  # idle, iowait
    return (sum(values[:8]) - idle) / TICK


def load_average():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def slope(xs, ys):
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)


# the one RTSP server module of the project: its file mounts replay pre-encoded media
RTSP_SERVER = Path(__file__).resolve().parents[1] / "testing" / "src" / "main" / "python" / "rtsp_server.py"


class FileServer:
    def __init__(self, media):
        self.process = subprocess.Popen(
            [sys.executable, str(RTSP_SERVER),
             f"/1080p={media / 'busy-1080p15.mp4'}", f"/1080p-floor={media / 'busy-1080p15.mp4'}",
             f"/720p={media / 'busy-720p15.mp4'}",
             *([f"/still={media / 'still-1080p15.mp4'}", f"/still-floor={media / 'still-1080p15.mp4'}"]
               if (media / 'still-1080p15.mp4').exists() else [])],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        ready = self.process.stdout.readline().split()
        if not ready or ready[0] != "READY":
            raise RuntimeError(f"{RTSP_SERVER} did not start")
        self.port = int(ready[1])

    def url(self, mount):
        return f"rtsp://127.0.0.1:{self.port}/{mount}"

    def sent(self, mount):
        self.process.stdin.write("counts\n")
        self.process.stdin.flush()
        counts = dict(w.split("=") for w in self.process.stdout.readline().split()[1:])
        return int(counts["/" + mount])

    def hold(self, mount):
        self.process.stdin.write(f"hold /{mount}\n")
        self.process.stdin.flush()
        self.process.stdout.readline()

    def close(self):
        self.process.stdin.close()
        self.process.wait(timeout=10)


class Pipeline:
    def __init__(self, jar, out, label, urls, record=None, segment_seconds=10, decode="full"):
        """record: None (the default: continuous), "off", or a recordUrl (demux-only recording)."""
        self.label, self.port = label, free_port()
        self.data = out / "run" / ("data-" + label)
        shutil.rmtree(self.data, ignore_errors=True)  # a fresh volume: no footage of an earlier run
        if record is None:
            record_yaml = f"    record: {{mode: continuous, segmentSeconds: {segment_seconds}}}\n"
        elif record == "off":
            record_yaml = "    record: {mode: off}\n"
        else:
            record_yaml = (f"    record: {{mode: continuous, segmentSeconds: {segment_seconds},"
                           f" recordUrl: '{record}'}}\n")
        detect_fps = os.environ.get("BENCH_DETECT_FPS", "5")
        run = out / "run"
        run.mkdir(parents=True, exist_ok=True)
        config = run / f"pipeline-{label}.yaml"
        cameras = "".join(
            f"  - name: cam{i + 1}\n    url: {url}\n    transport: tcp\n"
            f"    detect: {{fps: {detect_fps}, width: 640, minAreaPercent: 0.5, mode: {decode}}}\n"
            + record_yaml
            for i, url in enumerate(urls))
        # no vision and no telegram: motion goes to the local person detector, alerts to disk only
        config.write_text(
            f"cameras:\n{cameras}alerts:\n  cooldownSeconds: 60\n"
            f"storage:\n  dataDir: {self.data}\n"
            f"server:\n  port: {self.port}\n  bindAddress: 127.0.0.1\n"
            f"summaryIntervalSeconds: 60\n")
        self.log = run / f"pipeline-{label}.log"
        java_opts = shlex.split(os.environ.get("BENCH_JAVA_OPTS", ""))
        with open(self.log, "w") as log:
            self.process = subprocess.Popen(
                ["java", *java_opts, "-jar", str(jar), "--config", str(config)],
                stdout=log, stderr=subprocess.STDOUT)
        self.pid = self.process.pid

    def status(self):
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/status", timeout=5) as r:
            return json.load(r)

    def await_streaming(self, deadline_s=45):
        deadline = time.monotonic() + deadline_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                cameras = self.status()["cameras"]
                if all(c["state"] == "STREAMING" and c["framesTotal"] > 0 for c in cameras):
                    return
            except OSError:
                pass
            time.sleep(0.5)
        tail = self.log.read_text().splitlines()[-20:]
        raise RuntimeError(f"pipeline {self.label} not streaming in {deadline_s} s:\n"
                           + "\n".join(tail))

    def drained(self):
        """The status once framesTotal held still for a second (within the 3 s stall deadline)."""
        deadline = time.monotonic() + 30
        last, steady_since = None, time.monotonic()
        while time.monotonic() < deadline:
            status = self.status()
            if self.frames(status) != last:
                last, steady_since = self.frames(status), time.monotonic()
            elif time.monotonic() - steady_since >= 1.0:
                return status
            time.sleep(0.25)
        raise RuntimeError(f"pipeline {self.label} still decoding 30 s after the stream stopped")

    def frames(self, status):
        return sum(c["framesTotal"] for c in status["cameras"])

    def reconnects(self, status):
        return sum(c["reconnects"] for c in status["cameras"])

    def close(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def window(label, server, pipeline, mount, cameras, warmup, seconds, sent_before, floor=None):
    """Warm up, then measure the pipeline (and the decode floor, when given) over one window."""
    pipeline.await_streaming()
    time.sleep(warmup)
    load_before = load_average()
    procs = {"pipeline": pipeline.pid, "server": server.process.pid}
    if floor:
        procs["ffmpeg"] = floor.pid
    cpu0 = {k: cpu_seconds(p) for k, p in procs.items()}
    busy0, status0, t0 = machine_busy_seconds(), pipeline.status(), time.monotonic()
    rss_peak = 0.0
    while time.monotonic() - t0 < seconds:
        time.sleep(1)
        rss_peak = max(rss_peak, rss_mib(pipeline.pid))
    status1, busy1 = pipeline.status(), machine_busy_seconds()
    behind = server.sent(mount) - sent_before - cameras - pipeline.frames(status1)
    cpu1 = {k: cpu_seconds(p) for k, p in procs.items()}
    elapsed = time.monotonic() - t0
    rss = rss_mib(pipeline.pid)
    cpu = {k: cpu1[k] - cpu0[k] for k in procs}
    decoded_in_window = pipeline.frames(status1) - pipeline.frames(status0)
    server.hold(mount)
    final = pipeline.drained()
    sent = server.sent(mount) - sent_before
    decoded = pipeline.frames(final)
    result = {
        "run": label, "mount": mount, "cameras": cameras, "seconds": round(elapsed, 1),
        "pipelineCpuSeconds": round(cpu["pipeline"], 2),
        "pipelineCpuPercentPerCamera": round(100 * cpu["pipeline"] / elapsed / cameras, 1),
        "ffmpegCpuSeconds": round(cpu["ffmpeg"], 2) if floor else None,
        "ffmpegRssMiB": round(rss_mib(floor.pid), 1) if floor else None,
        "serverCpuSeconds": round(cpu["server"], 2),
        "otherCores": round((busy1 - busy0 - sum(cpu.values())) / elapsed, 2),
        "rssMiB": round(rss, 1), "rssPeakMiB": round(rss_peak, 1),
        "windowFpsPerCamera": round(decoded_in_window / elapsed / cameras, 2),
        "behindSeconds": round(behind / FPS / cameras, 2),
        "sentFrames": sent, "decodedFrames": decoded, "lostFrames": sent - cameras - decoded,
        "reconnects": pipeline.reconnects(final),
        "fps": [round(c["fps"], 1) for c in status1["cameras"]],
        "loadBefore": load_before, "loadAfter": load_average(),
    }
    print(f"  {label}: {json.dumps(result)}", file=sys.stderr, flush=True)
    return result


def run_pipeline(args, server, label, mount, cameras, seconds, with_floor=False, decode="full"):
    url = server.url(mount)
    floor = None
    sent_before = server.sent(mount)
    if with_floor:
        env = dict(os.environ, LD_LIBRARY_PATH=str(args.ffmpeg))
        floor = subprocess.Popen(
            [str(args.ffmpeg / "ffmpeg"), "-nostdin", "-hide_banner", "-loglevel", "error",
             "-rtsp_transport", "tcp", "-i", server.url(mount + "-floor"), "-f", "null", "-"],
            env=env)
    pipeline = Pipeline(args.jar, args.out, label, [url] * cameras, decode=decode)
    try:
        return window(label, server, pipeline, mount, cameras, args.warmup, seconds, sent_before,
                      floor)
    finally:
        pipeline.close()
        if floor:
            floor.terminate()
            try:
                floor.wait(timeout=5)
            except subprocess.TimeoutExpired:
                floor.kill()
                floor.wait()


def report(results, args):
    a, b2, b4, c = results
    ratio = a["pipelineCpuSeconds"] / a["ffmpegCpuSeconds"]
    points = [a, b2, b4]
    xs = [r["cameras"] for r in points]
    rss_slope = slope(xs, [r["rssMiB"] for r in points])
    cpu_slope = slope(xs, [100 * r["pipelineCpuSeconds"] / r["seconds"] for r in points])
    floor_percent = 100 * a["ffmpegCpuSeconds"] / a["seconds"]
    lines = [
        f"Pipeline benchmark — {time.strftime('%Y-%m-%d %H:%M:%S %Z')}, {os.cpu_count()} cores, "
        f"pipeline {args.jar}, JVM options '{os.environ.get('BENCH_JAVA_OPTS', '')}', "
        f"detect.fps {os.environ.get('BENCH_DETECT_FPS', '5')}",
        f"Windows: warm-up {args.warmup} s, A/B {args.window} s, C {args.loss_window} s.",
        "",
        "| measure | value | target | verdict |",
        "|---|---|---|---|",
        f"| A: CPU, pipeline 1 camera ÷ ffmpeg decode floor (1080p15, same window) "
        f"| {ratio:.2f}× ({a['pipelineCpuSeconds']:.2f} s ÷ {a['ffmpegCpuSeconds']:.2f} s "
        f"in {a['seconds']} s) | ≤ 1.2× | {'met' if ratio <= 1.2 else 'MISSED'} |",
        f"| B: CPU per added 1080p15 camera (slope over 1, 2, 4) "
        f"| {cpu_slope:.1f} % of a core (floor: {floor_percent:.1f} %) | — | — |",
        f"| B: RSS per added 1080p15 camera (slope over 1, 2, 4) "
        f"| {rss_slope:.1f} MiB (ffmpeg decoding one: {a['ffmpegRssMiB']} MiB in all) "
        f"| ≤ 30 MiB | {'met' if rss_slope <= 30 else 'MISSED'} |",
        f"| C: frames lost, 8 cameras 720p15, {args.warmup} s + {c['seconds']} s "
        f"| {c['lostFrames']} of {c['sentFrames']} sent ({c['decodedFrames']} decoded, "
        f"{c['windowFpsPerCamera']} fps per camera in the window, {c['reconnects']} reconnects) "
        f"| 0 | {'met' if c['lostFrames'] <= 0 and c['reconnects'] == 0 else 'MISSED'} |",
        "",
        "| run | cameras | pipeline CPU % per camera | RSS MiB (peak) | sent | decoded | lost "
        "| fps per camera in window | behind at window end | server CPU s "
        "| other processes (cores) | load before → after |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        lines.append(
            f"| {r['run']} | {r['cameras']} × {r['mount']} | {r['pipelineCpuPercentPerCamera']} "
            f"| {r['rssMiB']} ({r['rssPeakMiB']}) | {r['sentFrames']} | {r['decodedFrames']} "
            f"| {r['lostFrames']} | {r['windowFpsPerCamera']} | {r['behindSeconds']} s "
            f"| {r['serverCpuSeconds']} "
            f"| {r['otherCores']} | {r['loadBefore']} → {r['loadAfter']} |")
    text = "\n".join(lines) + "\n"
    (args.out / "results.md").write_text(text)
    (args.out / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    print(text)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--jar", type=Path, required=True)
    parser.add_argument("--ffmpeg", type=Path, required=True)
    parser.add_argument("--media", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    args.warmup = int(os.environ.get("BENCH_WARMUP", "10"))
    args.window = int(os.environ.get("BENCH_WINDOW", "20"))
    args.loss_window = int(os.environ.get("BENCH_LOSS_WINDOW", "60"))
    server = FileServer(args.media)
    try:
        results = [
            run_pipeline(args, server, "A", "1080p", 1, args.window, with_floor=True),
            run_pipeline(args, server, "B2", "1080p", 2, args.window),
            run_pipeline(args, server, "B4", "1080p", 4, args.window),
            run_pipeline(args, server, "C", "720p", 8, args.loss_window),
        ]
    finally:
        server.close()
    report(results, args)


if __name__ == "__main__":
    main()
