package io.homenvr.pipeline.status;

import io.homenvr.pipeline.capture.CameraStatus;
import io.homenvr.pipeline.recording.RecordingStatus;
import java.time.Instant;

/**
 * One camera's page: a live view (the detect-width preview, refreshed each second), the day's
 * timeline of segments, gaps and events, and a player fed by the clip endpoint. A camera that has
 * never streamed shows why instead of a broken image.
 */
final class CameraPage {
  private CameraPage() {}

  static String render(CameraStatus camera, RecordingStatus recording, Instant now) {
    String name = camera.name();
    String error = camera.lastError() == null ? "" : escape(camera.lastError());
    boolean neverStreamed = camera.lastFrameAt() == null;
    StringBuilder html = new StringBuilder();
    html.append("<!doctype html><html><head><meta charset=\"utf-8\"><title>homenvr · ")
        .append(name)
        .append("</title><style>")
        .append("body{font-family:sans-serif;margin:16px}#live{max-width:480px;display:block}")
        .append("#why{color:#fff;background:#c00;padding:8px;max-width:480px}")
        .append("#timeline{position:relative;height:40px;background:#eee;margin:12px 0;")
        .append("cursor:pointer}#timeline div{position:absolute;top:0;height:40px}")
        .append(".segment{background:#3a3}.hole{background:#c00}.event{background:#f90;")
        .append("top:30px!important;height:10px!important}video{max-width:640px;display:block}")
        .append("</style></head><body><h1>")
        .append(name)
        .append("</h1><p>")
        .append(camera.state())
        .append(recording == null ? " · not recorded" : " · recording " + recording.state())
        .append("</p>");
    if (neverStreamed) {
      html.append("<p id=\"why\">No picture yet: ")
          .append(error.isEmpty() ? "connecting to the camera" : error)
          .append("</p>");
    } else {
      html.append("<img id=\"live\" alt=\"live view of ")
          .append(name)
          .append("\" src=\"/snapshot/")
          .append(name)
          .append(".jpg\">");
    }
    if (recording != null) {
      html.append("<p><input type=\"date\" id=\"day\" value=\"")
          .append(now.toString(), 0, 10)
          .append("\"> <span id=\"summary\"></span></p>")
          .append("<div id=\"timeline\" title=\"click to play from there\"></div>")
          .append("<video id=\"player\" controls muted playsinline></video>")
          .append("<ul id=\"events\"></ul>");
    }
    html.append("<p><a href=\"/\">all cameras</a></p><script>\n")
        .append("const camera = '")
        .append(name)
        .append("';\n")
        .append(SCRIPT)
        .append("</script></body></html>\n");
    return html.toString();
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  /** Plain JavaScript, no libraries: refresh the live view, draw the day, play what is clicked. */
  private static final String SCRIPT =
      """
      const live = document.getElementById('live');
      if (live) setInterval(() => { live.src = `/snapshot/${camera}.jpg?t=${Date.now()}`; }, 1000);
      const timeline = document.getElementById('timeline');
      const player = document.getElementById('player');
      const dayInput = document.getElementById('day');
      let dayStart = 0;
      const DAY = 86400000;
      function bar(cls, start, end, title) {
        const div = document.createElement('div');
        div.className = cls;
        div.dataset.start = start;
        div.dataset.end = end;
        div.title = title;
        const from = Math.max(0, Date.parse(start) - dayStart);
        const to = Math.min(DAY, Date.parse(end) - dayStart);
        div.style.left = (100 * from / DAY) + '%';
        div.style.width = Math.max(0.05, 100 * (to - from) / DAY) + '%';
        timeline.appendChild(div);
      }
      function play(from, to) {
        player.src = `/recordings/${camera}/clip.mp4?start=${new Date(from).toISOString()}`
          + `&end=${new Date(to).toISOString()}`;
        player.play().catch(() => {});
      }
      async function load() {
        dayStart = Date.parse(dayInput.value + 'T00:00:00Z');
        const day = await (await fetch(`/recordings/${camera}.json?day=${dayInput.value}`)).json();
        timeline.replaceChildren();
        const list = document.getElementById('events');
        list.replaceChildren();
        day.segments.forEach(s => bar('segment', s.start, s.end, `${s.start} – ${s.end}`));
        day.holes.forEach(h => {
          const gap = day.gaps.find(g => Date.parse(g.start) <= Date.parse(h.end)
            && (!g.end || Date.parse(g.end) >= Date.parse(h.start)));
          bar('hole', h.start, h.end, 'no recording' + (gap ? ': ' + gap.cause : ''));
        });
        day.events.forEach(e => {
          bar('event', e.start, e.end, `${e.kind} ${e.start}`);
          const item = document.createElement('li');
          const button = document.createElement('button');
          button.textContent = `${e.kind} at ${e.start.substring(11, 19)} UTC`;
          button.onclick = () => play(Date.parse(e.start), Date.parse(e.end));
          item.appendChild(button);
          list.appendChild(item);
        });
        document.getElementById('summary').textContent =
          `${day.segments.length} segments, ${day.holes.length} gaps, ${day.events.length} events`;
      }
      if (timeline) {
        timeline.onclick = (click) => {
          const box = timeline.getBoundingClientRect();
          const at = dayStart + DAY * (click.clientX - box.left) / box.width;
          play(at, at + 5 * 60000);
        };
        dayInput.onchange = load;
        load();
      }
      """;
}
