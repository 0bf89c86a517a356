#!/usr/bin/python3
"""Loopback RTSP cameras for the tests, the benchmark and the sandbox (GStreamer's RTSP server
through Debian's python3-gi). One module, two kinds of mount:

  rtsp_server.py [--port N]
      generated test video, encoded live (the pipeline tests):
        /ball    H.264, a moving ball
        /still   H.264, static colour bars (smpte75: plain smpte has a patch of noise)
        /h265    H.265, a moving ball (only when x265enc is installed)
        /resize  H.264, a moving ball whose size changes on the "resize" command
        /scene   H.264, still (black) until the "scene moving" command shows the moving ball
        /ball-aac   H.264 and AAC audio (a sine), for recording with sound
        /ball-alaw  H.264 and G.711 A-law audio, which MP4 cannot carry
  rtsp_server.py [--port N] [--live] [--encode-from SOURCE] /mount=file.mp4 ...
      pre-encoded H.264 files replayed in a loop without re-encoding (the benchmark's busy
      1080p stream; the sandbox's people camera with --encode-from vtest.avi, which encodes SOURCE
      once into a missing file: 640x480, 10 fps, a keyframe every 15 frames, no B-frames, one
      thread, so one slice per frame). Each file is demuxed once into access units kept in memory;
      every client gets its own media pushing them through an appsrc with ever-growing
      timestamps, so the loop seam is invisible and the server spends no encoder CPU. --live
      makes the appsrc a live source (the sandbox's camera).

Port 0 or none: any free port. Prints "READY <port> <mounts>" once listening. Every client gets
its own media (a shared media crashed Debian's 1.22 server).
Commands on stdin, one per line:
  freeze <mount> / thaw <mount>   stop / resume video on that mount; RTCP and TCP stay alive
  resize                          switch /resize between 320x240 and 480x360
  scene moving / scene still      /scene shows the moving ball / a still black frame
  counts                          "COUNTS /mount=<frames> ...": frames handed to the payloader per
                                  file mount, summed over every client since start
  hold <mount>                    the clients playing that file mount now get no further frame
                                  (clients that connect later do), so a benchmark can let them
                                  drain and compare exact totals
Answered "OK <command>" (counts: COUNTS ...; anything else: "ERROR unknown command: ...").
Silence: SIGSTOP the process. Refusal: SIGKILL it, later start it again on the same port.
"""
import argparse
import os
import sys
import threading

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtspServer  # noqa: E402

Gst.init(None)

SIZES = [(320, 240), (480, 360)]
H264 = ("x264enc tune=zerolatency speed-preset=ultrafast key-int-max=15 threads=1 "
        "! rtph264pay name=pay0 pt=96 config-interval=-1")
H265 = ("x265enc tune=zerolatency speed-preset=ultrafast key-int-max=15 "
        "! rtph265pay name=pay0 pt=96 config-interval=-1")
AAC = ("audiotestsrc is-live=true wave=sine volume=0.2 ! audioconvert ! audioresample "
       "! audio/x-raw,rate=16000,channels=1 ! avenc_aac ! rtpmp4apay name=pay1 pt=97")
ALAW = ("audiotestsrc is-live=true wave=sine volume=0.2 ! audioconvert ! audioresample "
        "! audio/x-raw,rate=8000,channels=1 ! alawenc ! rtppcmapay name=pay1 pt=8")
ENCODE_FPS = 10


# ---- generated test video -----------------------------------------------------------------

def launch(pattern, encoder, audio=None):
    # threads=1: x264's multi-slice output corrupts I-frames with this payloader
    sound = f" {audio}" if audio else ""
    return (f"( videotestsrc name=src is-live=true pattern={pattern} "
            f"! video/x-raw,width=320,height=240,framerate=10/1 ! videoscale "
            f"! capsfilter name=size caps=video/x-raw,width=320,height=240 "
            f"! valve name=valve drop=false ! {encoder}{sound} )")


class TestMount:
    def __init__(self, server, path, pipeline):
        self.path, self.frozen, self.size, self.medias = path, False, 0, []
        self.pattern = None  # None: the launch line's pattern
        factory = GstRtspServer.RTSPMediaFactory()
        factory.set_launch(pipeline)
        factory.set_shared(False)
        factory.connect("media-configure", self.configure)
        server.get_mount_points().add_factory(path, factory)

    def configure(self, _factory, media):
        self.medias.append(media)
        media.connect("unprepared", lambda m: self.medias.remove(m) if m in self.medias else None)
        self.apply(media)

    def apply(self, media):
        element = media.get_element()
        element.get_by_name("valve").set_property("drop", self.frozen)
        width, height = SIZES[self.size]
        caps = Gst.Caps.from_string(f"video/x-raw,width={width},height={height}")
        element.get_by_name("size").set_property("caps", caps)
        if self.pattern:
            element.get_by_name("src").set_property("pattern", self.pattern)

    def freeze(self, frozen):
        self.frozen = frozen
        for media in list(self.medias):
            self.apply(media)

    def show(self, pattern):
        self.pattern = pattern
        for media in list(self.medias):
            self.apply(media)

    def resize(self):
        self.size = 1 - self.size
        for media in list(self.medias):
            self.apply(media)


# ---- pre-encoded files --------------------------------------------------------------------

def run_to_end(description):
    pipeline = Gst.parse_launch(description)
    pipeline.set_state(Gst.State.PLAYING)
    message = pipeline.get_bus().timed_pop_filtered(
        Gst.CLOCK_TIME_NONE, Gst.MessageType.EOS | Gst.MessageType.ERROR)
    pipeline.set_state(Gst.State.NULL)
    if message.type == Gst.MessageType.ERROR:
        error, debug = message.parse_error()
        sys.exit(f"rtsp_server: {error.message} ({debug})")


def encode_once(source, target):
    if os.path.exists(target):
        return
    partial = target + ".partial"  # a killed encode never leaves a truncated file behind
    run_to_end(
        f"filesrc location={source} ! decodebin ! videoconvert ! videoscale ! videorate "
        f"! video/x-raw,format=I420,width=640,height=480,framerate={ENCODE_FPS}/1 "
        f"! x264enc speed-preset=ultrafast bitrate=800 key-int-max=15 bframes=0 threads=1 "
        f"! video/x-h264,profile=constrained-baseline ! h264parse ! mp4mux "
        f"! filesink location={partial}")
    os.replace(partial, target)


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
        sys.exit(f"rtsp_server: no H.264 frames in {path}")
    return caps, units


class FileMount:
    def __init__(self, server, path, demuxed, live):
        self.caps, self.units = demuxed
        structure = Gst.Caps.from_string(self.caps).get_structure(0)
        ok, num, den = structure.get_fraction("framerate")
        self.frame_ns = Gst.SECOND * den // num if ok and num else Gst.SECOND // 15
        self.frozen = False
        self.sent, self.sent_lock = 0, threading.Lock()  # counted by every media's thread
        self.playing = []  # per media: [next frame number, held]
        factory = GstRtspServer.RTSPMediaFactory()
        # config-interval=-1: SPS/PPS before every keyframe, so a client may join at any IDR
        factory.set_launch(
            f"( appsrc name=src format=time{' is-live=true' if live else ''} "
            f"! rtph264pay name=pay0 pt=96 config-interval=-1 )")
        factory.set_shared(False)
        factory.connect("media-configure", self.configure)
        server.get_mount_points().add_factory(path, factory)

    def configure(self, _factory, media):
        element = media.get_element()
        source = element.get_by_name("src")
        source.set_property("caps", Gst.Caps.from_string(self.caps))
        position = [0, False]
        self.playing.append(position)
        alive = [True]

        def unprepared(_media):
            alive[0] = False
            self.playing = [p for p in self.playing if p is not position]

        media.connect("unprepared", unprepared)

        def need_data(src, _length):
            n, held = position
            if held or not alive[0]:
                return
            position[0] = n + 1
            if self.frozen:
                # frames keep their pace but are not sent, so thawing resumes without a jump
                GLib.timeout_add(self.frame_ns // Gst.MSECOND,
                                 lambda: src.emit("need-data", 0) and False)
                return
            buffer = Gst.Buffer.new_wrapped(self.units[n % len(self.units)])
            buffer.pts = buffer.dts = n * self.frame_ns
            buffer.duration = self.frame_ns
            src.emit("push-buffer", buffer)

        def count(_pad, _info):
            with self.sent_lock:
                self.sent += 1
            return Gst.PadProbeReturn.OK

        source.connect("need-data", need_data)
        element.get_by_name("pay0").get_static_pad("sink").add_probe(
            Gst.PadProbeType.BUFFER, count)

    def freeze(self, frozen):
        self.frozen = frozen

    def hold(self):
        for position in self.playing:
            position[1] = True


# ---- the server -------------------------------------------------------------------------

def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", default="0")
    parser.add_argument("--live", action="store_true", help="file mounts are live sources")
    parser.add_argument("--encode-from", help="encode this video into file mounts that are missing")
    parser.add_argument("mounts", nargs="*", help="/mount=file.mp4 (none: the test mounts)")
    args = parser.parse_args()
    server = GstRtspServer.RTSPServer()
    server.set_address("127.0.0.1")
    server.set_service(args.port)
    mounts = {}
    if args.mounts:
        demuxed = {}
        for spec in args.mounts:
            path, _, file = spec.partition("=")
            if args.encode_from:
                encode_once(args.encode_from, file)
            if file not in demuxed:
                demuxed[file] = demux(file)
            mounts[path] = FileMount(server, path, demuxed[file], args.live)
    else:
        mounts["/ball"] = TestMount(server, "/ball", launch("ball", H264))
        mounts["/still"] = TestMount(server, "/still", launch("smpte75", H264))
        mounts["/resize"] = TestMount(server, "/resize", launch("ball", H264))
        mounts["/scene"] = TestMount(server, "/scene", launch("black", H264))
        mounts["/ball-aac"] = TestMount(server, "/ball-aac", launch("ball", H264, AAC))
        mounts["/ball-alaw"] = TestMount(server, "/ball-alaw", launch("ball", H264, ALAW))
        if Gst.ElementFactory.find("x265enc"):
            mounts["/h265"] = TestMount(server, "/h265", launch("ball", H265))
    server.attach(None)

    def command(channel, _condition):
        line = channel.readline()
        if not line:
            loop.quit()
            return False
        words = line.split()
        if len(words) == 2 and words[0] in ("freeze", "thaw") and words[1] in mounts:
            mounts[words[1]].freeze(words[0] == "freeze")
        elif words == ["resize"] and isinstance(mounts.get("/resize"), TestMount):
            mounts["/resize"].resize()
        elif (len(words) == 2 and words[0] == "scene" and words[1] in ("moving", "still")
              and isinstance(mounts.get("/scene"), TestMount)):
            mounts["/scene"].show("ball" if words[1] == "moving" else "black")
        elif words == ["counts"]:
            counts = " ".join(f"{p}={m.sent}" for p, m in mounts.items() if isinstance(m, FileMount))
            print("COUNTS " + counts, flush=True)
            return True
        elif len(words) == 2 and words[0] == "hold" and isinstance(mounts.get(words[1]), FileMount):
            mounts[words[1]].hold()
        else:
            print("ERROR unknown command: " + line.strip(), flush=True)
            return True
        print("OK " + line.strip(), flush=True)
        return True

    loop = GLib.MainLoop()
    GLib.io_add_watch(GLib.IOChannel.unix_new(sys.stdin.fileno()), GLib.IO_IN | GLib.IO_HUP, command)
    print(f"READY {server.get_bound_port()} {' '.join(sorted(mounts))}", flush=True)
    loop.run()


if __name__ == "__main__":
    main()
