#!/usr/bin/python3
"""Loopback RTSP server that replays pre-encoded H.264 files, looping, without re-encoding.

Usage: rtsp_file_server.py [--port N] /mount=file.mp4 ...   (port 0 or none: any free port)
Prints "READY <port> <mounts>" once listening. Each file is demuxed once into access units kept
in memory; every client gets its own media (a shared media crashed Debian's 1.22 server) that
pushes those units through an appsrc with ever-growing timestamps, so the loop seam is invisible
to the client and the server spends no encoder CPU. The RTSP sink syncs to the clock, which paces
the stream at the file's frame rate.
Commands on stdin, one per line:
  counts        answered "COUNTS /mount=<frames> ..." — frames handed to the payloader per mount,
                summed over every client since start (the benchmark's "frames sent")
  hold <mount>  the clients playing that mount now get no further frame (clients that connect
                later do), so a benchmark can let them drain and then compare exact totals;
                answered "OK hold <mount>"
"""
import argparse
import sys
import threading

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtspServer  # noqa: E402

Gst.init(None)


def demux(path):
    """Returns (caps string, [access unit bytes]) of the file's H.264 track, SPS/PPS in-band."""
    pipeline = Gst.parse_launch(
        f"filesrc location={path} ! qtdemux ! h264parse config-interval=-1 "
        f"! video/x-h264,stream-format=byte-stream,alignment=au ! appsink name=sink sync=false")
    sink = pipeline.get_by_name("sink")
    pipeline.set_state(Gst.State.PLAYING)
    units, caps = [], None
    while True:
        sample = sink.emit("pull-sample")
        if sample is None:
            break
        caps = caps or sample.get_caps().to_string()
        buffer = sample.get_buffer()
        units.append(buffer.extract_dup(0, buffer.get_size()))
    pipeline.set_state(Gst.State.NULL)
    if not units:
        sys.exit(f"rtsp_file_server: no H.264 frames in {path}")
    return caps, units


class FileMount:
    def __init__(self, server, path, demuxed):
        self.caps, self.units = demuxed
        structure = Gst.Caps.from_string(self.caps).get_structure(0)
        ok, num, den = structure.get_fraction("framerate")
        self.frame_ns = Gst.SECOND * den // num if ok and num else Gst.SECOND // 15
        self.sent, self.sent_lock = 0, threading.Lock()  # counted by every media's thread
        self.playing = []  # per media: [next frame number, held]
        factory = GstRtspServer.RTSPMediaFactory()
        # config-interval=-1: SPS/PPS before every keyframe, so a client may join at any IDR
        factory.set_launch(
            "( appsrc name=src format=time "
            "! rtph264pay name=pay0 pt=96 config-interval=-1 )")
        factory.set_shared(False)
        factory.connect("media-configure", self.configure)
        server.get_mount_points().add_factory(path, factory)

    def configure(self, _factory, media):
        element = media.get_element()
        source = element.get_by_name("src")
        source.set_property("caps", Gst.Caps.from_string(self.caps))
        position = [0, False]
        self.playing.append(position)

        def unprepared(_media):
            self.playing = [p for p in self.playing if p is not position]

        media.connect("unprepared", unprepared)

        def need_data(src, _length):
            n, held = position
            if held:
                return
            buffer = Gst.Buffer.new_wrapped(self.units[n % len(self.units)])
            buffer.pts = buffer.dts = n * self.frame_ns
            buffer.duration = self.frame_ns
            position[0] = n + 1
            src.emit("push-buffer", buffer)

        def count(_pad, _info):
            with self.sent_lock:
                self.sent += 1
            return Gst.PadProbeReturn.OK

        source.connect("need-data", need_data)
        element.get_by_name("pay0").get_static_pad("sink").add_probe(
            Gst.PadProbeType.BUFFER, count)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", default="0")
    parser.add_argument("mounts", nargs="+", help="/mount=file.mp4")
    args = parser.parse_args()
    server = GstRtspServer.RTSPServer()
    server.set_address("127.0.0.1")
    server.set_service(args.port)
    mounts, demuxed = {}, {}
    for spec in args.mounts:
        path, _, file = spec.partition("=")
        if file not in demuxed:
            demuxed[file] = demux(file)
        mounts[path] = FileMount(server, path, demuxed[file])
    server.attach(None)

    def command(channel, _condition):
        line = channel.readline()
        if not line:
            loop.quit()
            return False
        words = line.split()
        if words == ["counts"]:
            print("COUNTS " + " ".join(f"{p}={m.sent}" for p, m in mounts.items()), flush=True)
        elif len(words) == 2 and words[0] == "hold" and words[1] in mounts:
            for position in mounts[words[1]].playing:
                position[1] = True
            print("OK " + line.strip(), flush=True)
        else:
            print("ERROR unknown command: " + line.strip(), flush=True)
        return True

    loop = GLib.MainLoop()
    GLib.io_add_watch(GLib.IOChannel.unix_new(sys.stdin.fileno()), GLib.IO_IN | GLib.IO_HUP, command)
    print(f"READY {server.get_bound_port()} {' '.join(mounts)}", flush=True)
    loop.run()


if __name__ == "__main__":
    main()
