#!/usr/bin/env bash
# The pipeline benchmark (issue 3) in one command: bench/run.sh
# Installs the Debian packages it needs (only those missing), builds the pipeline when its jar is
# missing, encodes the benchmark media once into bench/target/, then runs bench/measure.py, which
# prints the table (also saved as bench/target/results.md and results.json). About 3 minutes.
# PIPELINE_JAR=… measures another build of the pipeline; see measure.py for the window settings.
# bench/run.sh --scale [N,N,...]: the operator with N CameraMonitors (bench/README.md).
set -euo pipefail
bench=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$bench")
out=$bench/target
jar=${PIPELINE_JAR:-$root/nvr-image/target/homenvr-pipeline.jar}

# the operator at scale (issue 15): its own control plane and stand-in pipelines, no media;
# bench/run.sh --scale [N,N,...] [bin/sandbox --scale options]
if [ "${1:-}" = "--scale" ]; then
  shift
  points=10,50,100,250,500
  if [ $# -gt 0 ] && [[ $1 != --* ]]; then points=$1; shift; fi
  exec "$root/bin/sandbox" --scale "$points" "$@"
fi

# unzip for the ffmpeg binary; GStreamer's RTSP server and x264 through Debian's python3-gi;
# vtest.avi from opencv-doc
DEBIAN_PACKAGES=(unzip python3-gi gir1.2-gst-rtsp-server-1.0 gstreamer1.0-plugins-base
  gstreamer1.0-plugins-good gstreamer1.0-plugins-bad gstreamer1.0-plugins-ugly opencv-doc)
missing=()
for package in "${DEBIAN_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
    missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "bench: installing ${missing[*]}" >&2
  sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  "${sudo[@]}" apt-get update -q
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q --no-install-recommends \
    "${missing[@]}"
fi

if [ ! -f "$jar" ]; then
  echo "bench: building the pipeline ($jar)" >&2
  (cd "$root" && ./mvnw -B -q -pl nvr-image -DskipTests package)
fi

# the decode floor is bytedeco's ffmpeg: the same FFmpeg build the pipeline links
mkdir -p "$out/ffmpeg"
if [ ! -x "$out/ffmpeg/ffmpeg" ]; then
  native=$(ls "$(dirname "$jar")"/lib/ffmpeg-*-linux-*.jar | head -1)
  platform=$(basename "$native" .jar | sed 's/.*-\(linux-[^-]*\)$/\1/')
  unzip -q -o -j "$native" "org/bytedeco/ffmpeg/$platform/*" -d "$out/ffmpeg"
  chmod +x "$out/ffmpeg/ffmpeg" "$out/ffmpeg/ffprobe"
fi

# people walking (vtest.avi, 768x576 at 10 fps, 80 s) upscaled, at 15 fps, with moving grain so
# every frame costs the decoder something; CBR like a camera: 4 Mbit/s at 1080p, 2 Mbit/s at 720p
source=/usr/share/doc/opencv-doc/examples/data/vtest.avi
encode() { # width height kbit/s file
  [ -s "$out/$4" ] && return
  echo "bench: encoding $4 (once)" >&2
  LD_LIBRARY_PATH=$out/ffmpeg "$out/ffmpeg/ffmpeg" -nostdin -hide_banner -loglevel error \
    -i "$source" -vf "fps=15,scale=$1:$2:flags=bicubic,noise=alls=10:allf=t" \
    -pix_fmt yuv420p -f rawvideo - |
    /usr/bin/python3 "$bench/x264_encode.py" "$1" "$2" 15 "$3" "$out/$4.part"
  mv "$out/$4.part" "$out/$4"
}
encode 1920 1080 4000 busy-1080p15.mp4
encode 1280 720 2000 busy-720p15.mp4
# a still scene for eco decode: the first frame of vtest.avi held for 80 s, with the same grain
if [ "${1:-}" = "--eco" ] && [ ! -s "$out/still-1080p15.mp4" ]; then
  echo "bench: encoding still-1080p15.mp4 (once)" >&2
  LD_LIBRARY_PATH=$out/ffmpeg "$out/ffmpeg/ffmpeg" -nostdin -hide_banner -loglevel error \
    -i "$source" -vf "select=eq(n\\,0),loop=loop=1199:size=1,setpts=N/15/TB,fps=15,scale=1920:1080:flags=bicubic,noise=alls=10:allf=t" \
    -frames:v 1200 -pix_fmt yuv420p -f rawvideo - |
    /usr/bin/python3 "$bench/x264_encode.py" 1920 1080 15 4000 "$out/still-1080p15.mp4.part"
  mv "$out/still-1080p15.mp4.part" "$out/still-1080p15.mp4"
fi

# the JVM as the pipeline's container runs it under the operator's default 1536Mi limit: the image's
# MaxRAMPercentage=75 and C1 only, and Serial GC, which JDK 17 picks below 1792 MB of memory
container_jvm="-XX:MaxRAM=1536m -XX:MaxRAMPercentage=75 -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError"
export BENCH_JAVA_OPTS=${BENCH_JAVA_OPTS-$container_jvm}

echo "bench: pipeline $jar (nvr-image's last commit: $(git -C "$root" log -1 --format='%h %cs' \
  -- nvr-image))" >&2
script=measure.py
[ "${1:-}" = "--recording" ] && script=recording.py
[ "${1:-}" = "--eco" ] && script=eco.py
[ "${1:-}" = "--camera-back" ] && script=camera_back.py
exec /usr/bin/python3 "$bench/$script" --jar "$jar" --ffmpeg "$out/ffmpeg" --media "$out" \
  --out "$out"
