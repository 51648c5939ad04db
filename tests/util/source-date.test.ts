import { test } from "uvu";
import * as assert from "uvu/assert";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { sourceDateEpoch, sourceCommit, DOS_EPOCH_SECONDS } from "../../lib/util/source-date";
import { REPO_ROOT_DIR } from "../../lib/util/paths";

/** Runs `f` with SOURCE_DATE_EPOCH set to `value` (undefined: unset), restoring it afterwards. */
function withEpoch<T>(value: string | undefined, f: () => T): T {
  const prev = process.env["SOURCE_DATE_EPOCH"];
  if (value === undefined) delete process.env["SOURCE_DATE_EPOCH"];
  else process.env["SOURCE_DATE_EPOCH"] = value;
  try {
    return f();
  } finally {
    if (prev === undefined) delete process.env["SOURCE_DATE_EPOCH"];
    else process.env["SOURCE_DATE_EPOCH"] = prev;
  }
}

function gitTime(root: string): number | undefined {
  try {
    return Number(
      execFileSync("git", ["-C", root, "log", "-1", "--format=%ct"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim(),
    );
  } catch {
    return undefined;
  }
}

test("DOS_EPOCH_SECONDS is 1980-01-01T00:00:00Z", () => {
  assert.is(new Date(DOS_EPOCH_SECONDS * 1000).toISOString(), "1980-01-01T00:00:00.000Z");
});

test("sourceDateEpoch: SOURCE_DATE_EPOCH wins when set (read on every call)", () => {
  assert.is(
    withEpoch("1700000000", () => sourceDateEpoch()),
    1700000000,
  );
  assert.is(
    withEpoch(" 42 ", () => sourceDateEpoch()),
    42,
  );
  assert.is(
    withEpoch("0", () => sourceDateEpoch("/nonexistent")),
    0,
  );
  assert.is(
    withEpoch("1700000001", () => sourceDateEpoch()),
    1700000001,
  );
});

test("sourceDateEpoch: a malformed SOURCE_DATE_EPOCH throws", () => {
  for (const bad of ["abc", "-5", "1.5", "1e9", "99999999999999999999"])
    assert.throws(() => withEpoch(bad, () => sourceDateEpoch()), /SOURCE_DATE_EPOCH/, bad);
});

test("sourceDateEpoch: unset (or empty) — the committer time of the source commit (the newest commit outside exports/), looked up once per root", () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "vagg-sde-"));
  const git = (args: string[], date: string) =>
    execFileSync("git", ["-C", tmp, ...args], {
      stdio: "ignore",
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: "t",
        GIT_AUTHOR_EMAIL: "t@example.org",
        GIT_COMMITTER_NAME: "t",
        GIT_COMMITTER_EMAIL: "t@example.org",
        GIT_AUTHOR_DATE: date,
        GIT_COMMITTER_DATE: date,
      },
    });
  try {
    try {
      git(["init", "-q"], "@0");
      git(["commit", "-q", "--allow-empty", "--no-gpg-sign", "-m", "first"], "@1600000000 +0800");
    } catch (e) {
      // no usable git here: say so instead of passing silently (the fallback is tested below)
      console.log(`  SKIPPED sourceDateEpoch git case: cannot create a scratch git repository (${(e as Error).message.split("\n")[0]})`);
      return;
    }
    assert.is(
      withEpoch(undefined, () => sourceDateEpoch(tmp)),
      1600000000,
    );
    assert.is(
      withEpoch("", () => sourceDateEpoch(tmp)),
      1600000000,
      "empty counts as unset",
    );
    git(["commit", "-q", "--allow-empty", "--no-gpg-sign", "-m", "second"], "@1600000100 +0800");
    assert.is(
      withEpoch(undefined, () => sourceDateEpoch(path.join(tmp, "."))),
      1600000000,
      "cached: computed once per root",
    );
    assert.is(
      withEpoch("7", () => sourceDateEpoch(tmp)),
      7,
      "the variable still wins over the cache",
    );
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  // this repository: a commit time (other tests may have cached it before a later commit)
  const here = withEpoch(undefined, () => sourceDateEpoch());
  const now = gitTime(REPO_ROOT_DIR);
  assert.ok(Number.isInteger(here) && here <= (now ?? DOS_EPOCH_SECONDS), String(here));
});

test("sourceCommit: a commit that changes only exports/ does not move the source commit or its time", () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "vagg-sde-"));
  const git = (args: string[], date: string) =>
    execFileSync("git", ["-C", tmp, ...args], {
      stdio: "ignore",
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: "t",
        GIT_AUTHOR_EMAIL: "t@example.org",
        GIT_COMMITTER_NAME: "t",
        GIT_COMMITTER_EMAIL: "t@example.org",
        GIT_AUTHOR_DATE: date,
        GIT_COMMITTER_DATE: date,
      },
    });
  try {
    try {
      git(["init", "-q"], "@0");
    } catch (e) {
      console.log(
        `  SKIPPED sourceCommit exports-only case: cannot create a scratch git repository (${(e as Error).message.split("\n")[0]})`,
      );
      return;
    }
    fs.writeFileSync(path.join(tmp, "a.ts"), "1");
    git(["add", "a.ts"], "@0");
    git(["commit", "-q", "--no-gpg-sign", "-m", "source"], "@1700000000 +0000");
    const src = execFileSync("git", ["-C", tmp, "rev-parse", "HEAD"], { encoding: "utf8" }).trim();
    fs.mkdirSync(path.join(tmp, "exports"));
    fs.writeFileSync(path.join(tmp, "exports", "t.csv"), "x\n1\n");
    git(["add", "exports"], "@0");
    git(["commit", "-q", "--no-gpg-sign", "-m", "appendix"], "@1700000500 +0000");
    assert.equal(sourceCommit(tmp), { hash: src, time: 1700000000 });
    assert.is(
      withEpoch(undefined, () => sourceDateEpoch(tmp)),
      1700000000,
    );
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

test("sourceDateEpoch: not a git repository — the DOS epoch", () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "vagg-sde-"));
  try {
    if (gitTime(tmp) === undefined)
      assert.is(
        withEpoch(undefined, () => sourceDateEpoch(tmp)),
        DOS_EPOCH_SECONDS,
      );
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

test.run();
