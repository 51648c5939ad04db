import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { displayPath, REPO_ROOT_DIR } from "../../lib/util/paths";

test("REPO_ROOT_DIR is the repository root", () => {
  assert.ok(path.isAbsolute(REPO_ROOT_DIR));
  assert.ok(fs.existsSync(path.join(REPO_ROOT_DIR, "lib", "util", "paths.ts")));
});

test("displayPath: inside the repository — relative with / separators, '.' for the root", () => {
  assert.is(displayPath(path.join(REPO_ROOT_DIR, "data", "raw", "synthetic", "small")), "data/raw/synthetic/small");
  assert.is(displayPath(path.join(REPO_ROOT_DIR, "exports")), "exports");
  assert.is(displayPath(path.join(REPO_ROOT_DIR, "exports") + path.sep), "exports");
  assert.is(displayPath(REPO_ROOT_DIR), ".");
  assert.is(displayPath(path.join(REPO_ROOT_DIR, "..foo", "x")), "..foo/x", "a name starting with '..' is still inside");
});

test("displayPath: outside the repository — unchanged, as given", () => {
  assert.is(displayPath("/somewhere/else/data"), "/somewhere/else/data");
  assert.is(displayPath(path.dirname(REPO_ROOT_DIR)), path.dirname(REPO_ROOT_DIR));
  assert.is(displayPath(REPO_ROOT_DIR + "-sibling/x"), REPO_ROOT_DIR + "-sibling/x", "a sibling sharing the prefix is outside");
  const outside = path.relative(process.cwd(), path.join(path.dirname(REPO_ROOT_DIR), "real-data"));
  assert.is(displayPath(outside), outside, "a relative path outside stays as given");
});

test("displayPath: explicit root, and a root reached through a symbolic link", () => {
  assert.is(displayPath("/a/b/c/d.txt", "/a/b"), "c/d.txt");
  assert.is(displayPath("/a/bc/d.txt", "/a/b"), "/a/bc/d.txt");
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "vagg-paths-"));
  try {
    const real = path.join(tmp, "real");
    fs.mkdirSync(path.join(real, "sub"), { recursive: true });
    const link = path.join(tmp, "link");
    fs.symlinkSync(real, link, "dir");
    assert.is(displayPath(path.join(link, "sub"), real), "sub");
    assert.is(displayPath(path.join(real, "sub"), link), "sub");
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

test.run();
