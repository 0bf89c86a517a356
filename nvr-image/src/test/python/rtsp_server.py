#!/usr/bin/python3
"""Loopback RTSP camera for the pipeline tests (GStreamer RTSP server through PyGObject).

Usage: rtsp_server.py [port]   (0 or none: any free port). Prints "READY <port>" once listening.
Mounts, each a fresh media per client (a shared media crashed Debian's 1.22 server):
  /ball    H.264, a moving ball
  /still   H.264, static colour bars (smpte75: plain smpte has a patch of noise)
  /h265    H.265, a moving ball (only when x265enc is installed)
  /resize  H.264, a moving ball whose size changes on the "resize" command
Commands on stdin, one per line, answered with "OK <command>":
  freeze <mount> / thaw <mount>   stop / resume video on that mount; RTCP and TCP stay alive
  resize                          switch /resize between 320x240 and 480x360
Silence: SIGSTOP the process. Refusal: SIGKILL it, later start it again on the same port.
"""
import sys

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


def launch(pattern, encoder):
    # threads=1: x264's multi-slice output corrupts I-frames with this payloader
    return (f"( videotestsrc is-live=true pattern={pattern} "
            f"! video/x-raw,width=320,height=240,framerate=10/1 ! videoscale "
            f"! capsfilter name=size caps=video/x-raw,width=320,height=240 "
            f"! valve name=valve drop=false ! {encoder} )")


class Mount:
    def __init__(self, server, path, pipeline):
        self.path, self.frozen, self.size, self.medias = path, False, 0, []
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

    def update(self):
        for media in list(self.medias):
            self.apply(media)


def main():
    port = sys.argv[1] if len(sys.argv) > 1 else "0"
    server = GstRtspServer.RTSPServer()
    server.set_address("127.0.0.1")
    server.set_service(port)
    mounts = {
        "/ball": Mount(server, "/ball", launch("ball", H264)),
        "/still": Mount(server, "/still", launch("smpte75", H264)),
        "/resize": Mount(server, "/resize", launch("ball", H264)),
    }
    if Gst.ElementFactory.find("x265enc"):
        mounts["/h265"] = Mount(server, "/h265", launch("ball", H265))
    server.attach(None)

    def command(channel, _condition):
        line = channel.readline()
        if not line:
            loop.quit()
            return False
        words = line.split()
        if len(words) == 2 and words[0] in ("freeze", "thaw") and words[1] in mounts:
            mounts[words[1]].frozen = words[0] == "freeze"
            mounts[words[1]].update()
        elif words == ["resize"]:
            mounts["/resize"].size = 1 - mounts["/resize"].size
            mounts["/resize"].update()
        print("OK " + line.strip(), flush=True)
        return True

    loop = GLib.MainLoop()
    GLib.io_add_watch(GLib.IOChannel.unix_new(sys.stdin.fileno()), GLib.IO_IN | GLib.IO_HUP, command)
    print(f"READY {server.get_bound_port()} {' '.join(sorted(mounts))}", flush=True)
    loop.run()


if __name__ == "__main__":
    main()
