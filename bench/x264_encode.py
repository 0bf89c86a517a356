#!/usr/bin/python3
"""Encodes raw I420 frames from stdin into an H.264 MP4 the way an IP camera streams it.

Usage: x264_encode.py WIDTH HEIGHT FPS KBITS OUT.mp4 < frames.yuv
CBR at KBITS kbit/s, a keyframe every 2 s (GOP 2*FPS), High profile, no B-frames (cameras send
none), one slice per frame (frame threads, not sliced threads: see testing/src/main/python/rtsp_server.py).
"""
import sys

import gi

gi.require_version("Gst", "1.0")
from gi.repository import Gst  # noqa: E402


def main():
    width, height, fps, kbits, out = sys.argv[1:6]
    Gst.init(None)
    pipeline = Gst.parse_launch(
        f"fdsrc fd=0 ! rawvideoparse width={width} height={height} format=i420 "
        f"framerate={fps}/1 ! x264enc pass=cbr bitrate={kbits} key-int-max={2 * int(fps)} "
        f"bframes=0 speed-preset=veryfast ! video/x-h264,profile=high "
        f"! h264parse ! mp4mux ! filesink location={out}")
    pipeline.set_state(Gst.State.PLAYING)
    message = pipeline.get_bus().timed_pop_filtered(
        Gst.CLOCK_TIME_NONE, Gst.MessageType.EOS | Gst.MessageType.ERROR)
    pipeline.set_state(Gst.State.NULL)
    if message.type == Gst.MessageType.ERROR:
        error, debug = message.parse_error()
        sys.exit(f"x264_encode: {error.message} ({debug})")


if __name__ == "__main__":
    main()
