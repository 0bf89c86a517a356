#!/bin/sh
# Debian packages the pipeline tests need: a GStreamer RTSP server for Debian's python3 (the
# loopback camera), x264/x265 encoders, and OpenCV's pedestrian sample video for the HOG test.
set -e
apt-get update -qq
apt-get install -y -qq python3-gi gir1.2-gst-rtsp-server-1.0 gstreamer1.0-plugins-base \
  gstreamer1.0-plugins-good gstreamer1.0-plugins-ugly gstreamer1.0-plugins-bad \
  gstreamer1.0-libav opencv-doc >/dev/null
