import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  progress,
  formatDuration,
  formatProgressLine,
  formatProgressBar,
  setProgressSink,
  type ProgressState,
} from "../../lib/util/progress";

function fakeStream(isTTY: boolean) {
  const out: string[] = [];
  return { out, stream: { isTTY, write: (s: string) => out.push(s) } };
}

test("formatDuration", () => {
  assert.is(formatDuration(null), "--");
  assert.is(formatDuration(NaN), "--");
  assert.is(formatDuration(-1), "--");
  assert.is(formatDuration(0), "0s");
  assert.is(formatDuration(1499), "1s");
  assert.is(formatDuration(59_400), "59s");
  assert.is(formatDuration(59_600), "1m00s");
  assert.is(formatDuration(185_000), "3m05s");
  assert.is(formatDuration(3_599_000), "59m59s");
  assert.is(formatDuration(3_600_000), "1h00m");
  assert.is(formatDuration(3_720_000 + 29_000), "1h02m");
  assert.is(formatDuration(26 * 3_600_000), "26h00m");
});

test("log mode (not a TTY): one line per interval, ETA = elapsed·remaining/done, final line once", () => {
  let t = 1000;
  const { out, stream } = fakeStream(false);
  const p = progress(100, "placebo", { stream, now: () => t, logIntervalMs: 10_000, sink: null });
  assert.equal(out, [], "nothing printed at start");
  for (let i = 0; i < 25; i++) {
    t += 400; // 25 steps in 10 s
    p.tick();
  }
  assert.equal(out, ["placebo: 25/100 (25%), elapsed 10s, ETA 30s\n"]);
  t += 5000;
  p.tick(5);
  assert.is(out.length, 1, "throttled: 5 s since the last line");
  t += 5000;
  p.set(50);
  assert.equal(out[1], "placebo: 50/100 (50%), elapsed 20s, ETA 20s\n");
  t += 20_000;
  p.set(100);
  p.finish();
  p.finish();
  p.tick();
  assert.equal(out.slice(2), ["placebo: 100/100 (100%), elapsed 40s, ETA 0s\n", "placebo: 100/100 (100%), done in 40s\n"]);
  assert.is(p.state.done, 100, "ticks after finish are ignored");
});

test("TTY mode: carriage-return bar, redraw throttled, newline at the end", () => {
  let t = 0;
  const { out, stream } = fakeStream(true);
  const p = progress(10, "boot", { stream, now: () => t, ttyIntervalMs: 100, width: 10, sink: null });
  assert.equal(out, ["\rboot [----------] 0/10   0% 0s ETA --\x1b[K"]);
  t += 50;
  p.tick();
  assert.is(out.length, 1, "50 ms < 100 ms: no redraw");
  t += 50;
  p.tick();
  assert.equal(out[1], "\rboot [##--------] 2/10  20% 0s ETA 0s\x1b[K");
  t = 4000;
  p.tick(3);
  assert.equal(out[2], "\rboot [#####-----] 5/10  50% 4s ETA 4s\x1b[K");
  t = 8000;
  p.set(10);
  p.finish();
  assert.equal(out[out.length - 1], "\rboot [##########] 10/10 100% done in 8s\x1b[K\n");
});

test("a registered sink receives the updates instead of the stream; null handle falls back", () => {
  let t = 0;
  const seen: [string, ProgressState][] = [];
  const prev = setProgressSink((label, total) => {
    assert.is(label, "sync");
    assert.is(total, 4);
    return { update: (s) => seen.push(["update", s]), finish: (s) => seen.push(["finish", s]) };
  });
  const { out, stream } = fakeStream(true);
  const p = progress(4, "sync", { stream, now: () => t, sinkIntervalMs: 250 });
  t = 100;
  p.tick();
  t = 300;
  p.tick();
  t = 400;
  p.tick(2);
  p.finish();
  assert.equal(out, []);
  assert.equal(
    seen.map(([k, s]) => [k, s.done, s.finished]),
    [
      ["update", 0, false],
      ["update", 2, false],
      ["finish", 4, true],
    ],
  );
  setProgressSink(() => null);
  const q = progress(2, "x", { stream, now: () => t });
  q.finish();
  assert.is(out.length, 2, "sink declined: terminal output used");
  setProgressSink(prev);
});

test("line and bar formats", () => {
  const s: ProgressState = { label: "L", done: 3, total: 0, elapsedMs: 1000, etaMs: null, finished: false };
  assert.is(formatProgressLine(s), "L: 3/0, elapsed 1s, ETA --");
  assert.is(formatProgressBar({ ...s, total: 4 }, 4), "L [###-] 3/4  75% 1s ETA --");
});

test.run();
