#!/usr/bin/python3
"""Loopback RTSP camera showing people walking (OpenCV's vtest.avi), looping, never re-encoding.

Usage: people_camera.py PORT SOURCE.avi CACHE.mp4   (port 0: any free port)
The first start encodes SOURCE once into CACHE (H.264, 640x480, 10 fps, a keyframe every 15
frames, no B-frames, one thread: one slice per frame); later starts reuse it. The file is demuxed
into memory and every client gets its own media (a shared media crashed Debian's 1.22 server)
that pushes those access units through an appsrc with ever-growing timestamps, so the loop seam
is invisible. Prints "READY <port> /people" once listening.
Commands on stdin, one per line, answered with "OK <command>" (as rtsp_server.py's):
  freeze /people / thaw /people   stop / resume video; RTCP and TCP stay alive
Silence: SIGSTOP the process. Refusal: SIGKILL it, later start it again on the same port.
"""
import os
import sys

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtspServer  # noqa: E402

Gst.init(None)

MOUNT = "/people"
FPS = 10


def run_to_end(description):
    pipeline = Gst.parse_launch(description)
    pipeline.set_state(Gst.State.PLAYING)
    message = pipeline.get_bus().timed_pop_filtered(
        Gst.CLOCK_TIME_NONE, Gst.MessageType.EOS | Gst.MessageType.ERROR)
    pipeline.set_state(Gst.State.NULL)
    if message.type == Gst.MessageType.ERROR:
        error, debug = message.parse_error()
        sys.exit(f"people_camera: {error.message} ({debug})")


def encode_once(source, cache):
    if os.path.exists(cache):
        return
    partial = cache + ".partial"  # a killed encode never leaves a truncated cache behind
    run_to_end(
        f"filesrc location={source} ! decodebin ! videoconvert ! videoscale ! videorate "
        f"! video/x-raw,format=I420,width=640,height=480,framerate={FPS}/1 "
        f"! x264enc speed-preset=ultrafast bitrate=800 key-int-max=15 bframes=0 threads=1 "
        f"! video/x-h264,profile=constrained-baseline ! h264parse ! mp4mux "
        f"! filesink location={partial}")
    os.replace(partial, cache)


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
        sys.exit(f"people_camera: no H.264 frames in {path}")
    return caps, units


class Mount:
    def __init__(self, server, demuxed):
        self.caps, self.units = demuxed
        self.frame_ns = Gst.SECOND // FPS
        self.frozen = False
        factory = GstRtspServer.RTSPMediaFactory()
        factory.set_launch(
            "( appsrc name=src format=time is-live=true "
            "! rtph264pay name=pay0 pt=96 config-interval=-1 )")
        factory.set_shared(False)
        factory.connect("media-configure", self.configure)
        server.get_mount_points().add_factory(MOUNT, factory)

    def configure(self, _factory, media):
        source = media.get_element().get_by_name("src")
        source.set_property("caps", Gst.Caps.from_string(self.caps))
        position, alive = [0], [True]
        media.connect("unprepared", lambda _media: alive.__setitem__(0, False))

        def need_data(src, _length):
            if not alive[0]:
                return
            n = position[0]
            # frozen: frames keep their pace but are not sent, so thawing resumes without a jump
            position[0] = n + 1
            if self.frozen:
                GLib.timeout_add(1000 // FPS, lambda: src.emit("need-data", 0) and False)
                return
            buffer = Gst.Buffer.new_wrapped(self.units[n % len(self.units)])
            buffer.pts = buffer.dts = n * self.frame_ns
            buffer.duration = self.frame_ns
            src.emit("push-buffer", buffer)

        source.connect("need-data", need_data)


def main():
    port, source, cache = sys.argv[1:4]
    encode_once(source, cache)
    server = GstRtspServer.RTSPServer()
    server.set_address("127.0.0.1")
    server.set_service(port)
    mount = Mount(server, demux(cache))
    server.attach(None)

    def command(channel, _condition):
        line = channel.readline()
        if not line:
            loop.quit()
            return False
        words = line.split()
        if len(words) == 2 and words[0] in ("freeze", "thaw") and words[1] == MOUNT:
            mount.frozen = words[0] == "freeze"
        print("OK " + line.strip(), flush=True)
        return True

    loop = GLib.MainLoop()
    GLib.io_add_watch(GLib.IOChannel.unix_new(sys.stdin.fileno()), GLib.IO_IN | GLib.IO_HUP, command)
    print(f"READY {server.get_bound_port()} {MOUNT}", flush=True)
    loop.run()


if __name__ == "__main__":
    main()
